{#- The evaluation log of the near-real-time path (docs/indicators/README.md): one row per (contract
    version, streaming indicator) evaluated, fired or not, appended once.

    A micro-batch run evaluates the live contracts (int_awards' rule: not 'Borrador' or 'Cancelado')
    whose version (`published_at` = Socrata `:updated_at`) is at or after the high water and not logged
    yet: `>=`, because one upsert stamps many rows with one `:updated_at` and ingestion pages can split
    them between runs. High water = the latest `published_at` logged, else var `alerts_since`, which is
    exclusive (the sensor passes the newest row it had seen when it started); with neither (a batch
    build without vars) nothing is evaluated and the log starts empty. A retried run
    logs nothing twice. The new contracts go through the batch models' own SQL (macros contract_awards,
    universe__costly_offers and flags__<id>) against the current reference data; repeat_awards counts the
    current contracts of the same (entity, supplier), not only those of the last batch build.
    Incremental, append-only history, never rebuilt (its config is in dbt_project.yml, tag `live`). -#}
{%- set alerts_since = timestamp_var('alerts_since') -%}
{%- set window_start = timestamp_var('live_window_start') -%}
{%- set window_end = timestamp_var('live_window_end') -%}
{#- What each indicator's macro reads; the others read the new awards. -#}
{%- set flag_inputs = {'repeat_awards': 'repeat_award_candidates', 'costly_offers': 'costly_offers_universe'} -%}

with contracts as (
    select * from {{ ref('stg_secop_ii_contratos') }}
),

processes as (
    select * from {{ ref('stg_secop_ii_procesos') }}
),

batch_awards as (
    select * from {{ ref('int_awards') }}
),

indicators as (
    select * from {{ ref('indicators') }}
    where indicator_id in ('{{ streaming_indicator_ids() | join("', '") }}')
),

high_water as (
    select
        {% if is_incremental_run() %}(select max(published_at) from {{ this }}){% else %}cast(null as timestamp){% endif %} as logged,
        {{ alerts_since or 'cast(null as timestamp)' }} as since
),

-- The contract versions published since the high water that the log does not hold yet.
new_versions as (
    select contracts.*
    from contracts
    inner join high_water
        on contracts.source_updated_at >= high_water.logged
        or (high_water.logged is null and contracts.source_updated_at > high_water.since)
    {%- if is_incremental_run() %}
    where {{ absent_from_this({'award_key': 'contracts.contract_id', 'published_at': 'contracts.source_updated_at'}) }}
    {%- endif %}
),

live_awards as (
    {{ contract_awards('new_versions', 'processes', own_processes_only=true) }}
),

-- repeat_awards counts the awards of the same (entity, supplier) in the award's year: int_awards'
-- rule applied now to the contracts of the new awards' suppliers (the trusted zone holds every version
-- cleaned so far, also those of earlier micro-batches, which int_awards lacks until the next batch
-- build), plus int_awards' process awards of those pairs that no contract row supersedes.
live_pairs as (
    select distinct entity_key, supplier_key from live_awards
),

pair_contracts as (
    select contracts.*
    from contracts
    where exists (select 1 from live_pairs where live_pairs.supplier_key = contracts.supplier_key)
),

pair_contract_awards as (
    {{ contract_awards('pair_contracts', 'processes', own_processes_only=true) }}
),

repeat_award_candidates as (
    select pair_contract_awards.*
    from pair_contract_awards
    inner join live_pairs
        on pair_contract_awards.entity_key = live_pairs.entity_key
        and pair_contract_awards.supplier_key = live_pairs.supplier_key
    union all
    select batch_awards.*
    from batch_awards
    inner join live_pairs
        on batch_awards.entity_key = live_pairs.entity_key
        and batch_awards.supplier_key = live_pairs.supplier_key
    where batch_awards.award_source = 'process'
      and not exists (select 1 from contracts where contracts.portfolio_id = batch_awards.portfolio_id)
),

-- Only the offers of the new awards' portfolios are aggregated.
costly_offers_universe as (
    {{ universe__costly_offers('live_awards', own_offers_only=true) }}
),

flags as (
    {%- for indicator_id in streaming_indicator_ids() %}
    select award_key, indicator_id, unit_key, match_method, evidence, excess_amount
    from ({{ context['flags__' ~ indicator_id](flag_inputs.get(indicator_id, 'live_awards')) }}) as {{ indicator_id }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

evaluations as (
    select
        live_awards.award_key,
        indicators.indicator_id,
        new_versions.source_updated_at as published_at,
        indicators.indicator_group,
        flags.award_key is not null as is_flagged,
        flags.unit_key,
        flags.evidence,
        flags.match_method,
        live_awards.entity_key,
        live_awards.entity_name,
        live_awards.supplier_key,
        live_awards.supplier_name,
        live_awards.award_date,
        live_awards.award_value,
        flags.excess_amount,
        live_awards.secop_url
    from live_awards
    inner join new_versions on live_awards.award_key = new_versions.contract_id
    cross join indicators
    left join flags
        on live_awards.award_key = flags.award_key
        and indicators.indicator_id = flags.indicator_id
),

final as (
    select
        -- keys
        cast(award_key as {{ dbt.type_string() }}) as award_key,
        cast(indicator_id as {{ dbt.type_string() }}) as indicator_id,
        cast(published_at as timestamp) as published_at,
        cast(indicator_group as {{ dbt.type_string() }}) as indicator_group,
        -- the evaluation
        is_flagged,
        cast(unit_key as {{ dbt.type_string() }}) as unit_key,
        cast(evidence as {{ long_text_type() }}) as evidence,
        cast(match_method as {{ dbt.type_string() }}) as match_method,
        -- the award
        cast(entity_key as {{ dbt.type_string() }}) as entity_key,
        cast(supplier_key as {{ dbt.type_string() }}) as supplier_key,
        cast(award_date as date) as award_date,
        cast(award_value as decimal(30, 3)) as award_value,
        cast(excess_amount as decimal(30, 3)) as excess_amount,
        cast(secop_url as {{ dbt.type_string() }}) as secop_url,
        -- the run
        cast({{ current_utc_timestamp() }} as timestamp) as detected_at,
        cast({{ window_start or 'min(published_at) over ()' }} as timestamp) as window_start,
        cast({{ window_end or 'max(published_at) over ()' }} as timestamp) as window_end,
        {{ run_date() }} as run_date,
        -- the award's parties by name (for the alert's sentence; added after the others: the log is append-only)
        cast(entity_name as {{ dbt.type_string() }}) as entity_name,
        cast(supplier_name as {{ dbt.type_string() }}) as supplier_name
    from evaluations
)

select * from final
