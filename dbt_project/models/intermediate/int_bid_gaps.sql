{#- The gap between the winning offer and the runner-up, shared by close_to_winning_bid (OCP R024) and
    heavily_discounted_bid (R058): one row per award of a single-lot process (`coalesce(lots, 1) <= 1`)
    whose portfolio received valid offers in COP (int_valid_offers) from at least two bidders, where the
    award's supplier made one of those offers (macro supplier_matched_by) and that offer was the lowest.
      winning offer   the winner's lowest valid offer in the portfolio
      runner-up       the lowest valid offer of any other bidder (the second-lowest valid offer, each
                      bidder's offers being its own)
      gap_ratio       (runner-up − winning offer) / winning offer, ≥ 0
    Out of the population: processes whose winner made no matching offer (its offer is unknown), and
    those where another bidder offered less than the winner (a negative gap: costly_offers' case).
    The population's fences are int_bid_gap_fences'. Incremental on the portfolios whose process,
    contracts or offers changed (macro recompute_award_units). -#}
-- close_to_winning_bid's award sources, which heavily_discounted_bid's are too (both judge offers).
with evaluated as (
    select * from {{ evaluated_awards('close_to_winning_bid', changed_awards()) }}
),

gaps as (
    {{ bid_gaps('evaluated', own_offers_only=is_incremental_run()) }}
)

select * from gaps
