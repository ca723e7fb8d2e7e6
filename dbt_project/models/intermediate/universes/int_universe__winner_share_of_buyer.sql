{#- Universe of `winner_share_of_buyer`: the valued awards (entity, supplier, award date known and
    award value > 0) whose entity awarded at least var `winner_share_min_entity_awards` valued awards in
    the award's window, with the window's totals. The window of an award = the var `winner_share_window_days`
    days ending on its award date, both ends included (365: the previous 12 months, the award's day in).
    The body is macro universe__winner_share_of_buyer, shared with the live path. -#}

{{ universe__winner_share_of_buyer(ref('int_awards')) }}
