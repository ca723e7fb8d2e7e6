{#- The portfolios whose valid offers in COP (int_valid_offers; no currency counts as COP) come from at
    least two different bidders, with their counts of valid offers and bidders (supplier keys): the
    processes an offer-based comparison between bidders can evaluate (identical_bid_prices, int_bid_gaps).
    `awards` (a relation or CTE name with a `portfolio_id`): only the portfolios of those awards (none: all). -#}
{% macro portfolio_bidders(awards=none) -%}
    select
        portfolio_id,
        count(*) as valid_offers,
        count(distinct supplier_key) as bidders
    from {{ ref('int_valid_offers') }}
    where currency = 'COP'
    {%- if awards %}
      and portfolio_id in (select portfolio_id from {{ awards }})
    {%- endif %}
    group by portfolio_id
    having count(distinct supplier_key) >= 2
{%- endmacro %}
