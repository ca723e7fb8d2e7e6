{#- Models incremental on the trusted zone's changes (docs/incremental.md).

    A trusted table is generations of parquet files named by the latest raw batch each applies (a full
    build, then change files; spark_jobs/trusted_table.py). A model configured with
    `meta: {incremental_sources: [...]}` records in table `incremental_state`, after each build, the
    generation of each source it has read through and the full build's generation it started from. The
    next run recomputes only the units (portfolios, awards, ...) that a newer generation touched: every
    version of a changed key is read, so a row that moved from one unit to another recomputes both.
    A model is rebuilt in full when it has no state, when a source's full build changed (a compaction,
    rows deleted upstream, new cleaning rules) or when the run is a full refresh. -#}

{#- The current generations of every trusted source, kept by register_trusted_sources in table
    `<trusted_schema>.trusted_generations` (source_name, base_generation, latest_generation) once per run,
    so a model and its post-hook see the same ones. -#}
{% macro trusted_generations_table() -%}
  {{ return(var('trusted_schema', 'trusted') ~ '.trusted_generations') }}
{%- endmacro %}

{% macro incremental_state_table() -%}
  {{ return(target.schema ~ '.incremental_state') }}
{%- endmacro %}

{#- on-run-start: the state table, created once. -#}
{% macro create_incremental_state() -%}
  create table if not exists {{ incremental_state_table() }} (
      model_name {{ dbt.type_string() }},
      source_name {{ dbt.type_string() }},
      base_generation {{ dbt.type_string() }},
      generation {{ dbt.type_string() }}
  )
{%- endmacro %}

{#- Whether this command ran the on-run-start hooks that create the two tables above (a run or a build;
    not a compile, which has none) and a model is being built (a unit test's relations are its fixtures:
    nothing to ask the warehouse). Asked of the command, not of the relation cache, which dbt fills
    before those hooks create the tables. -#}
{% macro run_started_hooks() -%}
  {{ return(execute and flags.WHICH in ('run', 'build') and model.resource_type != 'unit_test') }}
{%- endmacro %}

{#- source -> {'base': ..., 'latest': ...} for the current run ({} outside a run or build). -#}
{% macro current_generations() -%}
  {%- set found = {} -%}
  {%- if run_started_hooks() -%}
    {%- for row in run_query('select source_name, base_generation, latest_generation from ' ~ trusted_generations_table()).rows -%}
      {%- do found.update({row[0]: {'base': row[1], 'latest': row[2]}}) -%}
    {%- endfor -%}
  {%- endif -%}
  {{ return(found) }}
{%- endmacro %}

{#- source -> {'base': ..., 'generation': ...} that `model_name` recorded at its last build ({} if none). -#}
{% macro recorded_generations(model_name) -%}
  {%- set found = {} -%}
  {%- if run_started_hooks() -%}
    {%- set rows = run_query(
        'select source_name, base_generation, generation from ' ~ incremental_state_table()
        ~ " where model_name = '" ~ model_name ~ "'").rows -%}
    {%- for row in rows -%}{%- do found.update({row[0]: {'base': row[1], 'generation': row[2]}}) -%}{%- endfor -%}
  {%- endif -%}
  {{ return(found) }}
{%- endmacro %}

{% macro incremental_sources(node=none) -%}
  {%- set node = node or model -%}
  {{ return((node.config.get('meta') or {}).get('incremental_sources') or node.meta.get('incremental_sources') or []) }}
{%- endmacro %}

{#- Why `model` must be rebuilt in full from its recorded state (none: it can run incrementally). -#}
{% macro incremental_rebuild_reason() -%}
  {%- if execute and model.config.meta.get('incremental_on') in ('changed_awards', 'changed_parties') -%}
    {{ return(changed_awards_rebuild_reason()) }}
  {%- endif -%}
  {%- set sources = incremental_sources() -%}
  {%- if not sources or not execute -%}{{ return(none) }}{%- endif -%}
  {%- set recorded = recorded_generations(model.name) -%}
  {%- set current = current_generations() -%}
  {%- for source in sources -%}
    {%- set mine = recorded.get(source) -%}
    {%- if mine is none or (not mine['generation'] and (current.get(source) or {}).get('latest')) -%}
      {{ return('no recorded generation of ' ~ source) }}
    {%- elif mine['base'] != (current.get(source) or {}).get('base') -%}
      {{ return('the full build of ' ~ source ~ ' changed') }}
    {%- endif -%}
  {%- endfor -%}
  {{ return(none) }}
{%- endmacro %}

{#- The generation of `source` that `model` can read through: the source's latest, or less when an
    incremental model it reads has not read that far (a model is never ahead of its inputs; '' when such
    a model has read nothing of it). -#}
{% macro readable_generation(source, current) -%}
  {%- set through = [(current.get(source) or {}).get('latest') or ''] -%}
  {%- for parent_id in model.depends_on.nodes if parent_id in graph.nodes -%}
    {%- set parent = graph.nodes[parent_id] -%}
    {%- if source in incremental_sources(parent) -%}
      {%- do through.append((recorded_generations(parent.name).get(source) or {}).get('generation') or '') -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(through | min) }}
{%- endmacro %}

{#- source -> (since, through]: the generations this incremental run of `model` applies. -#}
{% macro incremental_window() -%}
  {%- set recorded = recorded_generations(model.name) -%}
  {%- set current = current_generations() -%}
  {%- set window = {} -%}
  {%- for source in incremental_sources() -%}
    {%- do window.update({source: {
        'since': (recorded.get(source) or {}).get('generation') or '',
        'through': readable_generation(source, current),
    }}) -%}
  {%- endfor -%}
  {{ return(window) }}
{%- endmacro %}

{#- Post-hook of every incremental model on the trusted zone: what it has now read, per source (a full
    build reads what its inputs hold, as an incremental run does). -#}
{% macro record_incremental_state() -%}
  {%- set current = current_generations() -%}
  {%- set rows = [] -%}
  {%- for source in incremental_sources() -%}
    {%- set base = (current.get(source) or {}).get('base') -%}
    {%- do rows.append("('" ~ model.name ~ "', '" ~ source ~ "', " ~ ("'" ~ base ~ "'" if base else 'null')
        ~ ", '" ~ readable_generation(source, current) ~ "')") -%}
  {%- endfor -%}
  delete from {{ incremental_state_table() }} where model_name = '{{ model.name }}';
  insert into {{ incremental_state_table() }} (model_name, source_name, base_generation, generation)
  values {{ rows | join(', ') }}
{%- endmacro %}

{#- The rows of `source_name`'s generations in (since, through]: the versions a window added. -#}
{% macro trusted_changes(source_name, window) -%}
  {{ return(adapter.dispatch('trusted_changes')(source_name, window)) }}
{%- endmacro %}

{% macro default__trusted_changes(source_name, window) -%}
  (select * from {{ var('trusted_external_schema', 'trusted_spectrum') }}.{{ source_name }}
   where _batch_id > '{{ window.since }}' and _batch_id <= '{{ window.through }}')
{%- endmacro %}

{% macro duckdb__trusted_changes(source_name, window) -%}
  {%- set node = graph.sources['source.' ~ project_name ~ '.trusted.' ~ source_name] -%}
  {%- set meta = trusted_meta(node) -%}
  {%- set folder = env_var('SECOP_LAKE_URI', '') ~ '/' ~ meta['trusted_path'] -%}
  {%- set files = [] -%}
  {%- if execute -%}
    {%- set generation = "split_part(parse_filename(file), '.', 1)" -%}
    {%- set files = run_query(
        "select file from glob('" ~ folder ~ "/*/*.parquet') where " ~ generation ~ " > '" ~ window.since
        ~ "' and " ~ generation ~ " <= '" ~ window.through ~ "' order by file").columns[0].values() | list -%}
  {%- endif -%}
  {%- if files -%}
    {{ trusted_scan(files, meta) }}
  {%- else -%}
    (select * from {{ source('trusted', source_name) }} where 1 = 0)
  {%- endif -%}
{%- endmacro %}

{#- Every version, in any generation, of the keys of `source_name` that `window` changed: the versions
    before and after a change, so the units of both are recomputed. -#}
{% macro changed_key_versions(source_name, window) -%}
  {%- set node = graph.sources['source.' ~ project_name ~ '.trusted.' ~ source_name] -%}
  {%- set key = trusted_meta(node)['key'] -%}
  {%- set matches = [] -%}
  {%- for column in key -%}{%- do matches.append('versions.' ~ column ~ ' = changed.' ~ column) -%}{%- endfor -%}
  (select versions.*
   from {{ trusted_versions(source_name) }} as versions
   inner join (select distinct {{ key | join(', ') }} from {{ trusted_changes(source_name, window) }} as changes) as changed
       on {{ matches | join(' and ') }}) as changed_versions
{%- endmacro %}

{#- Every row of every generation of a trusted table (no merge): its versions. -#}
{% macro trusted_versions(source_name) -%}
  {{ return(adapter.dispatch('trusted_versions')(source_name)) }}
{%- endmacro %}

{% macro default__trusted_versions(source_name) -%}
  {{ var('trusted_external_schema', 'trusted_spectrum') }}.{{ source_name }}
{%- endmacro %}

{% macro duckdb__trusted_versions(source_name) -%}
  {%- set node = graph.sources['source.' ~ project_name ~ '.trusted.' ~ source_name] -%}
  {%- set meta = trusted_meta(node) -%}
  {{ trusted_scan(env_var('SECOP_LAKE_URI', '') ~ '/' ~ meta['trusted_path'] ~ '/*/*.parquet', meta) }}
{%- endmacro %}

{#- The award units a trusted source's rows belong to: the portfolio (SECOP II: an award is recomputed
    with its portfolio's process, contracts and offers) and the award key (an award without a
    portfolio); for a register of suppliers, the supplier documents its rows name (their awards are
    recomputed). One place for every model incremental on awards. -#}
{% macro award_unit_columns() -%}
  {{ return({
      'secop_ii_procesos': {'portfolio_id': 'id_del_portafolio', 'award_key': "'PROC:' || id_del_proceso"},
      'secop_ii_contratos': {'portfolio_id': 'proceso_de_compra', 'award_key': 'id_contrato'},
      'secop_ii_ofertas': {'portfolio_id': 'id_del_proceso_de_compra', 'award_key': 'null'},
      'secop_i_procesos': {'portfolio_id': 'null', 'award_key': "'SECOP_I:' || uid"},
      'tvec_ordenes': {'portfolio_id': 'null', 'award_key': "'TVEC:' || identificador_de_la_orden"},
      'rues_personas': {'supplier_documents': ['nit_key', 'numero_identificacion_key']},
  }) }}
{%- endmacro %}

{#- The table of the units this incremental run recomputes (pre-hooks fill it, the model reads it). -#}
{% macro changed_units_table() -%}
  {{ return(this.schema ~ '.' ~ this.identifier ~ '__changed_units') }}
{%- endmacro %}

{#- The award units of `source`'s changed rows in `window`, as (portfolio_id, award_key) rows. A register's
    changed documents become the keys of their awards in int_awards (every version of a changed row
    names its documents: a registration that moved to another document changes the awards of both). -#}
{% macro changed_award_units(source, window) -%}
  {%- set unit = award_unit_columns()[source] -%}
  {%- set text = dbt.type_string() -%}
  {%- if 'supplier_documents' in unit -%}
    {%- set cases = [] -%}
    {%- set ordinals = [] -%}
    {%- for column in unit['supplier_documents'] -%}
      {%- do cases.append('when ' ~ loop.index ~ ' then ' ~ column) -%}
      {%- do ordinals.append('select ' ~ loop.index ~ ' as ordinal') -%}
    {%- endfor -%}
    select distinct cast(null as {{ text }}) as portfolio_id, cast(award_key as {{ text }}) as award_key
    from {{ ref('int_awards') }}
    where supplier_document_key in (
        select case documents.ordinal {{ cases | join(' ') }} end
        from {{ changed_key_versions(source, window) }}
        cross join ({{ ordinals | join(' union all ') }}) as documents
    )
  {%- else -%}
    select distinct cast({{ unit['portfolio_id'] }} as {{ text }}) as portfolio_id,
        cast({{ unit['award_key'] }} as {{ text }}) as award_key
    from {{ changed_key_versions(source, window) }}
  {%- endif -%}
{%- endmacro %}

{#- Pre-hook of a model incremental on awards: the award units that the model's sources changed in this
    run's window, then the model's rows of those units deleted (the model inserts them again). A model
    with `meta.incremental_unit: award` (an award key, no portfolio: the flags) is deleted by award key,
    its changed portfolios' awards (int_awards) added to the units; a model whose rows are portfolios' (no
    award key, `award_key=none`) by portfolio only: every version of a changed award carries its
    portfolio among the units. -#}
{% macro recompute_award_units(award_key='award_key') -%}
  {%- if is_incremental_run() -%}
    {{ write_changed_award_units() }};
    {% if records_changed_awards() -%}{{ record_changed_award_units() }};{%- endif %}
    {% if model.config.meta.get('incremental_unit') == 'award' -%}
    insert into {{ changed_units_table() }} (portfolio_id, award_key)
    select distinct cast(null as {{ dbt.type_string() }}), award_key from {{ ref('int_awards') }}
    where portfolio_id in (select portfolio_id from {{ changed_units_table() }});
    delete from {{ this }} where award_key in (select award_key from {{ changed_units_table() }})
    {%- else -%}
    delete from {{ this }}
    where portfolio_id in (select portfolio_id from {{ changed_units_table() }})
    {%- if award_key %}
       or {{ award_key }} in (select award_key from {{ changed_units_table() }})
    {%- endif %}
    {%- endif %}
  {%- elif records_changed_awards() -%}
    {{ record_every_award_changed() }}
  {%- else -%}
    select 1
  {%- endif -%}
{%- endmacro %}

{#- The award units that the model's sources changed in this run's window, written to changed_units_table()
    (statements for a pre-hook). -#}
{% macro write_changed_award_units() -%}
  {%- set window = incremental_window() -%}
  {%- set parts = [] -%}
  {%- for source in incremental_sources() -%}
    {%- do parts.append(changed_award_units(source, window[source])) -%}
  {%- endfor -%}
  drop table if exists {{ changed_units_table() }};
  create table {{ changed_units_table() }} as {{ parts | join(' union all ') }}
{%- endmacro %}

{#- In the model: its rows of a relation restricted to the changed units on an incremental run (to the
    changed portfolios only without `award_key`). -#}
{% macro in_changed_units(portfolio_id, award_key=none) -%}
  {%- if is_incremental_run() -%}
    ({{ portfolio_id }} in (select portfolio_id from {{ changed_units_table() }})
     {%- if award_key %}
     or {{ award_key }} in (select award_key from {{ changed_units_table() }})
     {%- endif %})
  {%- else -%}
    true
  {%- endif -%}
{%- endmacro %}

{#- Pre-hook of a model whose unit is the key of its one source (a row per key, or rows per key): the
    keys that the run's window changed, in the model's columns `meta.incremental_key` (one column, or a
    list matching the source's key columns in order), then the model's rows of those keys deleted. -#}
{% macro recompute_changed_keys() -%}
  {%- if is_incremental_run() -%}
    {%- set columns = model.config.meta['incremental_key'] -%}
    {%- set columns = [columns] if columns is string else columns -%}
    {%- set source = incremental_sources() | first -%}
    {%- set node = graph.sources['source.' ~ project_name ~ '.trusted.' ~ source] -%}
    {%- set key = trusted_meta(node)['key'] -%}
    {%- if key | length != columns | length -%}
      {{ exceptions.raise_compiler_error(model.name ~ ": meta.incremental_key " ~ columns ~ " must name one column per key column of " ~ source ~ " " ~ key) }}
    {%- endif -%}
    {%- set renamed = [] -%}
    {%- set matches = [] -%}
    {%- for column in columns -%}
      {%- do renamed.append(key[loop.index0] ~ ' as ' ~ column) -%}
      {%- do matches.append('changed.' ~ column ~ ' = ' ~ this ~ '.' ~ column) -%}
    {%- endfor -%}
    drop table if exists {{ changed_units_table() }};
    create table {{ changed_units_table() }} as
    select distinct {{ renamed | join(', ') }} from {{ trusted_changes(source, incremental_window()[source]) }} as changes;
    {% if columns | length == 1 -%}
    delete from {{ this }} where {{ columns[0] }} in (select {{ columns[0] }} from {{ changed_units_table() }})
    {%- else -%}
    delete from {{ this }} where exists (select 1 from {{ changed_units_table() }} as changed where {{ matches | join(' and ') }})
    {%- endif %}
  {%- else -%}
    select 1
  {%- endif -%}
{%- endmacro %}

{#- Post-hook of every model incremental on the trusted zone's changes. -#}
{% macro changed_units_recomputed() -%}
  {%- if is_incremental_run() -%}drop table if exists {{ changed_units_table() }};{%- endif %}
  {{ record_incremental_state() }}
{%- endmacro %}

{#- Models of trailing windows over awards (a row per award with totals over the awards of the same `keys`
    in the `window_days` days ending on its award date): a changed award (keys k, award date d) changes the
    rows of k dated d .. d + window_days - 1, at its old (keys, date) and at its new one. The table of those
    (keys, award_date) of this run (the pre-hook fills it, the model reads it). -#}
{% macro changed_windows_table() -%}
  {{ return(this.schema ~ '.' ~ this.identifier ~ '__changed_windows') }}
{%- endmacro %}

{#- Pre-hook of a model of trailing windows incremental on awards (rows with award units, `keys` and
    award_date; one per award): the award units changed in this run's window, the (keys, award_date) of
    their old versions (the model's own rows of those units) and of their new ones (`current`: the model's
    awards as they are now, with the same columns), then the model's rows whose windows those change,
    deleted (the model inserts them again, see in_changed_windows). -#}
{% macro recompute_trailing_windows(current, keys, window_days) -%}
  {%- if is_incremental_run() -%}
    {{ write_changed_award_units() }};
    drop table if exists {{ changed_windows_table() }};
    create table {{ changed_windows_table() }} as
    select {{ keys | join(', ') }}, award_date from {{ this }}
    where {{ in_changed_units('portfolio_id', 'award_key') }}
    union
    select {{ keys | join(', ') }}, award_date from {{ current }}
    where {{ in_changed_units('portfolio_id', 'award_key') }}
      {%- for key in keys %} and {{ key }} is not null{% endfor %} and award_date is not null;
    {% if records_changed_awards() -%}
    {{ record_changed_award_units() }};
    insert into {{ changed_awards_table() }} (change_kind, portfolio_id, award_key)
    select 'award', null, award_key from {{ this }} where {{ in_changed_windows(this, keys, window_days) }};
    {% endif -%}
    delete from {{ this }} where {{ in_changed_windows(this, keys, window_days) }}
  {%- elif records_changed_awards() -%}
    {{ record_every_award_changed() }}
  {%- else -%}
    select 1
  {%- endif -%}
{%- endmacro %}

{#- Whether a row of `relation` (a relation or alias with `keys` and award_date) is one whose window this
    run changed: its award date within window_days - 1 days after a changed (keys, award_date). -#}
{% macro in_changed_windows(relation, keys, window_days) -%}
  exists (
      select 1 from {{ changed_windows_table() }} as changed_window
      where {% for key in keys %}changed_window.{{ key }} = {{ relation }}.{{ key }}
        and {% endfor -%}
        {{ relation }}.award_date >= changed_window.award_date
        and {{ relation }}.award_date <= {{ dbt.dateadd('day', window_days - 1, 'changed_window.award_date') }}
  )
{%- endmacro %}

{#- Post-hook of a model of trailing windows incremental on awards. -#}
{% macro changed_windows_recomputed() -%}
  {%- if is_incremental_run() -%}drop table if exists {{ changed_windows_table() }};{%- endif %}
  {{ changed_units_recomputed() }}
{%- endmacro %}

{#- int_awards, only the changed units' awards on an incremental run (for evaluated_awards). -#}
{% macro changed_awards() -%}
  {%- if is_incremental_run() -%}
    (select * from {{ ref('int_awards') }} where {{ in_changed_units('portfolio_id', 'award_key') }}) as changed_awards
  {%- else -%}
    {{ ref('int_awards') }}
  {%- endif -%}
{%- endmacro %}

{#- Rows of any version of a trusted source (`relation`: its `source()`), for questions that any version
    answers as well as the latest (does the source hold a row?): on DuckDB its parquet files read as they
    are, without merging generations; the merged relation where there are none or no files listing. -#}
{% macro any_trusted_version(relation) -%}
  {{ return(adapter.dispatch('any_trusted_version')(relation)) }}
{%- endmacro %}

{% macro default__any_trusted_version(relation) -%}
  {{ relation }}
{%- endmacro %}

{% macro duckdb__any_trusted_version(relation) -%}
  {%- if (current_generations().get(relation.identifier) or {}).get('latest') -%}
    {{ trusted_versions(relation.identifier) }}
  {%- else -%}
    {{ relation }}
  {%- endif -%}
{%- endmacro %}
