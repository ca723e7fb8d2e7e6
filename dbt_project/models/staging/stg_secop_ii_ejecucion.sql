{#- SECOP II execution plan lines (mfmm-jqmq), one row per plan line: quantities to receive and received
    (quantity lines), expected and real progress (percentage lines), and the contract's state. -#}
with source as (
    select * from {{ source('trusted', 'secop_ii_ejecucion') }}
),

renamed as (
    select
        _row_id as plan_line_id,
        identificadorcontrato as contract_id,
        nombreplan as plan_name,
        tipoejecucion as execution_type,
        estado_del_contrato as contract_state,
        cast(porcentajedeavanceesperado as decimal(30, 3)) as expected_progress_pct,
        cast(porcentaje_de_avance_real as decimal(30, 3)) as real_progress_pct,
        cast(cantidad_planeada as decimal(30, 3)) as quantity_planned,
        cast(cantidad_adjudicada as decimal(30, 3)) as quantity_awarded,
        cast(cantidadporrecibir as decimal(30, 3)) as quantity_due,
        cast(cantidadrecibida as decimal(30, 3)) as quantity_received,
        cast(fechadeentregaesperada as date) as due_date,
        cast(fechadeentregareal as date) as delivered_date,
        cast(fechacreacion as date) as created_date
    from source
)

select * from renamed
