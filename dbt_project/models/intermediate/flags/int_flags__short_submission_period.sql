{#- short_submission_period (OCP R003): bidders had too few days between the publication of the
    procedure and the offer deadline. Evaluated on `int_universe__short_submission_period`; the
    minimum is var `short_submission_min_days_by_modality` for the modality (keys compared
    accent- and case-folded), else var `short_submission_min_days`. Fires when the calendar days
    are below that minimum (a zero or negative period fires too). One award, one unit. -#}
{%- set default_min_days = var('short_submission_min_days') -%}
{%- set min_days_by_modality = var('short_submission_min_days_by_modality') -%}

with universe as (
    select * from {{ ref('int_universe__short_submission_period') }}
),

with_minimum as (
    select
        universe.*,
        {{ by_modality('modality', min_days_by_modality, default_min_days) }} as minimum_days
    from universe
),

flagged as (
    select
        {{ flag_row(
            'short_submission_period',
            evidence=[
                ('process_id', json_string('process_id')),
                ('modality', json_string('modality')),
                ('published_date', json_string('cast(published_date as ' ~ dbt.type_string() ~ ')')),
                ('offers_due_date', json_string('cast(offers_due_date as ' ~ dbt.type_string() ~ ')')),
                ('submission_days', json_number('submission_days')),
                ('minimum_days', json_number('minimum_days')),
            ],
        ) }}
    from with_minimum
    where submission_days < minimum_days
)

select * from flagged
