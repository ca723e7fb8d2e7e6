{#- delivery_noncompliance — "contratos con incumplimiento de entregas" (docs/indicators/delivery_noncompliance.md,
    corrected rule): a contract with an execution plan where at least one plan line failed (fewer
    units received than due after the due date, delivered later than the tolerance, or, for a
    percentage line, real progress below the expected progress after the due date). The failing
    plan lines are listed in int_units__delivery_noncompliance (the irregularity unit); here they are
    aggregated to one row per award, so unit_key is the award. -#}
{%- set tolerance_days = var('delivery_tolerance_days') -%}

with universe as (
    select * from {{ ref('int_universe__delivery_noncompliance') }}
),

failing_lines as (
    select * from {{ ref('int_units__delivery_noncompliance') }}
),

line_evidence as (
    select
        award_key,
        unit_key,
        due_date,
        is_short_delivery,
        is_late_delivery,
        is_behind_progress,
        {{ json_object([
            ('plan_line_id', json_string('unit_key')),
            ('plan_name', json_string('plan_name')),
            ('due_date', json_string('cast(due_date as ' ~ dbt.type_string() ~ ')')),
            ('delivered_date', json_string('cast(delivered_date as ' ~ dbt.type_string() ~ ')')),
            ('days_late', json_number('days_late')),
            ('quantity_due', json_number('quantity_due')),
            ('quantity_received', json_number('quantity_received')),
            ('expected_progress_pct', json_number('expected_progress_pct')),
            ('real_progress_pct', json_number('real_progress_pct')),
            ('short_delivery', "case when is_short_delivery then 'true' else 'false' end"),
            ('late_delivery', "case when is_late_delivery then 'true' else 'false' end"),
            ('behind_progress', "case when is_behind_progress then 'true' else 'false' end"),
        ]) }} as line_json
    from failing_lines
),

-- One row per award: the failing lines are aggregated before meeting the award (each award counts once).
per_award as (
    select
        award_key,
        count(*) as failing_lines,
        sum(case when is_short_delivery then 1 else 0 end) as short_lines,
        sum(case when is_late_delivery then 1 else 0 end) as late_lines,
        sum(case when is_behind_progress then 1 else 0 end) as behind_lines,
        '[' || {{ dbt.listagg('line_json', "','", 'order by due_date, unit_key') }} || ']' as lines_json
    from line_evidence
    group by award_key
),

flagged as (
    select
        {{ flag_row(
            'delivery_noncompliance',
            award='universe',
            match_method='universe.match_method',
            evidence=[
                ('contract_id', json_string('universe.contract_id')),
                ('as_of_date', json_string('cast(' ~ run_date() ~ ' as ' ~ dbt.type_string() ~ ')')),
                ('tolerance_days', json_number(tolerance_days)),
                ('plan_lines', json_number('universe.plan_lines')),
                ('failing_lines', json_number('per_award.failing_lines')),
                ('short_lines', json_number('per_award.short_lines')),
                ('late_lines', json_number('per_award.late_lines')),
                ('behind_lines', json_number('per_award.behind_lines')),
                ('lines', 'per_award.lines_json'),
            ],
        ) }}
    from universe
    inner join per_award on universe.award_key = per_award.award_key
)

select * from flagged
