{#- SECOP II electronic contracts (jbjy-vk9h), one row per contract, with canonical keys. -#}
{#- A table, incremental on the contracts that changed (macro recompute_changed_keys): its readers take
    DuckDB rows instead of merging the trusted zone's generations of every row again. -#}

with source as (
    select * from {{ source('trusted', 'secop_ii_contratos') }}
    {%- if is_incremental_run() %}
    where id_contrato in (select contract_id from {{ changed_units_table() }})
    {%- endif %}
),

renamed as (
    select
        -- keys
        {{ secop_ii_contract_keys() }},
        identificaci_n_representante_legal_key as legal_representative_key,
        -- attributes
        nombre_entidad as entity_name,
        nit_entidad as entity_nit_raw,
        orden as entity_order,
        {{ place_name('departamento') }} as department,
        {{ place_name('ciudad') }} as municipality,
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
        {{ source_version_columns() }}
    from source
)

select * from renamed
