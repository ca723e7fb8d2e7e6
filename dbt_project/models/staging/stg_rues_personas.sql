{#- Chamber-of-commerce registrations (RUES c82u-588k), one row per (chamber, matrícula). A company
    carries its NIT in `nit`, a person's registration its id in `numero_identificacion`. -#}
with source as (
    select * from {{ source('trusted', 'rues_personas') }}
),

renamed as (
    select
        codigo_camara || '-' || matricula as registration_id,
        codigo_camara as chamber_code,
        matricula as registration_number,
        camara_comercio as chamber_name,
        nit_key,
        numero_identificacion_key as id_number_key,
        num_identificacion_representante_legal_key as legal_representative_key,
        coalesce(
            razon_social,
            trim(concat(concat(concat(coalesce(primer_nombre, ''), ' '), concat(coalesce(primer_apellido, ''), ' ')), coalesce(segundo_apellido, '')))
        ) as registered_name,
        organizacion_juridica as legal_form,
        upper(trim(estado_matricula)) as registration_state,
        cast(fecha_matricula as date) as registered_date,
        cast(fecha_renovacion as date) as renewed_date,
        cast(fecha_cancelacion as date) as cancelled_date,
        _row_id as source_row_id
    from source
)

select * from renamed
