{#- The body of int_universe__winner_share_of_buyer (the rule is documented there) for the awards of
    `evaluated` over the entities' awards in `awards` (relations or CTE names with int_awards' columns):
    the batch model passes int_awards (evaluated: none, the same awards), the live path every current
    award of the new awards' entities and the new awards. The totals are summed per day first, so a big
    entity's window is a join of days, not of awards (macro trailing_window_totals). -#}
{% macro universe__winner_share_of_buyer(awards, evaluated=none) -%}
{%- set window_days = var('winner_share_window_days') -%}
{%- set valued = 'entity_key is not null and award_date is not null and award_value > 0' -%}

with valued_awards as (
    select {{ award_columns() }} from {{ awards }} where {{ valued }}
),

evaluated_awards as (
    {%- if evaluated %}
    select {{ award_columns() }} from {{ evaluated }} where {{ valued }} and supplier_key is not null
    {%- else %}
    select * from valued_awards where supplier_key is not null
    {%- endif %}
),

-- One row per (entity, award day), and per (entity, supplier, award day): the day's awards and value.
entity_days as (
    select entity_key, award_date, count(*) as day_awards, sum(award_value) as day_value
    from valued_awards
    group by entity_key, award_date
),

pair_days as (
    select entity_key, supplier_key, award_date, count(*) as day_awards, sum(award_value) as day_value
    from valued_awards
    where supplier_key is not null
    group by entity_key, supplier_key, award_date
),

-- The entity's totals over the window ending on each evaluated award day (too few awards: not evaluated),
-- and the supplier's totals with that entity over the same window.
entity_windows as (
    {{ trailing_window_totals(
        'entity_days', ['entity_key'], 'entity', window_days,
        min_awards=var('winner_share_min_entity_awards'),
        ends='(select distinct entity_key, award_date from evaluated_awards)'
    ) }}
),

pair_windows as (
    {{ trailing_window_totals(
        'pair_days', ['entity_key', 'supplier_key'], 'supplier', window_days,
        ends='(select distinct entity_key, supplier_key, award_date from evaluated_awards)'
    ) }}
)

select
    {{ award_columns('evaluated_awards') }},
    cast({{ dbt.dateadd('day', -(window_days - 1), 'evaluated_awards.award_date') }} as date) as window_start,
    pair_windows.supplier_window_awards,
    pair_windows.supplier_window_value,
    entity_windows.entity_window_awards,
    entity_windows.entity_window_value,
    cast(
        cast(pair_windows.supplier_window_value as double precision)
        / cast(entity_windows.entity_window_value as double precision)
        as decimal(18, 6)
    ) as supplier_share
from evaluated_awards
inner join entity_windows
    on evaluated_awards.entity_key = entity_windows.entity_key
    and evaluated_awards.award_date = entity_windows.award_date
inner join pair_windows
    on evaluated_awards.entity_key = pair_windows.entity_key
    and evaluated_awards.supplier_key = pair_windows.supplier_key
    and evaluated_awards.award_date = pair_windows.award_date
{%- endmacro %}
