{#- The gaps between the winning offer and the runner-up of `awards` (a relation or CTE name with
    int_awards' columns): int_bid_gaps' rows without the population's fences (the rule is documented
    there). The batch model passes int_awards; the live path its new awards with `own_offers_only`, to
    count the bidders of their portfolios only. -#}
{% macro bid_gaps(awards, own_offers_only=false) -%}
{%- set float = "double precision" -%}

with portfolio_offers as (
    {{ portfolio_bidders(awards if own_offers_only else none) }}
),

awards as (
    select awards.*, portfolio_offers.valid_offers, portfolio_offers.bidders
    from {{ awards }} as awards
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
)

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
    -- in double precision (dbt.type_float() is a 4-byte float on DuckDB): offer values up to trillions leave no
    -- room for a decimal quotient's scale on Redshift
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
{%- endmacro %}

{#- The universe of an indicator judged on the bid gaps: every gap of int_bid_gaps with the population's
    fences (int_bid_gap_fences); none when there is no fence. -#}
{% macro bid_gaps_with_fences() -%}
select gaps.*, fences.population, fences.q1, fences.q3, fences.lower_fence, fences.upper_fence
from {{ ref('int_bid_gaps') }} as gaps
cross join {{ ref('int_bid_gap_fences') }} as fences
{%- endmacro %}
