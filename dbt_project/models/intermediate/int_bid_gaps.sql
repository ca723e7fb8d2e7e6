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
    The Tukey fences are over the population of (portfolio, winning offer) pairs, each counted once
    however many awards it has (macro tukey_fences: lower fence Q1 − 1.5·IQR, upper fence Q3 + 1.5·IQR);
    no fence (no row) when the population is smaller than `bid_gap_min_population`. -#}
{%- set min_population = var('bid_gap_min_population') -%}
with gaps as (
    {{ bid_gaps(ref('int_awards')) }}
),

fences as (
    {{ tukey_fences(
        '(select distinct portfolio_id, winning_offer_id, gap_ratio from gaps) processes',
        'gap_ratio', ['lower', 'upper'], min_population,
    ) }}
),

final as (
    select gaps.*, fences.population, fences.q1, fences.q3, fences.lower_fence, fences.upper_fence
    from gaps
    cross join fences
)

select * from final
