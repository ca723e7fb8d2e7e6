{#- SECOP II electronic contracts (jbjy-vk9h), one row per contract, with canonical keys. -#}
with source as (
    select * from {{ source('trusted', 'secop_ii_contratos') }}
),

renamed as (
    select
        -- keys
        id_contrato as contract_id,
        proceso_de_compra as portfolio_id,
        nit_entidad_key as entity_key,
        documento_proveedor_key as supplier_document_key,
        codigo_proveedor as supplier_code,
        proveedor_adjudicado_match as supplier_name_match,
        {{ supplier_key('documento_proveedor_key', 'codigo_proveedor', 'proveedor_adjudicado_match') }} as supplier_key,
        {{ supplier_match_method('documento_proveedor_key', 'codigo_proveedor', 'proveedor_adjudicado_match') }}
            as match_method,
        identificaci_n_representante_legal_key as legal_representative_key,
        -- attributes
        nombre_entidad as entity_name,
        nit_entidad as entity_nit_raw,
        orden as entity_order,
        sector as entity_sector,
        proveedor_adjudicado as supplier_name,
        documento_proveedor as supplier_document_raw,
        tipodocproveedor as supplier_document_type,
        estado_contrato as contract_state,
        lower(trim(coalesce(estado_contrato, ''))) not in ('borrador', 'cancelado') as is_live,
        modalidad_de_contratacion as modality,
        tipo_de_contrato as contract_type,
        codigo_de_categoria_principal as category_code,
        urlproceso as secop_url,
        -- amounts
        cast(valor_del_contrato as decimal(30, 3)) as contract_value,
        -- dates
        cast(fecha_de_firma as date) as signed_date,
        cast(fecha_de_inicio_del_contrato as date) as start_date,
        cast(fecha_de_fin_del_contrato as date) as end_date,
        cast(ultima_actualizacion as date) as last_updated_date,
        -- metadata
        _row_id as source_row_id,
        _source_updated_at as source_updated_at,
        _batch_id as source_batch_id
    from source
)

select * from renamed
