{#- Politically exposed persons (SIGEP 3qxn-uc22), one row per (person, post) record. -#}
with source as (
    select * from {{ source('trusted', 'sigep_pep') }}
),

renamed as (
    select
        _row_id as pep_record_id,
        numero_documento_key as document_key,
        nombre_pep as person_name,
        denominacion_cargo as post,
        nombre_entidad as entity_name,
        cast(fecha_vinculacion as date) as start_date,
        cast(fecha_desvinculacion as date) as end_date
    from source
)

select * from renamed
