{#- SECOP II offers (wi7w-2nvm), one row per offer, with the bidder's supplier key. -#}
with source as (
    select * from {{ source('trusted', 'secop_ii_ofertas') }}
),

renamed as (
    select
        identificador_de_la_oferta as offer_id,
        id_del_proceso_de_compra as portfolio_id,
        nit_entidad_compradora_key as entity_key,
        {{ supplier_columns('nit_del_proveedor_key', 'c_digo_proveedor', 'nombre_proveedor_match') }},
        nombre_proveedor as supplier_name,
        upper(trim(moneda)) as currency,
        modalidad as modality,
        cast(valor_de_la_oferta as decimal(30, 3)) as offer_value,
        cast(fecha_de_registro as date) as registered_date,
        _source_updated_at as source_updated_at,
        _row_id as source_row_id
    from source
)

select * from renamed
