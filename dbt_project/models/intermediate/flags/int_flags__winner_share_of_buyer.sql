{#- winner_share_of_buyer (OCP R040): one supplier took more than var `winner_share_min_share` of an
    entity's awarded value over the previous 12 months. Evaluated on `int_universe__winner_share_of_buyer`
    (valued awards of entities with at least `winner_share_min_entity_awards` awards in the window, with
    the window's totals); an award fires when its supplier's share of the window ending on its award
    date is above the threshold: the award that takes the share over it and every later award while it
    stays over. The (entity, supplier) pair is the unit. -#}
{{ flags__winner_share_of_buyer(ref('int_universe__winner_share_of_buyer')) }}
