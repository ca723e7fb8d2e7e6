{#- fct_contract_risk in proportion to the change (docs/incremental.md). Its award-keyed inputs (int_awards, the
    universes, fct_contract_flags: its refs) record in table `changed_awards` which awards their runs
    changed, and an incremental run of fct_contract_risk deletes and recomputes only those, then empties
    the table. A row of the table is
    - 'unit': an award unit (portfolio_id, award_key) that an incremental run on award units recomputed
      (macro recompute_award_units): its awards, before and after, are the unit's key and the awards that
      int_awards now places in its portfolio (every version of a changed award names its key);
    - 'award': an award whose row a rebuild changed: a table's rows against its previous version (dbt
      keeps it as a backup until the commit), fct_contract_flags' fired indicators against the flags it
      holds, the awards in the trailing windows that a change recomputes;
    - 'every award': an input built without a previous version to compare (its first build, a full
      refresh): fct_contract_risk is then rebuilt in full.
    Rows stay until fct_contract_risk has read them, so a run that fails or leaves it out loses none.
    fct_contract_risk passes the change on, in table `changed_parties`, to the models incremental on the
    parties of its awards (`meta.incremental_on: changed_parties`, the party profiles): per model, the keys
    of its party (`meta.incremental_party`) that the recomputed awards had and have now, or null for every
    party (fct_contract_risk rebuilt in full). -#}

{% macro changed_awards_table() -%}
  {{ return(target.schema ~ '.changed_awards') }}
{%- endmacro %}

{% macro changed_parties_table() -%}
  {{ return(target.schema ~ '.changed_parties') }}
{%- endmacro %}

