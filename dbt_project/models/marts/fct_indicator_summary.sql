{#- One row per (indicator_id, run_date); a rerun of the same day replaces its rows, earlier days stay
    (docs/indicators/README.md). Each count has one grain: `flagged_units` = distinct irregularity
    units (what `unit` says), `flagged_awards` = distinct flagged awards, `flagged_amount` = their award
    values summed once each, `flagged_excess_amount` = the amounts above the reference (e.g. the
    overpayment over the cheapest offer) where the indicator has one, `total_awards` = the awards the
    indicator evaluated (its flag in fct_contract_risk is not null: its universe model, else every award).
    An indicator that could not be evaluated in this build (int_indicator_status) has every count null,
    `is_evaluated` false and its reasons in `not_evaluated_reason` (a JSON list of records, each with its
    `kind`: texts/ renders them): never a zero that looks like a result. Rows of dates before these two
    columns existed keep them null; rows of builds before the reasons were records hold an English sentence. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['indicator_id', 'run_date'],
    on_schema_change='append_new_columns'
) }}

with indicators as (
    select * from {{ ref('indicators') }}
),

status as (
    select * from {{ ref('int_indicator_status') }}
),

flags as (
    select * from {{ ref('fct_contract_flags') }}
),

-- The awards each indicator evaluated: its flag in fct_contract_risk is 1 or 0, not null.
evaluated as (
    select
        {%- for indicator_id in indicator_ids() %}
        count(flag_{{ indicator_id }}) as {{ indicator_id }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('fct_contract_risk') }}
),

universes as (
    {%- for indicator_id in indicator_ids() %}
    select '{{ indicator_id }}' as indicator_id, {{ indicator_id }} as total_awards
    from evaluated
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

finer_units as (
    {%- for indicator_id, model in indicator_units().items() %}
    select '{{ indicator_id }}' as indicator_id, count(distinct unit_key) as flagged_units from {{ ref(model) }}
    union all
    {%- endfor %}
    select indicator_id, cast(null as bigint) as flagged_units from indicators where 1 = 0
),

per_indicator as (
    select
        indicator_id,
        count(distinct unit_key) as flagged_units,
        count(distinct award_key) as flagged_awards,
        sum(award_value) as flagged_amount,
        sum(excess_amount) as flagged_excess_amount
    from flags
    group by indicator_id
),

final as (
    select
        cast(indicators.indicator_id as {{ dbt.type_string() }}) as indicator_id,
        cast(indicators.indicator_group as {{ dbt.type_string() }}) as indicator_group,
        cast(indicators.indicator_name as {{ dbt.type_string() }}) as indicator_name,
        {{ run_date() }} as run_date,
        cast(case when status.is_evaluated then coalesce(finer_units.flagged_units, per_indicator.flagged_units, 0) end
            as bigint) as flagged_units,
        cast(case when status.is_evaluated then coalesce(per_indicator.flagged_awards, 0) end as bigint) as flagged_awards,
        cast(case when status.is_evaluated then coalesce(per_indicator.flagged_amount, 0) end as decimal(30, 3))
            as flagged_amount,
        cast(case when status.is_evaluated then per_indicator.flagged_excess_amount end as decimal(30, 3))
            as flagged_excess_amount,
        cast(case when status.is_evaluated then coalesce(universes.total_awards, 0) end as bigint) as total_awards,
        cast(indicators.unit as {{ dbt.type_string() }}) as unit,
        status.is_evaluated,
        cast(status.not_evaluated_reason as {{ long_text_type() }}) as not_evaluated_reason
    from indicators
    inner join status on indicators.indicator_id = status.indicator_id
    left join per_indicator on indicators.indicator_id = per_indicator.indicator_id
    left join universes on indicators.indicator_id = universes.indicator_id
    left join finer_units on indicators.indicator_id = finer_units.indicator_id
)

select * from final
