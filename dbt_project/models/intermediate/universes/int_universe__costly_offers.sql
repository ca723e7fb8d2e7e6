{#- The awards that costly_offers evaluates (docs/indicators/costly_offers.md): awards of single-lot processes
    (`numero_de_lotes` ≤ 1; multi-lot processes compare one lot's offer with the whole award, so they
    are left out) whose portfolio received at least `costly_offers_min_offers` valid offers in COP
    (int_valid_offers: a positive value and a bidder with a supplier key; no currency given counts as
    COP). One row per award, with the cheapest valid offer and what identifies the winner and that
    bidder (document, SECOP supplier code, name match key).
    Incremental on the portfolios whose process, contracts or offers changed (macro recompute_award_units). -#}
{{ universe__costly_offers(evaluated_awards('costly_offers', changed_awards()), own_offers_only=is_incremental_run()) }}
