{#- SECOP II execution plan lines (mfmm-jqmq), one row per plan line. -#}
with source as (
    select * from {{ source('trusted', 'secop_ii_ejecucion') }}
),

renamed as (
    select
        _row_id as plan_line_id,
        identificadorcontrato as contract_id,
        nombreplan as plan_name,
        tipoejecucion as execution_type,
        cast(porcentajedeavanceesperado as decimal(30, 3)) as expected_progress_pct,
        cast(cantidadporrecibir as decimal(30, 3)) as quantity_due,
        cast(cantidadrecibida as decimal(30, 3)) as quantity_received,
        cast(fechadeentregaesperada as date) as due_date,
        cast(fechadeentregareal as date) as delivered_date,
        cast(fechacreacion as date) as created_date
    from source
)

select * from renamed
