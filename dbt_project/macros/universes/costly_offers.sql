{#- The body of int_universe__costly_offers (documented there) over `awards`, a relation or CTE name
    with int_awards' columns. `own_offers_only`: aggregate only the offers of those awards' portfolios
    (the live path, a few contracts against every offer) instead of every offer (the batch model,
    whose awards cover nearly every portfolio: the filter would only cost a semi-join). -#}
{% macro universe__costly_offers(awards, own_offers_only=false) -%}
{%- set min_offers = var('costly_offers_min_offers') -%}

with awards as (
    select * from {{ awards }}
),

-- Per portfolio: how many valid offers in COP (an offer without a currency counts as COP), how many
-- without a currency, and the lowest offer value; portfolios with too few valid offers are never
-- evaluated. A group-by instead of window functions over every offer. The offers are read twice (here
-- three columns, below the cheapest ones whole), not kept once in a CTE: keeping every column of every
-- offer cost more than the second read.
portfolio_offers as (
    select
        portfolio_id,
        count(*) as valid_offers,
        sum(case when is_currency_missing then 1 else 0 end) as offers_without_currency,
        min(offer_value) as lowest_offer_value
    from {{ ref('int_valid_offers') }}
    where currency = 'COP'
    {%- if own_offers_only %}
      and portfolio_id in (select portfolio_id from awards)
    {%- endif %}
    group by portfolio_id
    having count(*) >= {{ min_offers }}
),

-- The cheapest valid offer of each portfolio (deterministic: ties go to the earliest registration, then the
-- lowest offer id): only the offers at the portfolio's lowest value are ranked.
cheapest_offers as (
    select *
    from (
        select
            valid_offers.offer_id,
            valid_offers.portfolio_id,
            valid_offers.supplier_key,
            valid_offers.supplier_name,
            valid_offers.supplier_document_key,
            valid_offers.supplier_code,
            valid_offers.supplier_name_match,
            valid_offers.offer_value,
            valid_offers.registered_date,
            portfolio_offers.valid_offers,
            portfolio_offers.offers_without_currency,
            row_number() over (
                partition by valid_offers.portfolio_id
                order by valid_offers.registered_date nulls last, valid_offers.offer_id
            ) as price_rank
        from {{ ref('int_valid_offers') }} as valid_offers
        inner join portfolio_offers
            on valid_offers.portfolio_id = portfolio_offers.portfolio_id
            and valid_offers.offer_value = portfolio_offers.lowest_offer_value
        where valid_offers.currency = 'COP'
    ) ranked
    where price_rank = 1
),

final as (
    select
        -- keys
        awards.award_key,
        awards.process_id,
        awards.portfolio_id,
        awards.entity_key,
        awards.supplier_key,
        -- the winner
        awards.entity_name,
        awards.supplier_name,
        awards.supplier_document_key,
        awards.supplier_code,
        awards.supplier_name_match,
        awards.match_method,
        awards.lots,
        -- the cheapest valid offer
        cheapest_offers.offer_id as cheapest_offer_id,
        cheapest_offers.supplier_key as cheapest_supplier_key,
        cheapest_offers.supplier_name as cheapest_supplier_name,
        cheapest_offers.supplier_document_key as cheapest_supplier_document_key,
        cheapest_offers.supplier_code as cheapest_supplier_code,
        cheapest_offers.supplier_name_match as cheapest_supplier_name_match,
        cheapest_offers.valid_offers,
        cheapest_offers.offers_without_currency,
        -- amounts
        awards.award_value,
        cheapest_offers.offer_value as cheapest_offer_value,
        -- dates
        awards.award_date,
        cheapest_offers.registered_date as cheapest_offer_date
    from awards
    inner join cheapest_offers
        on awards.portfolio_id = cheapest_offers.portfolio_id
    where coalesce(awards.lots, 1) <= 1
      and cheapest_offers.valid_offers >= {{ min_offers }}
)

select * from final
{%- endmacro %}
