{#- SECOP II fines and sanctions (it5q-hg94), one row per (process, contract, act): the contract alone is
    often 'No definido'. The sanctioned supplier is known by a code (a SECOP supplier code, or perhaps a
    document: barred_fines tries both) and, through the contract, by its document. -#}
with source as (
    select * from {{ source('trusted', 'secop_ii_multas') }}
),

renamed as (
    select
        id_proceso || '|' || id_contrato || '|' || numero_de_acto as sanction_id,
        id_contrato as contract_id,
        id_proceso as process_id,
        numero_de_acto as act_number,
        as_codigo_proveedor_objeto as supplier_code,
        nombre_proveedor_objeto_de as supplier_name,
        nombre_proveedor_objeto_de_match as supplier_name_match,
        nombre_entidad_creadora as entity_name,
        tipo_de_sancion as sanction_type,
        tipo as sanction_kind,
        estado as sanction_state,
        cast(valor as decimal(30, 3)) as sanction_value,
        cast(fecha_evento as date) as event_date,
        _row_id as source_row_id
    from source
)

select * from renamed
