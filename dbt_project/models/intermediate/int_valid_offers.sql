{#- The valid SECOP II offers (wi7w-2nvm) that offer-based indicators compare: one row per offer (the
    trusted zone already keeps one version per `identificador_de_la_oferta`, the latest). Valid: the
    offer belongs to a purchase process (`portfolio_id`), has a value above zero and a bidder with a
    supplier key (a placeholder such as 'No Definido' has none). An offer without a currency counts as
    COP (`currency`), and `is_currency_missing` says so. -#}
{#- A table, incremental on the offers that changed (macro recompute_changed_keys): the four models that
    read it take the offers of a few portfolios from a DuckDB table instead of merging the trusted zone's
    generations of every offer again. -#}

with offers as (
    select * from {{ ref('stg_secop_ii_ofertas') }}
    {%- if is_incremental_run() %}
    where offer_id in (select offer_id from {{ changed_units_table() }})
    {%- endif %}
),

final as (
    select
        offer_id,
        portfolio_id,
        entity_key,
        supplier_key,
        supplier_document_key,
        supplier_code,
        supplier_name_match,
        supplier_name,
        match_method,
        coalesce(currency, 'COP') as currency,
        currency is null as is_currency_missing,
        offer_value,
        registered_date
    from offers
    where portfolio_id is not null
      and offer_value > 0
      and supplier_key is not null
)

select * from final
