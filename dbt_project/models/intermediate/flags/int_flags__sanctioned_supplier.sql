{#- sanctioned_supplier (docs/indicators/sanctioned_supplier.md): the supplier of an award was under a
    disciplinary sanction or disqualification certified by the Procuraduría (SIRI iaeu-rcn6) in force
    at the award date: effective_date <= award_date < effective_date + duration (years, then months,
    then days). Sanctions of zero total duration bar nobody and are left out. Matched by canonical
    document only. The supplier is the irregularity unit. -#}
{%- set text = dbt.type_string() -%}
{%- set sanction_periods -%}
(
    select
        *,
        cast(
            {{ dbt.dateadd('day', 'duration_days',
                dbt.dateadd('month', 'duration_months',
                    dbt.dateadd('year', 'duration_years', 'effective_date'))) }}
            as date
        ) as end_date
    from {{ ref('stg_siri_sanciones') }}
    where document_key is not null
      and effective_date is not null
      and duration_years + duration_months + duration_days > 0
)
{%- endset -%}
{{ register_match_flags(
    evaluated_awards('sanctioned_supplier'),
    indicator_id='sanctioned_supplier',
    award_conditions=['award_date is not null', 'supplier_document_key is not null'],
    register=sanction_periods,
    match_on=('supplier_document_key', 'document_key'),
    match_conditions=['records.effective_date <= awards.award_date', 'awards.award_date < records.end_date'],
    aggregates=[('count(*)', 'sanctions'), ('max(end_date)', 'latest_end_date')],
    record_fields=[
        ('siri_number', json_string('siri_number')),
        ('sanction', json_string('sanction')),
        ('disqualification_type', json_string('disqualification_type')),
        ('authority', json_string('authority')),
        ('entity_name', json_string('entity_name')),
        ('effective_date', json_string('cast(effective_date as ' ~ text ~ ')')),
        ('duration_years', json_number('duration_years')),
        ('duration_months', json_number('duration_months')),
        ('duration_days', json_number('duration_days')),
        ('end_date', json_string('cast(end_date as ' ~ text ~ ')')),
    ],
    record_order='effective_date, sanction_record_id',
    evidence=[
        ('supplier_document_key', json_string('awards.supplier_document_key')),
        ('sanctions', json_number('per_award.sanctions')),
        ('latest_end_date', json_string('cast(per_award.latest_end_date as ' ~ text ~ ')')),
        ('records', 'per_award.records_json'),
    ],
) }}
