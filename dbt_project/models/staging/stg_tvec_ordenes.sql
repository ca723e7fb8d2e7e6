{#- Virtual-store purchase orders (rgxm-mmea), one row per order, with canonical keys. -#}
with source as (
    select * from {{ source('trusted', 'tvec_ordenes') }}
),

renamed as (
    select
        -- keys
        identificador_de_la_orden as order_id,
        nit_entidad_key as entity_key,
        {{ supplier_columns('nit_proveedor_key', 'cast(null as ' ~ dbt.type_string() ~ ')', 'proveedor_match') }},
        -- attributes
        entidad as entity_name,
        nit_entidad as entity_nit_raw,
        orden_de_la_entidad as entity_order,
        sector_de_la_entidad as entity_sector,
        {{ place_name('ciudad') }} as municipality,
        proveedor as supplier_name,
        nit_proveedor as supplier_document_raw,
        estado as order_state,
        lower(trim(coalesce(estado, ''))) <> 'cancelada' as is_live,
        agregacion as aggregation,
        items,
        -- amounts
        cast(total as decimal(30, 3)) as order_value,
        -- dates
        cast(fecha as date) as order_date,
        cast(fecha_vence as date) as due_date,
        -- metadata
        {{ source_version_columns() }}
    from source
)

select * from renamed
