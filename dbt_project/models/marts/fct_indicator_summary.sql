{#- One row per (indicator_id, run_date); a rerun of the same day replaces its rows, earlier days stay
    (spec/indicators.md C5, C7). Each count has one grain: `flagged_units` = distinct irregularity
    units, `flagged_awards` = distinct flagged awards, `flagged_amount` = their award values summed
    once each (C3), `total_awards` = the evaluated award universe. -#}
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key=['indicator_id', 'run_date']) }}

with indicators as (
    select * from {{ ref('indicators') }}
),

flags as (
    select * from {{ ref('fct_contract_flags') }}
),

universe as (
    select count(distinct award_key) as total_awards from {{ ref('int_awards') }}
),

per_indicator as (
    select
        indicator_id,
        count(distinct unit_key) as flagged_units,
        count(distinct award_key) as flagged_awards,
        sum(award_value) as flagged_amount
    from flags
    group by indicator_id
),

final as (
    select
        indicators.indicator_id,
        indicators.indicator_group,
        indicators.indicator_name,
        {{ run_date() }} as run_date,
        cast(coalesce(per_indicator.flagged_units, 0) as bigint) as flagged_units,
        cast(coalesce(per_indicator.flagged_awards, 0) as bigint) as flagged_awards,
        cast(coalesce(per_indicator.flagged_amount, 0) as decimal(30, 3)) as flagged_amount,
        cast(universe.total_awards as bigint) as total_awards,
        indicators.unit
    from indicators
    cross join universe
    left join per_indicator on indicators.indicator_id = per_indicator.indicator_id
)

select * from final