{#- on-run-start: the two tables, created once. -#}
{% macro create_changed_awards() -%}
  create table if not exists {{ changed_awards_table() }} (
      change_kind {{ dbt.type_string() }},
      portfolio_id {{ dbt.type_string() }},
      award_key {{ dbt.type_string() }}
  );
  create table if not exists {{ changed_parties_table() }} (
      consumer {{ dbt.type_string() }},
      party_key {{ dbt.type_string() }}
  )
{%- endmacro %}

{#- The models incremental on the parties of the changed awards: model name -> its party ('entity' or
    'supplier'). -#}
{% macro party_consumers() -%}
  {%- set found = {} -%}
  {%- for node in (graph.nodes.values() if execute else []) if node.resource_type == 'model'
      and node.config.meta.get('incremental_on') == 'changed_parties' -%}
    {%- do found.update({node.name: node.config.meta['incremental_party']}) -%}
  {%- endfor -%}
  {{ return(found) }}
{%- endmacro %}

{#- Whether the model being built is an input of fct_contract_risk whose award rows it records: one of its
    refs, or what a view among them selects from (the indicator status aside: the settings cover it). -#}
{% macro records_changed_awards() -%}
  {%- set risk = graph.nodes.get('model.' ~ project_name ~ '.fct_contract_risk') if execute else none -%}
  {%- if risk is none or model.name == 'int_indicator_status' -%}{{ return(false) }}{%- endif -%}
  {%- set inputs = [] -%}
  {%- for parent_id in risk.depends_on.nodes if parent_id in graph.nodes -%}
    {%- set parent = graph.nodes[parent_id] -%}
    {%- do inputs.extend(parent.depends_on.nodes if parent.config.materialized == 'view' else [parent_id]) -%}
  {%- endfor -%}
  {{ return(model.unique_id in inputs) }}
{%- endmacro %}

{% macro record_every_award_changed() -%}
  insert into {{ changed_awards_table() }} (change_kind, portfolio_id, award_key)
  values ('every award', null, null)
{%- endmacro %}

{#- In the pre-hook of a model incremental on award units, after changed_units_table() is written. -#}
{% macro record_changed_award_units() -%}
  insert into {{ changed_awards_table() }} (change_kind, portfolio_id, award_key)
  select distinct 'unit', portfolio_id, award_key from {{ changed_units_table() }}
{%- endmacro %}

{#- Post-hook of a table model on awards (a universe): the awards that joined or left it in this rebuild,
    against the previous table that dbt's table materialization keeps until its commit. Nothing for an
    incremental model (its pre-hook records its units) or a model fct_contract_risk does not read. -#}
{% macro record_rebuilt_awards() -%}
  {%- if not records_changed_awards() or model.config.materialized != 'table' -%}
    select 1
  {%- else -%}
    {%- set previous = make_backup_relation(this.incorporate(type='table'), 'table') -%}
    {%- if adapter.get_relation(previous.database, previous.schema, previous.identifier) is none -%}
      {{ record_every_award_changed() }}
    {%- else -%}
      insert into {{ changed_awards_table() }} (change_kind, portfolio_id, award_key)
      select 'award', null, award_key
      from (
          (select award_key from {{ this }} except select award_key from {{ previous }})
          union
          (select award_key from {{ previous }} except select award_key from {{ this }})
      ) as changed
    {%- endif -%}
  {%- endif -%}
{%- endmacro %}

{#- Pre-hook of fct_contract_flags: the awards that gained or lost a fired indicator (fct_contract_risk reads
    which indicators fired, not their evidence). -#}
{% macro record_changed_flags() -%}
  {%- if not is_incremental_run() -%}
    {{ record_every_award_changed() }}
  {%- else -%}
    insert into {{ changed_awards_table() }} (change_kind, portfolio_id, award_key)
    select distinct 'award', null, coalesce(now_firing.award_key, written.award_key)
    from {{ ref('int_contract_flags') }} as now_firing
    full outer join {{ this }} as written
        on written.award_key = now_firing.award_key and written.indicator_id = now_firing.indicator_id
    where now_firing.award_key is null or written.award_key is null
  {%- endif -%}
{%- endmacro %}

{#- What fct_contract_risk's rows depend on besides its inputs' rows: the risk weights, the indicators and
    which of them this build evaluates (int_indicator_status). A change rebuilds it in full. -#}
{% macro risk_settings_fingerprint() -%}
  {%- set evaluated = [] -%}
  {%- if run_started_hooks() -%}
    {%- set evaluated = run_query(
        'select indicator_id from ' ~ ref('int_indicator_status') ~ ' where is_evaluated order by indicator_id'
    ).columns[0].values() | list -%}
  {%- endif -%}
  {%- set settings = {'weights': risk_weights(), 'indicators': indicator_ids(), 'evaluated': evaluated} -%}
  {{ return(local_md5(tojson(settings, sort_keys=true))) }}
{%- endmacro %}

{#- What a party profile's rows depend on besides fct_contract_risk's and the flags' rows. -#}
{% macro party_settings_fingerprint() -%}
  {{ return(local_md5(tojson({'profile_top': var('profile_top')}, sort_keys=true))) }}
{%- endmacro %}

{% macro settings_fingerprint() -%}
  {{ return(risk_settings_fingerprint() if model.name == 'fct_contract_risk' else party_settings_fingerprint()) }}
{%- endmacro %}

{#- Why a model incremental on the changed awards or parties must be rebuilt in full (none: it can recompute
    the changed ones only). -#}
{% macro changed_awards_rebuild_reason() -%}
  {%- set recorded = (recorded_generations(model.name).get('settings') or {}).get('generation') -%}
  {%- if recorded is none -%}
    {{ return('no recorded settings') }}
  {%- elif recorded != settings_fingerprint() -%}
    {{ return('its settings changed (weights, indicators, those evaluated, profile_top)') }}
  {%- endif -%}
  {%- if model.config.meta.get('incremental_on') == 'changed_parties' -%}
    {%- set every = "select count(*) from " ~ changed_parties_table()
        ~ " where consumer = '" ~ model.name ~ "' and party_key is null" -%}
  {%- else -%}
    {%- set every = "select count(*) from " ~ changed_awards_table() ~ " where change_kind = 'every award'" -%}
  {%- endif -%}
  {%- set found = run_query(every).columns[0].values() -%}
  {%- if found and found[0] > 0 -%}
    {{ return('an input was built in full') }}
  {%- endif -%}
  {{ return(none) }}
{%- endmacro %}

{#- The statements that record the settings a model was built with (in its post-hook). -#}
{% macro record_settings() -%}
  delete from {{ incremental_state_table() }} where model_name = '{{ model.name }}';
  insert into {{ incremental_state_table() }} (model_name, source_name, base_generation, generation)
  values ('{{ model.name }}', 'settings', null, '{{ settings_fingerprint() }}')
{%- endmacro %}

{#- The table of the awards this incremental run of fct_contract_risk recomputes (its pre-hook fills it). -#}
{% macro recomputed_awards_table() -%}
  {{ return(changed_units_table()) }}
{%- endmacro %}

{#- Pre-hook of fct_contract_risk: the awards its inputs changed, then its rows of them deleted (the model
    inserts those that remain). -#}
{% macro recompute_changed_awards() -%}
  {%- if is_incremental_run() -%}
    drop table if exists {{ recomputed_awards_table() }};
    create table {{ recomputed_awards_table() }} as
    select award_key from {{ changed_awards_table() }} where award_key is not null
    union
    select award_key from {{ ref('int_awards') }}
    where portfolio_id in (
        select portfolio_id from {{ changed_awards_table() }} where change_kind = 'unit' and portfolio_id is not null
    );
    {% for consumer, party in party_consumers().items() -%}
    insert into {{ changed_parties_table() }} (consumer, party_key)
    select distinct '{{ consumer }}', {{ party }}_key
    from (
        select {{ party }}_key from {{ this }}
        where award_key in (select award_key from {{ recomputed_awards_table() }})
        union all
        select {{ party }}_key from {{ ref('int_awards') }}
        where award_key in (select award_key from {{ recomputed_awards_table() }})
    ) as parties
    where {{ party }}_key is not null;
    {% endfor -%}
    delete from {{ this }} where award_key in (select award_key from {{ recomputed_awards_table() }})
  {%- else -%}
    {%- for consumer in party_consumers() %}
    insert into {{ changed_parties_table() }} (consumer, party_key) values ('{{ consumer }}', null);
    {%- endfor %}
    select 1
  {%- endif -%}
{%- endmacro %}

{#- In fct_contract_risk: whether `award_key` is one this run recomputes (every award on a full build). -#}
{% macro in_recomputed_awards(award_key) -%}
  {%- if is_incremental_run() -%}
    {{ award_key }} in (select award_key from {{ recomputed_awards_table() }})
  {%- else -%}
    true
  {%- endif -%}
{%- endmacro %}

{#- Post-hook of fct_contract_risk: what it read is consumed, and the settings it was built with recorded. -#}
{% macro changed_awards_recomputed() -%}
  drop table if exists {{ recomputed_awards_table() }};
  delete from {{ changed_awards_table() }};
  {{ record_settings() }}
{%- endmacro %}

{#- Pre-hook of a model incremental on the changed parties: its rows of those parties deleted (the model
    inserts them again, see in_changed_parties). -#}
{% macro recompute_changed_parties() -%}
  {%- if is_incremental_run() -%}
    delete from {{ this }} where {{ in_changed_parties(model.config.meta['incremental_party'] ~ '_key') }}
  {%- else -%}
    select 1
  {%- endif -%}
{%- endmacro %}

{#- In such a model: whether `party_key` is one of the changed parties (every party on a full build). -#}
{% macro in_changed_parties(party_key) -%}
  {%- if is_incremental_run() -%}
    {{ party_key }} in (
        select party_key from {{ changed_parties_table() }} where consumer = '{{ model.name }}'
    )
  {%- else -%}
    true
  {%- endif -%}
{%- endmacro %}

{#- Post-hook of such a model: its changed parties consumed, its settings recorded. -#}
{% macro changed_parties_recomputed() -%}
  delete from {{ changed_parties_table() }} where consumer = '{{ model.name }}';
  {{ record_settings() }}
{%- endmacro %}
