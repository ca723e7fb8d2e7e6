{#- Universe of `winner_share_of_buyer`: the valued awards (entity, supplier, award date known and
    award value > 0) whose entity awarded at least var `winner_share_min_entity_awards` valued awards in
    the award's window, with the window's totals. The window of an award = the var `winner_share_window_days`
    days ending on its award date, both ends included (365: the previous 12 months, the award's day in).
    The totals are summed per day first, so a big entity's window is a join of days, not of awards. -#}
{%- set window_days = var('winner_share_window_days') -%}
{%- set min_awards = var('winner_share_min_entity_awards') -%}

with valued_awards as (
    select
        {{ award_columns() }}
    from {{ ref('int_awards') }}
    where entity_key is not null
      and award_date is not null
      and award_value > 0
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

-- The entity's totals over the window ending on each of its award days (too few awards: not evaluated),
-- and the supplier's totals with that entity over the same window.
entity_windows as (
    {{ trailing_window_totals('entity_days', ['entity_key'], 'entity', window_days, min_awards=min_awards) }}
),

pair_windows as (
    {{ trailing_window_totals('pair_days', ['entity_key', 'supplier_key'], 'supplier', window_days) }}
),

final as (
    select
        {{ award_columns('valued_awards') }},
        cast({{ dbt.dateadd('day', -(window_days - 1), 'valued_awards.award_date') }} as date) as window_start,
        pair_windows.supplier_window_awards,
        pair_windows.supplier_window_value,
        entity_windows.entity_window_awards,
        entity_windows.entity_window_value,
        cast(
            cast(pair_windows.supplier_window_value as double precision)
            / cast(entity_windows.entity_window_value as double precision)
            as decimal(18, 6)
        ) as supplier_share
    from valued_awards
    inner join entity_windows
        on valued_awards.entity_key = entity_windows.entity_key
        and valued_awards.award_date = entity_windows.award_date
    inner join pair_windows
        on valued_awards.entity_key = pair_windows.entity_key
        and valued_awards.supplier_key = pair_windows.supplier_key
        and valued_awards.award_date = pair_windows.award_date
)

select * from final
