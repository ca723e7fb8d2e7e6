{#- The body of int_flags__barred_unfinished_works (the rule is documented there) over `awards`, a relation or
    CTE name with int_awards' columns: the batch model passes int_awards, the live path the new contracts. -#}
{% macro flags__barred_unfinished_works(awards) -%}
{%- set roles = var('works_contractor_roles') -%}
{%- set text = dbt.type_string() -%}
{%- set work_fields = [
    ('work_id', json_string('work_id')),
    ('entity_name', json_string('entity_name')),
    ('role', json_string('party_role')),
    ('party_name', json_string('party_name')),
    ('work_state', json_string('work_state')),
    ('contract_number', json_string('contract_number')),
    ('act_date', json_string('cast(act_date as ' ~ text ~ ')')),
    ('match_method', json_string('match_method')),
] -%}
{#- The register lines in a contractor role with an act date, once per distinct entry (two lines of the
    file may say the same thing: they make one record, known by the first line's id). -#}
{%- set entry_columns = 'work_id, entity_name, party_role, party_name, party_document_key, party_name_match, '
    ~ 'work_state, contract_number, act_date' -%}
{%- set entries -%}
(
    select min(works_record_id) as works_record_id, {{ entry_columns }}
    from {{ ref('stg_paco_obras_inconclusas') }}
    where act_date is not null
    {%- if roles %}
      and {{ folded_text('party_role') }} in (
        {%- for role in roles %}{{ folded_text("'" ~ (role | replace("'", "''")) ~ "'") }}{% if not loop.last %}, {% endif %}{% endfor -%}
      )
    {%- endif %}
    group by {{ entry_columns }}
)
{%- endset -%}
{#- Every register entry of the supplier whose act is dated before the award. -#}
{{ register_match_flags(
    awards,
    indicator_id='barred_unfinished_works',
    award_conditions=['award_date is not null'],
    register=entries,
    match_on=document_else_name('party_document_key', 'party_name_match'),
    record_id='works_record_id',
    match_conditions=['records.act_date < awards.award_date'],
    aggregates=[('count(distinct work_id)', 'works'), ('max(act_date)', 'latest_act_date')],
    record_fields=work_fields,
    record_order='act_date, work_id, ' ~ json_object(work_fields),
    evidence=[
        ('supplier_key', json_string('awards.supplier_key')),
        ('works', json_number('per_award.works')),
        ('latest_act_date', json_string('cast(per_award.latest_act_date as ' ~ text ~ ')')),
        ('records', 'per_award.records_json'),
    ],
) }}
{%- endmacro %}
