{#- delivery_noncompliance irregularity units (spec/indicators.md §7): one row per failing execution
    plan line of an evaluated award. Only lines with numeric quantities (quantity due and received both
    known) and an execution type that is not a percentage kind are tested. A line fails when
      - it was due before the run date and fewer units were received than due (short delivery), or
      - it was delivered more than `delivery_tolerance_days` days after its due date (late delivery).
    Lines due on or after the run date cannot be short yet. -#}
{%- set tolerance_days = var('delivery_tolerance_days') -%}

with universe as (
    select * from {{ ref('int_universe__delivery_noncompliance') }}
),

plan_lines as (
    select * from {{ ref('stg_secop_ii_ejecucion') }}
),

evaluable_lines as (
    select
        universe.award_key,
        plan_lines.*
    from plan_lines
    inner join universe on plan_lines.contract_id = universe.contract_id
    where plan_lines.quantity_due is not null
      and plan_lines.quantity_received is not null
      and coalesce({{ folded_text('plan_lines.execution_type') }}, '') <> 'porcentaje'
),

tested_lines as (
    select
        *,
        coalesce(due_date < {{ run_date() }} and quantity_received < quantity_due, false) as is_short_delivery,
        coalesce(delivered_date > {{ dbt.dateadd('day', tolerance_days, 'due_date') }}, false) as is_late_delivery
    from evaluable_lines
),

final as (
    select
        'delivery_noncompliance' as indicator_id,
        plan_line_id as unit_key,
        award_key,
        contract_id,
        plan_name,
        execution_type,
        due_date,
        delivered_date,
        {{ dbt.datediff('due_date', 'delivered_date', 'day') }} as days_late,
        quantity_due,
        quantity_received,
        is_short_delivery,
        is_late_delivery
    from tested_lines
    where is_short_delivery or is_late_delivery
)

select * from final
