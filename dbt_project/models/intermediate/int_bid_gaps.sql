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
{%- set float = dbt.type_float() -%}

with portfolio_offers as (
    {{ portfolio_bidders() }}
),

awards as (
    select awards.*, portfolio_offers.valid_offers, portfolio_offers.bidders
    from {{ ref('int_awards') }} as awards
    inner join portfolio_offers on awards.portfolio_id = portfolio_offers.portfolio_id
    where coalesce(awards.lots, 1) <= 1
),

-- Every valid offer of each evaluated award's portfolio, told apart as the winner's or another bidder's.
award_offers as (
    select
        awards.award_key,
        offers.offer_id,
        offers.supplier_key,
        offers.supplier_name,
        offers.offer_value,
        {{ supplier_matched_by('awards', 'offers') }} as matched_by
    from awards
    inner join {{ ref('int_valid_offers') }} as offers on awards.portfolio_id = offers.portfolio_id
    where offers.currency = 'COP'
),

-- Per award and side (winner's or not), its lowest offer: ties to the lowest offer id.
ranked_offers as (
    select
        award_offers.*,
        row_number() over (
            partition by award_key, case when matched_by is null then 0 else 1 end
            order by offer_value, offer_id
        ) as price_rank
    from award_offers
),

gaps as (
    select
        {{ award_columns('awards') }},
        awards.valid_offers,
        awards.bidders,
        winning.matched_by,
        winning.offer_id as winning_offer_id,
        winning.offer_value as winning_offer_value,
        runner_up.offer_id as runner_up_offer_id,
        runner_up.supplier_key as runner_up_supplier_key,
        runner_up.supplier_name as runner_up_supplier_name,
        runner_up.offer_value as runner_up_offer_value,
        -- in floating point: offer values up to trillions leave no room for a decimal quotient's scale on Redshift
        cast(
            cast(runner_up.offer_value - winning.offer_value as {{ float }}) / cast(winning.offer_value as {{ float }})
            as decimal(18, 6)
        ) as gap_ratio
    from awards
    inner join ranked_offers as winning
        on awards.award_key = winning.award_key and winning.matched_by is not null and winning.price_rank = 1
    inner join ranked_offers as runner_up
        on awards.award_key = runner_up.award_key and runner_up.matched_by is null and runner_up.price_rank = 1
    where winning.offer_value <= runner_up.offer_value
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
