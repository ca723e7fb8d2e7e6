{#- The evaluation log of the near-real-time path (docs/indicators/README.md): one row per (contract
    version, streaming indicator) evaluated, fired or not, appended once.

    A micro-batch run evaluates the live contracts (int_awards' rule: not 'Borrador' or 'Cancelado')
    whose version (`published_at` = Socrata `:updated_at`) is at or after the high water and not logged
    yet: `>=`, because one upsert stamps many rows with one `:updated_at` and ingestion pages can split
    them between runs. High water = the latest `published_at` logged, else var `alerts_since`, which is
    exclusive (the sensor passes the newest row it had seen when it started); with neither (a batch
    build without vars) nothing is evaluated and the log starts empty. A retried run
    logs nothing twice. The new contracts go through the batch models' own SQL (macros contract_awards,
    universe__costly_offers, bid_gaps, coded_awards, supplier_segments, universe__winner_share_of_buyer
    and flags__<id>) against the current reference data. repeat_awards, heterogeneous_supplier and
    winner_share_of_buyer count the current awards of the same parties, not only those of the last batch
    build; the Tukey fences (close_to_winning_bid, heavily_discounted_bid, heterogeneous_supplier) are
    the last batch build's, as the new award's population is.
    Incremental, append-only history, never rebuilt (its config is in dbt_project.yml, tag `live`). -#}
{%- set alerts_since = timestamp_var('alerts_since') -%}
{%- set window_start = timestamp_var('live_window_start') -%}
{%- set window_end = timestamp_var('live_window_end') -%}
{#- The high water is read before the model runs (macro logged_high_water): a literal bound lets the
    contracts' scan skip by zone, and when no contract version is new (a batch build with the live path up
    to date, or without it) the model inserts nothing instead of joining every reference table to nothing. -#}
{%- set logged = logged_high_water('published_at') if is_incremental_run() else none -%}
{%- set bounds = [] -%}
{%- if logged %}{% do bounds.append('contracts.source_updated_at >= ' ~ logged) %}{% endif -%}
{%- if alerts_since -%}
  {%- do bounds.append('(' ~ (logged ~ ' is null and ' if logged else '') ~ 'contracts.source_updated_at > ' ~ alerts_since ~ ')') -%}
{%- endif -%}
{%- set new_versions -%}
    select contracts.*
    from {{ ref('stg_secop_ii_contratos') }} as contracts
    where ({{ bounds | join(' or ') if bounds else '1 = 0' }})
    {%- if is_incremental_run() %}
      and {{ absent_from_this({'award_key': 'contracts.contract_id', 'published_at': 'contracts.source_updated_at'}) }}
    {%- endif %}
{%- endset -%}
{%- if bounds and run_started_hooks() and not run_query('select 1 from (' ~ new_versions ~ ') as candidates limit 1').rows -%}
  {%- set new_versions = 'select * from (' ~ new_versions ~ ') as candidates where 1 = 0' -%}
{%- endif -%}
{#- What each indicator's macro reads; the others read the new awards. -#}
{%- set flag_inputs = {
    'repeat_awards': 'repeat_award_candidates',
    'costly_offers': 'costly_offers_universe',
    'close_to_winning_bid': 'bid_gap_universe',
    'heavily_discounted_bid': 'bid_gap_universe',
    'heterogeneous_supplier': 'heterogeneous_supplier_universe',
    'winner_share_of_buyer': 'winner_share_universe',
} -%}

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

-- The contract versions published since the high water that the log does not hold yet.
new_versions as (
    {{ new_versions }}
),

live_awards as (
    {{ contract_awards('new_versions', 'processes', own_processes_only=true) }}
),

-- The current awards of the new awards' suppliers (repeat_awards, heterogeneous_supplier) and of their
-- entities (winner_share_of_buyer): int_awards' rule applied now to those parties' contracts (the
-- trusted zone holds every version cleaned so far, also those of earlier micro-batches, which int_awards
-- lacks until the next batch build), plus int_awards' process awards of those parties that no contract
-- row supersedes. A contract without an entity key of its own (its process's entity) is not counted.
{%- for party in ['supplier', 'entity'] %}
{%- set key = party ~ '_key' %}
live_{{ party }}_keys as (
    select distinct {{ key }} from live_awards
),

{{ party }}_contracts as (
    select contracts.*
    from contracts
    where exists (select 1 from live_{{ party }}_keys as keys where keys.{{ key }} = contracts.{{ key }})
),

{{ party }}_contract_awards as (
    {{ contract_awards(party ~ '_contracts', 'processes', own_processes_only=true) }}
),

{{ party }}_awards as (
    select * from {{ party }}_contract_awards
    union all
    select batch_awards.*
    from batch_awards
    where batch_awards.award_source = 'process'
      and exists (select 1 from live_{{ party }}_keys as keys where keys.{{ key }} = batch_awards.{{ key }})
      and not exists (select 1 from contracts where contracts.portfolio_id = batch_awards.portfolio_id)
),
{% endfor %}
-- repeat_awards counts the awards of the same (entity, supplier) in the award's year.
live_pairs as (
    select distinct entity_key, supplier_key from live_awards
),

repeat_award_candidates as (
    select supplier_awards.*
    from supplier_awards
    inner join live_pairs
        on supplier_awards.entity_key = live_pairs.entity_key
        and supplier_awards.supplier_key = live_pairs.supplier_key
),

-- Only the offers of the new awards' portfolios are aggregated.
costly_offers_universe as (
    {{ universe__costly_offers('live_awards', own_offers_only=true) }}
),

-- close_to_winning_bid and heavily_discounted_bid: the gap of each new award's process against the
-- population's fences of the last batch build (int_bid_gap_fences).
live_bid_gaps as (
    {{ bid_gaps('live_awards', own_offers_only=true) }}
),

bid_gap_universe as (
    select live_bid_gaps.*, fences.population, fences.q1, fences.q3, fences.lower_fence, fences.upper_fence
    from live_bid_gaps
    cross join {{ ref('int_bid_gap_fences') }} as fences
),

-- heterogeneous_supplier: each new coded award's supplier, its segments over its current coded awards,
-- against the fence of the last batch build (int_universe__heterogeneous_supplier).
live_coded_awards as (
    {{ coded_awards('live_awards') }}
),

supplier_coded_awards as (
    {{ coded_awards('supplier_awards') }}
),

live_supplier_segments as (
    {{ supplier_segments('supplier_coded_awards') }}
),

segment_fence as (
    select distinct population_suppliers, q1, q3, upper_fence
    from {{ ref('int_universe__heterogeneous_supplier') }}
),

heterogeneous_supplier_universe as (
    {{ heterogeneous_awards('live_coded_awards', 'live_supplier_segments', 'segment_fence') }}
),

-- winner_share_of_buyer: each new award's window over its entity's current awards.
winner_share_universe as (
    {{ universe__winner_share_of_buyer('entity_awards', 'live_awards') }}
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
