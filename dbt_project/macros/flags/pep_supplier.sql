{#- The body of int_flags__pep_supplier (the rule is documented there) over `awards`, a relation or
    CTE name with int_awards' columns: the batch model passes int_awards, the live path the new contracts. -#}
{% macro flags__pep_supplier(awards) -%}
{%- set grace_years = var('pep_grace_years') or 0 -%}
{%- set text = dbt.type_string() -%}
{#- Every PEP record of the supplier's document that covers the award date, from the post's start to
    `pep_grace_years` after its end; the evidence lists the most recent post first. -#}
{{ register_match_flags(
    awards,
    indicator_id='pep_supplier',
    award_conditions=[
        'supplier_document_key is not null',
        'award_date is not null',
        is_person_or_unknown_document('supplier_document_type'),
    ],
    register=ref('stg_sigep_pep'),
    match_on=('supplier_document_key', 'document_key'),
    match_conditions=[
        'records.start_date <= awards.award_date',
        '(records.end_date is null or awards.award_date <= ' ~ dbt.dateadd('year', grace_years, 'records.end_date') ~ ')',
    ],
    match_columns=[
        ('row_number() over (partition by awards.award_key order by records.start_date desc, records.pep_record_id)',
         'recency_rank'),
    ],
    aggregates=[
        ('count(*)', 'pep_records'),
        ('max(case when recency_rank = 1 then post end)', 'latest_post'),
        ('max(case when recency_rank = 1 then entity_name end)', 'latest_post_entity'),
        ('max(case when recency_rank = 1 then start_date end)', 'latest_post_start'),
    ],
    record_fields=[
        ('pep_record_id', json_string('pep_record_id')),
        ('post', json_string('post')),
        ('entity', json_string('entity_name')),
        ('start_date', json_string('cast(start_date as ' ~ text ~ ')')),
        ('end_date', json_string('cast(end_date as ' ~ text ~ ')')),
    ],
    record_order='start_date desc, pep_record_id',
    evidence=[
        ('supplier_document_key', json_string('awards.supplier_document_key')),
        ('award_date', json_string('cast(awards.award_date as ' ~ text ~ ')')),
        ('grace_years', json_number(grace_years)),
        ('pep_records', 'per_award.records_json'),
    ],
) }}
{%- endmacro %}
