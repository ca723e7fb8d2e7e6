{#- Universe of `winner_share_of_buyer`: the valued awards (entity, supplier, award date known and
    award value > 0) whose entity awarded at least var `winner_share_min_entity_awards` valued awards in
    the award's window, with the window's totals. The window of an award = the var `winner_share_window_days`
    days ending on its award date, both ends included (365: the previous 12 months, the award's day in).
    The window totals of every valued award are in int_winner_share_windows (incremental; the live path
    computes the same with macro universe__winner_share_of_buyer): this is a filter of them. -#}
{{ config(materialized='view') }}

select {{ winner_share_universe_columns() }}
from {{ ref('int_winner_share_windows') }}
where supplier_key is not null
  and entity_window_awards >= {{ var('winner_share_min_entity_awards') }}
