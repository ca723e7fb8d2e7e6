{#- The award rows of SECOP II contracts (docs/indicators/README.md; int_awards, where the universe is
    documented): every live contract of `contracts` (not 'Borrador' or 'Cancelado') joined to the process
    of its portfolio in `processes` (one per portfolio, deterministic: awarded first, then the latest publication,
    then the highest id). `contracts` and `processes` are relations or CTE names with the columns of
    stg_secop_ii_contratos and stg_secop_ii_procesos: int_awards passes every contract, the live path a
    few, with `own_processes_only` to rank only the processes of their portfolios. -#}
{% macro contract_awards(contracts, processes, own_processes_only=false) -%}
    select
        contracts.contract_id as award_key,
        'contract' as award_source,
        process_of_portfolio.process_id,
        contracts.portfolio_id,
        contracts.contract_id,
        coalesce(contracts.entity_key, process_of_portfolio.entity_key) as entity_key,
        coalesce(contracts.entity_name, process_of_portfolio.entity_name) as entity_name,
        coalesce(contracts.entity_order, process_of_portfolio.entity_order) as entity_order,
        coalesce(contracts.department, process_of_portfolio.department) as department,
        coalesce(contracts.municipality, process_of_portfolio.municipality) as municipality,
        contracts.supplier_key,
        contracts.supplier_document_key,
        contracts.supplier_document_type,
        contracts.supplier_code,
        contracts.supplier_name,
        contracts.supplier_name_match,
        contracts.match_method,
        coalesce(contracts.modality, process_of_portfolio.modality) as modality,
        coalesce(contracts.category_code, process_of_portfolio.category_code) as category_code,
        coalesce(contracts.signed_date, process_of_portfolio.award_date) as award_date,
        coalesce(contracts.contract_value, process_of_portfolio.awarded_value) as award_value,
        process_of_portfolio.awarded_value as process_awarded_value,
        process_of_portfolio.base_price,
        process_of_portfolio.published_date,
        process_of_portfolio.offers_due_date,
        process_of_portfolio.unique_bidders,
        process_of_portfolio.responses,
        process_of_portfolio.lots,
        coalesce(contracts.secop_url, process_of_portfolio.secop_url) as secop_url
    from {{ contracts }} as contracts
    left join (
        select *
        from (
            select
                processes.*,
                row_number() over (
                    partition by portfolio_id
                    order by case when is_awarded then 0 else 1 end, last_published_date desc nulls last, process_id desc
                ) as portfolio_rank
            from {{ processes }} as processes
            where portfolio_id is not null
            {%- if own_processes_only %}
              and portfolio_id in (select portfolio_id from {{ contracts }})
            {%- endif %}
        ) ranked
        where portfolio_rank = 1
    ) as process_of_portfolio
        on contracts.portfolio_id = process_of_portfolio.portfolio_id
    where contracts.is_live
{%- endmacro %}
