{#- SECOP II processes from the trusted zone (one row per process, latest version), renamed for the
    warehouse, with the supplier key of spec/indicators.md C2: canonical document, else the SECOP
    supplier code, else the name match key (low confidence, labelled). -#}
with source as (
    select * from {{ source('trusted', 'secop_ii_procesos') }}
),

renamed as (
    select
        -- keys
        id_del_proceso as process_id,
        id_del_portafolio as portfolio_id,
        nit_entidad_key as entity_key,
        nit_del_proveedor_adjudicado_key as supplier_document_key,
        codigoproveedor as supplier_code,
        nombre_del_proveedor_match as supplier_name_match,
        -- attributes
        entidad as entity_name,
        nit_entidad as entity_nit_raw,
        nombre_del_proveedor as supplier_name,
        nit_del_proveedor_adjudicado as supplier_document_raw,
        modalidad_de_contratacion as modality,
        estado_del_procedimiento as procedure_state,
        lower(trim(adjudicado)) = 'si' as is_awarded,
        urlproceso as secop_url,
        -- amounts
        cast(precio_base as decimal(30, 3)) as base_price,
        cast(valor_total_adjudicacion as decimal(30, 3)) as awarded_value,
        -- dates
        cast(fecha_de_publicacion_del as date) as published_date,
        cast(fecha_adjudicacion as date) as award_date,
        cast(fecha_de_ultima_publicaci as date) as last_published_date,
        -- metadata
        _row_id as source_row_id,
        _source_updated_at as source_updated_at
    from source
),

keyed as (
    select
        *,
        coalesce(
            supplier_document_key,
            'SECOP:' || supplier_code,
            'NAME:' || supplier_name_match
        ) as supplier_key,
        case
            when supplier_document_key is not null then 'document'
            when supplier_code is not null then 'secop_code'
            when supplier_name_match is not null then 'name'
        end as match_method
    from renamed
)

select * from keyed
