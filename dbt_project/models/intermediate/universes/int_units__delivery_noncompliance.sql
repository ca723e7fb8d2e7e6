{#- delivery_noncompliance irregularity units (docs/indicators/delivery_noncompliance.md): one row per failing execution
    plan line of an evaluated award. A quantity line (quantity due and received both known) fails when
      - it was due before the run date and fewer units were received than due (short delivery), or
      - it was delivered more than `delivery_tolerance_days` days after its due date (late delivery);
    a percentage line (execution type 'porcentaje') fails when it was due before the run date and its
    real progress is below the expected progress (behind progress). Lines due on or after the run date
    cannot be short or behind yet; lines of a contract whose state is 'suspendido' never fail (execution
    is paused). -#}
{%- set tolerance_days = var('delivery_tolerance_days') -%}

with universe as (
    select * from {{ ref('int_universe__delivery_noncompliance') }}
),

plan_lines as (
    select
        *,
        coalesce({{ folded_text('execution_type') }}, '') = 'porcentaje' as is_percentage_line
    from {{ ref('stg_secop_ii_ejecucion') }}
    where coalesce({{ folded_text('contract_state') }}, '') <> 'suspendido'
),

evaluable_lines as (
    select
        universe.award_key,
        plan_lines.*
    from plan_lines
    inner join universe on plan_lines.contract_id = universe.contract_id
    where plan_lines.is_percentage_line
       or (plan_lines.quantity_due is not null and plan_lines.quantity_received is not null)
),

tested_lines as (
    select
        *,
        not is_percentage_line
            and coalesce(due_date < {{ run_date() }} and quantity_received < quantity_due, false) as is_short_delivery,
        not is_percentage_line
            and coalesce(delivered_date > {{ dbt.dateadd('day', tolerance_days, 'due_date') }}, false) as is_late_delivery,
        is_percentage_line
            and coalesce(due_date < {{ run_date() }} and real_progress_pct < expected_progress_pct, false)
            as is_behind_progress
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
        expected_progress_pct,
        real_progress_pct,
        is_short_delivery,
        is_late_delivery,
        is_behind_progress
    from tested_lines
    where is_short_delivery or is_late_delivery or is_behind_progress
)

select * from final
