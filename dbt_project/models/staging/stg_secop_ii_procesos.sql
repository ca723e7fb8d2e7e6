{#- SECOP II processes from the trusted zone (one row per process, latest version), renamed for the
    warehouse, with the supplier key of docs/indicators/README.md. -#}
{#- A table, incremental on the processes that changed (macro recompute_changed_keys): its readers take
    DuckDB rows instead of merging the trusted zone's generations of every row again. -#}

with source as (
    select * from {{ source('trusted', 'secop_ii_procesos') }}
    {%- if is_incremental_run() %}
    where id_del_proceso in (select process_id from {{ changed_units_table() }})
    {%- endif %}
),

renamed as (
    select
        -- keys
        id_del_proceso as process_id,
        id_del_portafolio as portfolio_id,
        nit_entidad_key as entity_key,
        {{ supplier_columns('nit_del_proveedor_adjudicado_key', 'codigoproveedor', 'nombre_del_proveedor_match') }},
        -- attributes
        entidad as entity_name,
        nit_entidad as entity_nit_raw,
        ordenentidad as entity_order,
        {{ place_name('departamento_entidad') }} as department,
        {{ place_name('ciudad_entidad') }} as municipality,
        nombre_del_proveedor as supplier_name,
        nit_del_proveedor_adjudicado as supplier_document_raw,
        modalidad_de_contratacion as modality,
        estado_del_procedimiento as procedure_state,
        lower(trim(adjudicado)) = 'si' as is_awarded,
        codigo_principal_de_categoria as category_code,
        urlproceso as secop_url,
        -- competition
        cast(proveedores_unicos_con as integer) as unique_bidders,
        cast(respuestas_al_procedimiento as integer) as responses,
        cast(numero_de_lotes as integer) as lots,
        -- amounts
        cast(precio_base as decimal(30, 3)) as base_price,
        cast(valor_total_adjudicacion as decimal(30, 3)) as awarded_value,
        -- dates
        cast(fecha_de_publicacion_del as date) as published_date,
        cast(fecha_de_recepcion_de as date) as offers_due_date,
        cast(fecha_adjudicacion as date) as award_date,
        cast(fecha_de_ultima_publicaci as date) as last_published_date,
        -- metadata
        {{ source_version_columns() }}
    from source
)

select * from renamed
