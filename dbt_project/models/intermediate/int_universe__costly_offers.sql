{#- The awards that costly_offers evaluates (spec/indicators.md §2): awards of single-lot processes
    (`numero_de_lotes` ≤ 1; multi-lot processes compare one lot's offer with the whole award, so they
    are left out) whose portfolio received at least `costly_offers_min_offers` valid offers in COP
    (int_valid_offers: a positive value and a bidder with a supplier key; no currency given counts as
    COP). One row per award, with the cheapest valid offer and what identifies the winner and that
    bidder (document, SECOP supplier code, name match key). -#}
{%- set min_offers = var('costly_offers_min_offers') -%}

with awards as (
    select * from {{ ref('int_awards') }}
),

-- Valid offers in COP (an offer without a currency counts as COP).
valid_offers as (
    select * from {{ ref('int_valid_offers') }}
    where currency = 'COP'
),

-- The cheapest valid offer of each portfolio (C6: ties go to the earliest registration, then the
-- lowest offer id), with how many valid offers the portfolio has.
ranked_offers as (
    select
        valid_offers.*,
        count(*) over (partition by portfolio_id) as valid_offers,
        sum(case when is_currency_missing then 1 else 0 end) over (partition by portfolio_id)
            as offers_without_currency,
        row_number() over (
            partition by portfolio_id
            order by offer_value, registered_date nulls last, offer_id
        ) as price_rank
    from valid_offers
),

cheapest_offers as (
    select * from ranked_offers where price_rank = 1
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
