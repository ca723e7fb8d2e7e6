{#- The award universe (docs/indicators/README.md): one row per award. A live SECOP II contract (not
    'Borrador' or 'Cancelado') is an award keyed by its `id_contrato`, joined to its process through
    `proceso_de_compra = id_del_portafolio`; an awarded process with no contract row at all is an award
    keyed `PROC:<id_del_proceso>`. Never both for one process. -#}
with processes as (
    select * from {{ ref('stg_secop_ii_procesos') }}
),

contracts as (
    select * from {{ ref('stg_secop_ii_contratos') }}
),

contract_awards as (
    {{ contract_awards('contracts', 'processes') }}
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
        processes.department,
        processes.municipality,
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
