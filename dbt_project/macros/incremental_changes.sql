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
    not a compile, which has none). Asked of the command, not of the relation cache, which dbt fills
    before those hooks create the tables. -#}
{% macro run_started_hooks() -%}
  {{ return(execute and flags.WHICH in ('run', 'build')) }}
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
    portfolio). One place for every model incremental on awards. -#}
{% macro award_unit_columns() -%}
  {{ return({
      'secop_ii_procesos': {'portfolio_id': 'id_del_portafolio', 'award_key': "'PROC:' || id_del_proceso"},
      'secop_ii_contratos': {'portfolio_id': 'proceso_de_compra', 'award_key': 'id_contrato'},
      'secop_ii_ofertas': {'portfolio_id': 'id_del_proceso_de_compra', 'award_key': 'null'},
      'secop_i_procesos': {'portfolio_id': 'null', 'award_key': "'SECOP_I:' || uid"},
      'tvec_ordenes': {'portfolio_id': 'null', 'award_key': "'TVEC:' || identificador_de_la_orden"},
  }) }}
{%- endmacro %}

{#- The table of the units this incremental run recomputes (pre-hooks fill it, the model reads it). -#}
{% macro changed_units_table() -%}
  {{ return(this.schema ~ '.' ~ this.identifier ~ '__changed_units') }}
{%- endmacro %}

{#- Pre-hook of a model incremental on awards: the award units that the model's sources changed in this
    run's window, then the model's rows of those units deleted (the model inserts them again). A model
    whose rows are portfolios' (no award key, `award_key=none`) deletes and inserts by portfolio only:
    every version of a changed award carries its portfolio among the units. -#}
{% macro recompute_award_units(award_key='award_key') -%}
  {%- if is_incremental_run() -%}
    {%- set window = incremental_window() -%}
    {%- set columns = award_unit_columns() -%}
    {%- set parts = [] -%}
    {%- for source in incremental_sources() -%}
      {%- do parts.append(
          'select distinct cast(' ~ columns[source]['portfolio_id'] ~ ' as ' ~ dbt.type_string() ~ ') as portfolio_id, '
          ~ 'cast(' ~ columns[source]['award_key'] ~ ' as ' ~ dbt.type_string() ~ ') as award_key from '
          ~ changed_key_versions(source, window[source])) -%}
    {%- endfor -%}
    drop table if exists {{ changed_units_table() }};
    create table {{ changed_units_table() }} as {{ parts | join(' union all ') }};
    delete from {{ this }}
    where portfolio_id in (select portfolio_id from {{ changed_units_table() }})
    {%- if award_key %}
       or {{ award_key }} in (select award_key from {{ changed_units_table() }})
    {%- endif %}
  {%- else -%}
    select 1
  {%- endif -%}
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

{#- Pre-hook of a model whose unit is the key of its one source (a row per key): the keys that the run's
    window changed, in the model's column `meta.incremental_key`, then the model's rows of those keys deleted. -#}
{% macro recompute_changed_keys() -%}
  {%- if is_incremental_run() -%}
    {%- set column = model.config.meta['incremental_key'] -%}
    {%- set source = incremental_sources() | first -%}
    {%- set node = graph.sources['source.' ~ project_name ~ '.trusted.' ~ source] -%}
    {%- set key = trusted_meta(node)['key'] | first -%}
    drop table if exists {{ changed_units_table() }};
    create table {{ changed_units_table() }} as
    select distinct {{ key }} as {{ column }} from {{ trusted_changes(source, incremental_window()[source]) }} as changes;
    delete from {{ this }} where {{ column }} in (select {{ column }} from {{ changed_units_table() }})
  {%- else -%}
    select 1
  {%- endif -%}
{%- endmacro %}

{#- Post-hook of every model incremental on the trusted zone's changes. -#}
{% macro changed_units_recomputed() -%}
  {%- if is_incremental_run() -%}drop table if exists {{ changed_units_table() }};{%- endif %}
  {{ record_incremental_state() }}
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
