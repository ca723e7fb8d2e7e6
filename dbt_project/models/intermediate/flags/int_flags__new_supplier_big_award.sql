{#- new_supplier_big_award: a large award to a supplier that first registered in a chamber of commerce
    shortly before. Evaluated on `int_universe__new_supplier_big_award` (dated awards whose supplier
    document has a RUES registration, with the first registration date); fires when
    award_value >= var `new_supplier_min_value`, the first registration is on or before the award
    date and fewer than var `new_supplier_max_days` days before it. The supplier is the unit. -#}
{%- set max_days = var('new_supplier_max_days') -%}
{%- set min_value = var('new_supplier_min_value') -%}

with universe as (
    select * from {{ ref('int_universe__new_supplier_big_award') }}
),

aged as (
    select
        universe.*,
        {{ dbt.datediff('first_registered_date', 'award_date', 'day') }} as days_registered
    from universe
),

flagged as (
    select
        {{ flag_row(
            'new_supplier_big_award',
            unit_key='supplier_key',
            match_method="'document'",
            evidence=[
                ('supplier_document_key', json_string('supplier_document_key')),
                ('first_registration_id', json_string('first_registration_id')),
                ('first_registration_chamber', json_string('first_registration_chamber')),
                ('first_registered_date', json_string('cast(first_registered_date as ' ~ dbt.type_string() ~ ')')),
                ('registrations', json_number('registrations_count')),
                ('award_date', json_string('cast(award_date as ' ~ dbt.type_string() ~ ')')),
                ('days_registered', json_number('days_registered')),
                ('max_days', json_number(max_days)),
                ('min_value', json_number(min_value)),
            ],
        ) }}
    from aged
    where award_value >= {{ min_value }}
      and first_registered_date <= award_date
      and days_registered < {{ max_days }}
)

select * from flagged
