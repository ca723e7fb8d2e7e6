{#- The award universe (spec/indicators.md C1): one row per award. A live SECOP II contract (not
    'Borrador' or 'Cancelado') is an award keyed by its `id_contrato`, joined to its process through
    `proceso_de_compra = id_del_portafolio`; an awarded process with no contract row at all is an award
    keyed `PROC:<id_del_proceso>`. Never both for one process. -#}
with processes as (
    select * from {{ ref('stg_secop_ii_procesos') }}
),

contracts as (
    select * from {{ ref('stg_secop_ii_contratos') }}
),

-- One process per portfolio (C6: awarded first, then the latest publication, then the highest id).
process_of_portfolio as (
    select *
    from (
        select
            processes.*,
            row_number() over (
                partition by portfolio_id
                order by case when is_awarded then 0 else 1 end, last_published_date desc nulls last, process_id desc
            ) as portfolio_rank
        from processes
        where portfolio_id is not null
    ) ranked
    where portfolio_rank = 1
),

contract_awards as (
    select
        contracts.contract_id as award_key,
        'contract' as award_source,
        process_of_portfolio.process_id,
        contracts.portfolio_id,
        contracts.contract_id,
        coalesce(contracts.entity_key, process_of_portfolio.entity_key) as entity_key,
        coalesce(contracts.entity_name, process_of_portfolio.entity_name) as entity_name,
        coalesce(contracts.entity_order, process_of_portfolio.entity_order) as entity_order,
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
    from contracts
    left join process_of_portfolio on contracts.portfolio_id = process_of_portfolio.portfolio_id
    where contracts.is_live
),

process_awards as (
    select
        'PROC:' || processes.process_id as award_key,
        'process' as award_source,
        processes.process_id,
        processes.portfolio_id,
        cast(null as {{ dbt.type_string() }}) as contract_id,
        processes.entity_key,
        processes.entity_name,
        processes.entity_order,
        processes.supplier_key,
        processes.supplier_document_key,
        cast(null as {{ dbt.type_string() }}) as supplier_document_type,
        processes.supplier_code,
        processes.supplier_name,
        processes.supplier_name_match,
        processes.match_method,
        processes.modality,
        processes.category_code,
        processes.award_date,
        processes.awarded_value as award_value,
        processes.awarded_value as process_awarded_value,
        processes.base_price,
        processes.published_date,
        processes.offers_due_date,
        processes.unique_bidders,
        processes.responses,
        processes.lots,
        processes.secop_url
    from processes
    where processes.is_awarded
      and not exists (
          select 1 from contracts where contracts.portfolio_id = processes.portfolio_id
      )
)

select * from contract_awards
union all
select * from process_awards
