{#- The body of int_flags__inactive_supplier (the rule is documented there) over `awards`, a relation or
    CTE name with int_awards' columns: the batch model passes int_awards, the live path the new contracts. -#}
{% macro flags__inactive_supplier(awards) -%}
{%- set text = dbt.type_string() -%}
{#- Every registration of the supplier's document (int_rues_documents: one row per document and
    registration, the document being the registration's NIT or its id number), judged at the award date;
    the evidence lists the ones cancelled before it. -#}
{{ register_match_flags(
    awards,
    indicator_id='inactive_supplier',
    award_conditions=['supplier_document_key is not null', 'award_date is not null'],
    register=ref('int_rues_documents'),
    match_on=('supplier_document_key', 'document_key'),
    match_columns=[
        ("case when records.registration_state = 'CANCELADA' and records.cancelled_date < awards.award_date"
         ~ " then 1 else 0 end", 'cancelled_before_award'),
        ('case when (records.registered_date is null or records.registered_date <= awards.award_date)'
         ~ ' and (records.cancelled_date is null or records.cancelled_date >= awards.award_date)'
         ~ ' then 1 else 0 end', 'in_force_at_award'),
    ],
    aggregates=[
        ('count(*)', 'matched_registrations'),
        ('max(case when cancelled_before_award = 1 then cancelled_date end)', 'last_cancelled_date'),
    ],
    having='sum(cancelled_before_award) > 0 and sum(in_force_at_award) = 0',
    record_fields=[
        ('registration_id', json_string('registration_id')),
        ('chamber', json_string('chamber_name')),
        ('registration_number', json_string('registration_number')),
        ('cancelled_date', json_string('cast(cancelled_date as ' ~ text ~ ')')),
    ],
    record_order='cancelled_date, registration_id',
    listed_when='cancelled_before_award = 1',
    evidence=[
        ('supplier_document_key', json_string('awards.supplier_document_key')),
        ('award_date', json_string('cast(awards.award_date as ' ~ text ~ ')')),
        ('last_cancelled_date', json_string('cast(per_award.last_cancelled_date as ' ~ text ~ ')')),
        ('matched_registrations', json_number('per_award.matched_registrations')),
        ('registrations_in_force', json_number('0')),
        ('cancelled_registrations', 'per_award.records_json'),
    ],
) }}
{%- endmacro %}
