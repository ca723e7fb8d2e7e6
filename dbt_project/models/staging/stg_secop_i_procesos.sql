{#- SECOP I processes and their contracts (f789-7hwg), one row per award (`uid`), with canonical keys. -#}
with source as (
    select * from {{ source('trusted', 'secop_i_procesos') }}
),

renamed as (
    select
        -- keys
        uid as award_id,
        numero_de_constancia as constancia,
        numero_de_proceso as process_number,
        numero_de_contrato as contract_number,
        nit_de_la_entidad_key as entity_key,
        {{ supplier_columns('identificacion_del_contratista_key', 'cast(null as ' ~ dbt.type_string() ~ ')', 'nom_razon_social_contratista_match') }},
        identific_representante_legal_key as legal_representative_key,
        -- attributes
        nombre_entidad as entity_name,
        nit_de_la_entidad as entity_nit_raw,
        orden_entidad as entity_order,
        {{ place_name('departamento_entidad') }} as department,
        {{ place_name('municipio_entidad') }} as municipality,
        nom_razon_social_contratista as supplier_name,
        identificacion_del_contratista as supplier_document_raw,
        tipo_identifi_del_contratista as supplier_document_type,
        estado_del_proceso as process_state,
        coalesce({{ folded_text('estado_del_proceso') }} in (
            {%- for state in var('secop_i_award_states') %}'{{ state }}'{{ ', ' if not loop.last }}{% endfor -%}
        ), false) as is_awarded,
        modalidad_de_contratacion as modality,
        tipo_de_contrato as contract_type,
        id_clase as category_class,
        ruta_proceso_en_secop_i as secop_url,
        -- amounts
        cast(cuantia_proceso as decimal(30, 3)) as process_value,
        cast(cuantia_contrato as decimal(30, 3)) as contract_value,
        cast(valor_total_de_adiciones as decimal(30, 3)) as additions_value,
        cast(valor_contrato_con_adiciones as decimal(30, 3)) as value_with_additions,
        -- dates
        cast(fecha_de_cargue_en_el_secop as date) as loaded_date,
        cast(fecha_de_firma_del_contrato as date) as signed_date,
        cast(fecha_ini_ejec_contrato as date) as start_date,
        cast(fecha_fin_ejec_contrato as date) as end_date,
        cast(ultima_actualizacion as date) as last_updated_date,
        -- metadata
        {{ source_version_columns() }}
    from source
)

select * from renamed
