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
    however many awards it has: Q1 and Q3 by `percentile_cont` (linear interpolation between the
    closest ranks, the same estimator as DuckDB's quantile_cont and Redshift's percentile_cont), lower
    fence Q1 − 1.5·IQR, upper fence Q3 + 1.5·IQR; no fence (no row) when the population is smaller than
    `bid_gap_min_population`. -#}
{%- set min_population = var('bid_gap_min_population') -%}
with gaps as (
    {{ bid_gaps(ref('int_awards')) }}
),

fences as (
    select
        population,
        cast(q1 as decimal(18, 6)) as q1,
        cast(q3 as decimal(18, 6)) as q3,
        cast(q1 - 1.5 * (q3 - q1) as decimal(18, 6)) as lower_fence,
        cast(q3 + 1.5 * (q3 - q1) as decimal(18, 6)) as upper_fence
    from (
        select
            count(*) as population,
            percentile_cont(0.25) within group (order by gap_ratio) as q1,
            percentile_cont(0.75) within group (order by gap_ratio) as q3
        from (select distinct portfolio_id, winning_offer_id, gap_ratio from gaps) processes
        having count(*) >= {{ min_population }}
    ) quartiles
),

final as (
    select gaps.*, fences.population, fences.q1, fences.q3, fences.lower_fence, fences.upper_fence
    from gaps
    cross join fences
)

select * from final
