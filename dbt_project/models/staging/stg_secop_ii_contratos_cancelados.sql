{#- SECOP II cancelled contracts, one row per contract: the rows of the cancelled-contracts dataset
    (8uyg-q2s6; cancelled on `fechamodificacion`), plus the SECOP II contracts (jbjy-vk9h) in state
    Cancelado that dataset does not list (cancelled on their last update, `ultima_actualizacion`). The
    second set stands in for the first when 8uyg-q2s6 is not published at all. A contract whose
    cancellation date is unknown keeps a null `cancelled_date`: it is never taken for the signing date. -#}
{%- set shared = [
    'id_contrato', 'proceso_de_compra', 'nit_entidad_key', 'documento_proveedor_key', 'codigo_proveedor',
    'proveedor_adjudicado_match', 'nombre_entidad', 'proveedor_adjudicado', 'estado_contrato',
    'valor_del_contrato', 'fecha_de_firma', '_row_id',
] -%}

with published as (
    select * from {{ source('trusted', 'secop_ii_contratos_cancelados') }}
),

contracts as (
    select * from {{ source('trusted', 'secop_ii_contratos') }}
    where lower(trim(estado_contrato)) = 'cancelado'
),

cancelled as (
    select {{ shared | join(', ') }}, fechamodificacion as cancelled_at, 'secop_ii_contratos_cancelados' as listed_in
    from published
    union all
    select {{ shared | join(', ') }}, ultima_actualizacion as cancelled_at, 'secop_ii_contratos' as listed_in
    from contracts
    where not exists (select 1 from published where published.id_contrato = contracts.id_contrato)
),

renamed as (
    select
        {{ secop_ii_contract_keys() }},
        nombre_entidad as entity_name,
        proveedor_adjudicado as supplier_name,
        estado_contrato as contract_state,
        cast(valor_del_contrato as decimal(30, 3)) as contract_value,
        cast(fecha_de_firma as date) as signed_date,
        cast(cancelled_at as date) as cancelled_date,
        listed_in,
        _row_id as source_row_id
    from cancelled
)

select * from renamed
