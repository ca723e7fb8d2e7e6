{#- The body of int_flags__barred_fiscal_liability (the rule is documented there) over `awards`, a relation or
    CTE name with int_awards' columns: the batch model passes int_awards, the live path the new contracts. -#}
{% macro flags__barred_fiscal_liability(awards) -%}
{%- set text = dbt.type_string() -%}
{#- Every bulletin row of the supplier, whatever the award date: the trusted zone keeps only the latest
    bulletin snapshot, and every row is listed at that snapshot. -#}
{{ register_match_flags(
    awards,
    indicator_id='barred_fiscal_liability',
    register=ref('stg_paco_responsabilidad_fiscal'),
    match_on=document_else_name('party_document_key', 'party_name_match'),
    record_id='liability_record_id',
    aggregates=[('count(*)', 'listings'), ('max(snapshot_date)', 'snapshot_date')],
    record_fields=[
        ('party_name', json_string('party_name')),
        ('party_document', json_string('party_document_raw')),
        ('liability_type', json_string('liability_type')),
        ('affected_entity', json_string('affected_entity')),
        ('reported_by', json_string('reported_by')),
        ('match_method', json_string('match_method')),
    ],
    record_order='liability_record_id',
    evidence=[
        ('supplier_key', json_string('awards.supplier_key')),
        ('snapshot_date', json_string('cast(per_award.snapshot_date as ' ~ text ~ ')')),
        ('as_of', "'\"listed at snapshot\"'"),
        ('listings', json_number('per_award.listings')),
        ('records', 'per_award.records_json'),
    ],
) }}
{%- endmacro %}
