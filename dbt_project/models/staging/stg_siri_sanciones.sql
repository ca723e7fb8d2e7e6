{#- Disciplinary sanctions and disqualifications (SIRI iaeu-rcn6), one row per sanction record. -#}
with source as (
    select * from {{ source('trusted', 'siri_sanciones') }}
),

renamed as (
    select
        _row_id as sanction_record_id,
        numero_siri as siri_number,
        numero_identificacion_key as document_key,
        trim(concat(concat(concat(coalesce(primer_nombre, ''), ' '), concat(coalesce(primer_apellido, ''), ' ')), coalesce(segundo_apellido, '')))
            as person_name,
        sanciones as sanction,
        tipo_inhabilidad as disqualification_type,
        autoridad as authority,
        entidad_sancionado as entity_name,
        coalesce(cast(duracion_anos as integer), 0) as duration_years,
        coalesce(cast(duracion_mes as integer), 0) as duration_months,
        coalesce(cast(duracion_dias as integer), 0) as duration_days,
        cast(fecha_efectos_juridicos as date) as effective_date
    from source
)

select * from renamed
