{#- The bidders that won the awards of `awards` (a CTE name with int_awards' columns): every distinct
    (award, bidder, how they matched) where the award's supplier made a valid offer (int_valid_offers,
    any currency) of the award's portfolio, compared by macro supplier_matched_by. An award can match
    two bidder keys (a document on one offer, only the SECOP code on another). Shared by int_bids (a bid
    is won) and int_award_bidders (the award's bidder) of excessive_unsuccessful_bids. -#}
{% macro award_bidder_matches(awards) -%}
    select distinct award_key, portfolio_id, bidder_key, matched_by
    from (
        select
            awards.award_key,
            awards.portfolio_id,
            offers.supplier_key as bidder_key,
            {{ supplier_matched_by('awards', 'offers') }} as matched_by
        from {{ awards }} as awards
        inner join {{ ref('int_valid_offers') }} as offers on awards.portfolio_id = offers.portfolio_id
    ) award_offers
    where matched_by is not null
{%- endmacro %}
