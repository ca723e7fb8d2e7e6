{#- The window totals of winner_share_of_buyer (the rule is documented at int_universe__winner_share_of_buyer)
    for the awards of `evaluated` over the entities' awards in `awards` (relations or CTE names with
    int_awards' columns). The batch path passes int_awards to int_winner_share_windows (evaluated: none,
    the same awards; `every_valued_award`: also the awards without a supplier or below the minimum, whose
    windows an incremental run recomputes too), the live path every current award of the new awards'
    entities and the new awards (macro universe__winner_share_of_buyer). The totals are summed per day
    first, so a big entity's window is a join of days, not of awards (macro trailing_window_totals). -#}
{% macro winner_share_windows(awards, evaluated=none, every_valued_award=false) -%}
{%- set window_days = var('winner_share_window_days') -%}
{%- set valued = 'entity_key is not null and award_date is not null and award_value > 0' -%}
{%- set with_supplier = '' if every_valued_award else ' where supplier_key is not null' -%}

with valued_awards as (
    select {{ award_columns() }} from {{ awards }} where {{ valued }}
),

evaluated_awards as (
    {%- if evaluated %}
    select {{ award_columns() }} from {{ evaluated }} where {{ valued }}{{ ' and supplier_key is not null' if not every_valued_award }}
    {%- else %}
    select * from valued_awards{{ with_supplier }}
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

-- The entity's totals over the window ending on each evaluated award day (too few awards: not evaluated,
-- unless every valued award is asked for), and the supplier's totals with that entity over the same window.
entity_windows as (
    {{ trailing_window_totals(
        'entity_days', ['entity_key'], 'entity', window_days,
        min_awards=none if every_valued_award else var('winner_share_min_entity_awards'),
        ends='(select distinct entity_key, award_date from evaluated_awards)'
    ) }}
),

pair_windows as (
    {{ trailing_window_totals(
        'pair_days', ['entity_key', 'supplier_key'], 'supplier', window_days,
        ends='(select distinct entity_key, supplier_key, award_date from evaluated_awards where supplier_key is not null)'
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
{{ 'left' if every_valued_award else 'inner' }} join pair_windows
    on evaluated_awards.entity_key = pair_windows.entity_key
    and evaluated_awards.supplier_key = pair_windows.supplier_key
    and evaluated_awards.award_date = pair_windows.award_date
{%- endmacro %}

{#- The rows of int_universe__winner_share_of_buyer for the awards of `evaluated` over the entities' awards
    in `awards` (see winner_share_windows): the live path's body. -#}
{% macro universe__winner_share_of_buyer(awards, evaluated=none) -%}
{{ winner_share_windows(awards, evaluated) }}
{%- endmacro %}

{#- The columns of int_universe__winner_share_of_buyer, in order (of `relation` when given). -#}
{% macro winner_share_universe_columns(relation=none) -%}
{%- set prefix = relation ~ '.' if relation else '' -%}
{{ award_columns(relation) }},
    {{ prefix }}window_start,
    {{ prefix }}supplier_window_awards,
    {{ prefix }}supplier_window_value,
    {{ prefix }}entity_window_awards,
    {{ prefix }}entity_window_value,
    {{ prefix }}supplier_share
{%- endmacro %}

{#- Pre-hook of int_winner_share_windows: the windows that this run's changed awards change, deleted
    (macro recompute_trailing_windows; an award's old and new entity and date). -#}
{% macro recompute_winner_share_windows() -%}
  {{ recompute_trailing_windows(
      evaluated_awards('winner_share_of_buyer'), ['entity_key'], var('winner_share_window_days')) }}
{%- endmacro %}
