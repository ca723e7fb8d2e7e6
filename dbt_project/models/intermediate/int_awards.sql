{#- The award universe (docs/indicators/README.md): one row per award. A live SECOP II contract (not
    'Borrador' or 'Cancelado') is an award keyed by its `id_contrato`, joined to its process through
    `proceso_de_compra = id_del_portafolio`; an awarded process with no contract row at all is an award
    keyed `PROC:<id_del_proceso>`. Never both for one process. A SECOP I award (a row of an awarded state)
    is keyed `SECOP_I:<uid>`, a virtual-store order that is not cancelled `TVEC:<order id>`; neither
    matches a SECOP II row, so they are appended (`award_source` secop_i, tvec). -#}
{#- Incremental on the trusted zone's changes (macro recompute_award_units): a run recomputes the awards of
    the portfolios and award keys whose rows changed, and equals a full build. -#}
{#- SECOP I and the virtual store publish none of a SECOP II process's fields. -#}
{%- set no_process_fields -%}
cast(null as decimal(30, 3)) as base_price,
        cast(null as date) as published_date,
        cast(null as date) as offers_due_date,
        cast(null as integer) as unique_bidders,
        cast(null as integer) as responses,
        cast(null as integer) as lots
{%- endset %}

with processes as (
    select * from {{ ref('stg_secop_ii_procesos') }}
    where {{ in_changed_units('portfolio_id', "'PROC:' || process_id") }}
),

contracts as (
    select * from {{ ref('stg_secop_ii_contratos') }}
    where {{ in_changed_units('portfolio_id', 'contract_id') }}
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
),

secop_i_awards as (
    select
        'SECOP_I:' || award_id as award_key,
        'secop_i' as award_source,
        constancia as process_id,
        cast(null as {{ dbt.type_string() }}) as portfolio_id,
        cast(null as {{ dbt.type_string() }}) as contract_id,
        entity_key,
        entity_name,
        entity_order,
        department,
        municipality,
        supplier_key,
        supplier_document_key,
        supplier_document_type,
        supplier_code,
        supplier_name,
        supplier_name_match,
        match_method,
        modality,
        cast(null as {{ dbt.type_string() }}) as category_code,
        signed_date as award_date,
        -- The contract's value with its additions, as SECOP II's contract value is; the value at signing
        -- is the one awarded (value_additions compares the two).
        cast(contract_value + coalesce(additions_value, 0) as decimal(30, 3)) as award_value,
        contract_value as process_awarded_value,
        {{ no_process_fields }},
        secop_url
    from {{ ref('stg_secop_i_procesos') }}
    where is_awarded and {{ in_changed_units('null', "'SECOP_I:' || award_id") }}
),

tvec_awards as (
    select
        'TVEC:' || order_id as award_key,
        'tvec' as award_source,
        cast(null as {{ dbt.type_string() }}) as process_id,
        cast(null as {{ dbt.type_string() }}) as portfolio_id,
        cast(null as {{ dbt.type_string() }}) as contract_id,
        entity_key,
        entity_name,
        entity_order,
        cast(null as {{ dbt.type_string() }}) as department,
        municipality,
        supplier_key,
        supplier_document_key,
        cast(null as {{ dbt.type_string() }}) as supplier_document_type,
        supplier_code,
        supplier_name,
        supplier_name_match,
        match_method,
        cast(null as {{ dbt.type_string() }}) as modality,
        cast(null as {{ dbt.type_string() }}) as category_code,
        order_date as award_date,
        order_value as award_value,
        order_value as process_awarded_value,
        {{ no_process_fields }},
        cast(null as {{ dbt.type_string() }}) as secop_url
    from {{ ref('stg_tvec_ordenes') }}
    where is_live and {{ in_changed_units('null', "'TVEC:' || order_id") }}
)

select * from contract_awards
union all
select * from process_awards
union all
select * from secop_i_awards
union all
select * from tvec_awards
