{#- Universe of `identical_bid_prices`: the awards whose purchase process (portfolio) received valid
    offers in COP (int_valid_offers: a value above zero and a supplier key; no currency counts as COP,
    as for costly_offers) from at least two different suppliers, with the portfolio's tied prices as
    context. A tied price is an offer value that two or more different suppliers offered in the same
    portfolio. Incremental on the portfolios whose process, contracts or offers changed (macro
    recompute_award_units). -#}

with awards as (
    select * from {{ evaluated_awards('identical_bid_prices', changed_awards()) }}
),

-- Valid offers in COP are read from int_valid_offers by each step that needs them (only its columns),
-- not kept once in a CTE: keeping every offer cost more than reading them again.
portfolio_offers as (
    {{ portfolio_bidders('awards' if is_incremental_run() else none) }}
),

-- The (portfolio, offer value) pairs offered more than once: few, and found with a count alone (no
-- supplier key compared in the millions of pairs offered once).
repeated_prices as (
    select portfolio_id, offer_value
    from {{ ref('int_valid_offers') }}
    where currency = 'COP'
    {%- if is_incremental_run() %}
      and portfolio_id in (select portfolio_id from awards)
    {%- endif %}
    group by portfolio_id, offer_value
    having count(*) >= 2
),

repeated_offers as (
    select valid_offers.offer_id, valid_offers.portfolio_id, valid_offers.supplier_key, valid_offers.offer_value
    from {{ ref('int_valid_offers') }} as valid_offers
    inner join repeated_prices
        on valid_offers.portfolio_id = repeated_prices.portfolio_id
        and valid_offers.offer_value = repeated_prices.offer_value
    where valid_offers.currency = 'COP'
    {%- if is_incremental_run() %}
      and valid_offers.portfolio_id in (select portfolio_id from awards)
    {%- endif %}
),

-- One row per (portfolio, offer value) that two or more different suppliers offered.
tied_prices as (
    select portfolio_id, offer_value
    from repeated_offers
    group by portfolio_id, offer_value
    having count(distinct supplier_key) >= 2
),

tied_offers as (
    select repeated_offers.*
    from repeated_offers
    inner join tied_prices
        on repeated_offers.portfolio_id = tied_prices.portfolio_id
        and repeated_offers.offer_value = tied_prices.offer_value
),

-- Per portfolio, one aggregate per CTE (Redshift allows one listagg ordering per query block).
portfolio_tied_prices as (
    select
        portfolio_id,
        count(*) as tied_prices,
        min(offer_value) as lowest_tied_value,
        '[' || {{ dbt.listagg('cast(offer_value as ' ~ dbt.type_string() ~ ')', "','", 'order by offer_value') }} || ']'
            as tied_values
    from tied_prices
    group by portfolio_id
),

portfolio_tied_suppliers as (
    select
        portfolio_id,
        count(*) as tied_supplier_count,
        {{ json_string_array_agg('supplier_key') }} as tied_suppliers
    from (select distinct portfolio_id, supplier_key from tied_offers) tied_supplier_keys
    group by portfolio_id
),

portfolio_tied_offer_ids as (
    select
        portfolio_id,
        {{ json_string_array_agg('offer_id') }} as tied_offer_ids
    from tied_offers
    group by portfolio_id
),

final as (
    select
        {{ award_columns('awards') }},
        portfolio_offers.valid_offers,
        portfolio_offers.bidders,
        coalesce(portfolio_tied_prices.tied_prices, 0) as tied_prices,
        portfolio_tied_prices.lowest_tied_value,
        portfolio_tied_prices.tied_values,
        portfolio_tied_suppliers.tied_supplier_count,
        portfolio_tied_suppliers.tied_suppliers,
        portfolio_tied_offer_ids.tied_offer_ids
    from awards
    inner join portfolio_offers on awards.portfolio_id = portfolio_offers.portfolio_id
    left join portfolio_tied_prices on awards.portfolio_id = portfolio_tied_prices.portfolio_id
    left join portfolio_tied_suppliers on awards.portfolio_id = portfolio_tied_suppliers.portfolio_id
    left join portfolio_tied_offer_ids on awards.portfolio_id = portfolio_tied_offer_ids.portfolio_id
)

select * from final
