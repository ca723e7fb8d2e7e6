{#- costly_offers — "ofertas Costosas" (docs/indicators/costly_offers.md, corrected rule): among the awards of
    int_universe__costly_offers (single-lot processes with enough valid offers), the cheapest valid offer
    came from another supplier than the winner and the award exceeds it by more than
    `costly_offers_min_gap_pct` of it. The winner and the cheapest bidder are compared on the strongest
    identifier both carry: canonical document, else SECOP supplier code, else name match key (low
    confidence, match_method 'name'); a winner with none of them is never flagged. The flagged process
    is the irregularity unit; the overpayment over the cheapest offer is the excess amount. -#}
{{ flags__costly_offers(ref('int_universe__costly_offers')) }}
