{#- Public servants in corruption-sensitive posts (SIGEP 5u9e-g5w9), active at the snapshot. -#}
with source as (
    select * from {{ source('trusted', 'sigep_puestos_sensibles') }}
),

renamed as (
    select
        _row_id as post_record_id,
        upper(trim(tipo_dcto)) as document_type,
        identificacion_funcionario_key as document_key,
        nombre_completo as person_name,
        nombre_institucion as institution,
        denominacion_empleo_actual as post,
        tipo_nombramiento as appointment_type,
        cast(fecha_vinculacion as date) as start_date,
        cast(fecha_corte_datos as date) as snapshot_date
    from source
)

select * from renamed
