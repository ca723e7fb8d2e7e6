{#- SECOP II cancelled contracts (8uyg-q2s6), one row per contract. The dataset has no modification
    date of its own here: the cancellation date is the last update, else the signing date. -#}
with source as (
    select * from {{ source('trusted', 'secop_ii_contratos_cancelados') }}
),

renamed as (
    select
        id_contrato as contract_id,
        proceso_de_compra as portfolio_id,
        nit_entidad_key as entity_key,
        documento_proveedor_key as supplier_document_key,
        codigo_proveedor as supplier_code,
        proveedor_adjudicado_match as supplier_name_match,
        {{ supplier_key('documento_proveedor_key', 'codigo_proveedor', 'proveedor_adjudicado_match') }} as supplier_key,
        {{ supplier_match_method('documento_proveedor_key', 'codigo_proveedor', 'proveedor_adjudicado_match') }}
            as match_method,
        nombre_entidad as entity_name,
        proveedor_adjudicado as supplier_name,
        estado_contrato as contract_state,
        cast(valor_del_contrato as decimal(30, 3)) as contract_value,
        cast(fecha_de_firma as date) as signed_date,
        cast(coalesce(ultima_actualizacion, fecha_de_firma) as date) as cancelled_date,
        _row_id as source_row_id
    from source
)

select * from renamed
