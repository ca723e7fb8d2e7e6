{#- The body of int_flags__sensitive_post_supplier (the rule is documented there) over `awards`, a relation or
    CTE name with int_awards' columns: the batch model passes int_awards, the live path the new contracts. -#}
{% macro flags__sensitive_post_supplier(awards) -%}
{%- set text = dbt.type_string() -%}
{#- Every sensitive post of the supplier's document held since the award date or earlier; the evidence
    lists the most recent post first. -#}
{{ register_match_flags(
    awards,
    indicator_id='sensitive_post_supplier',
    award_conditions=[
        'supplier_document_key is not null',
        'award_date is not null',
        is_person_or_unknown_document('supplier_document_type'),
    ],
    register=ref('stg_sigep_puestos_sensibles'),
    match_on=('supplier_document_key', 'document_key'),
    match_conditions=['records.start_date <= awards.award_date'],
    match_columns=[
        ('row_number() over (partition by awards.award_key order by records.start_date desc, records.post_record_id)',
         'recency_rank'),
    ],
    aggregates=[
        ('count(*)', 'sensitive_posts'),
        ('max(snapshot_date)', 'snapshot_date'),
        ('max(case when recency_rank = 1 then post end)', 'latest_post'),
        ('max(case when recency_rank = 1 then institution end)', 'latest_post_institution'),
        ('max(case when recency_rank = 1 then start_date end)', 'latest_post_start'),
    ],
    record_fields=[
        ('post_record_id', json_string('post_record_id')),
        ('post', json_string('post')),
        ('institution', json_string('institution')),
        ('appointment_type', json_string('appointment_type')),
        ('start_date', json_string('cast(start_date as ' ~ text ~ ')')),
    ],
    record_order='start_date desc, post_record_id',
    evidence=[
        ('supplier_document_key', json_string('awards.supplier_document_key')),
        ('award_date', json_string('cast(awards.award_date as ' ~ text ~ ')')),
        ('snapshot_date', json_string('cast(per_award.snapshot_date as ' ~ text ~ ')')),
        ('posts', 'per_award.records_json'),
    ],
) }}
{%- endmacro %}
