{#- PACO fiscal-liability bulletin (Contraloría), one row per listed party. The bulletin has no dates of
    its own: `snapshot_date` is the cut date of the file it came from. -#}
with source as (
    select * from {{ source('trusted', 'paco_responsabilidad_fiscal') }}
),

renamed as (
    select
        _row_id as liability_record_id,
        responsable_fiscal as party_name,
        responsable_fiscal_match as party_name_match,
        tipo_y_num_docuemento as party_document_raw,
        tipo_y_num_docuemento_key as party_document_key,
        entidad_afectada as affected_entity,
        tr as liability_type,
        ente_que_reporta as reported_by,
        cast(fecha_corte_datos as date) as snapshot_date
    from source
)

select * from renamed
