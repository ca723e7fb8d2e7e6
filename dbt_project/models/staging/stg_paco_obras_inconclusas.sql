{#- PACO register of unfinished public works, one row per (work, party) line of the file. -#}
with source as (
    select * from {{ source('trusted', 'paco_obras_inconclusas') }}
),

renamed as (
    select
        _row_id as works_record_id,
        cod_obra as work_id,
        entidad_2001 as entity_name,
        nit_2001_key as entity_key,
        upper(trim(rol_2006)) as party_role,
        upper(trim(tipo_identificacion_2006)) as party_document_type,
        identificacion_2006_key as party_document_key,
        nombre_2006 as party_name,
        nombre_2006_match as party_name_match,
        estado_2010 as work_state,
        numero_contrato_2002 as contract_number,
        codigo_secop_2002 as secop_code,
        cast(fecha_2011 as date) as act_date
    from source
)

select * from renamed
