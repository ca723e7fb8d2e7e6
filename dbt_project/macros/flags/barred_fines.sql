{#- The body of int_flags__barred_fines (the rule is documented there) over `awards`, a relation or
    CTE name with int_awards' columns: the batch model passes int_awards, the live path the new contracts. -#}
{% macro flags__barred_fines(awards) -%}
{%- set lookback_years = var('fines_lookback_years') -%}
{%- set text = dbt.type_string() -%}
{%- set match_conditions = ['records.event_date < awards.award_date'] -%}
{%- if lookback_years is not none -%}
  {%- do match_conditions.append(
      'records.event_date >= ' ~ dbt.dateadd('year', -1 * lookback_years, 'awards.award_date')) -%}
{%- endif -%}
{#- Each fine with the supplier document of the contract it sanctions, and its supplier code read as a
    document (the 7-8 digit code's meaning is unsettled: it is tried both ways). -#}
{%- set fines_with_contract -%}
(
    select
        fines.*,
        contracts.contract_id is not null as contract_found,
        contracts.supplier_document_key as contract_supplier_document_key,
        ltrim(fines.supplier_code, '0') as code_as_document
    from {{ ref('stg_secop_ii_multas') }} as fines
    left join {{ ref('stg_secop_ii_contratos') }} as contracts on fines.contract_id = contracts.contract_id
)
{%- endset -%}
{#- Which of the rule's keys matched the award's best fine (`match_method` says 'document' for two of them). -#}
{%- set matched_by -%}
    case per_award.best_match_rank
        when 1 then 'secop_code'
        when 2 then 'contract_supplier_document'
        when 3 then 'code_as_document'
        else 'name'
    end
{%- endset -%}
{#- Every fine of the supplier (revoked ones are annulled acts) dated before the award, within the
    lookback window when set. -#}
{{ register_match_flags(
    awards,
    indicator_id='barred_fines',
    award_conditions=['award_date is not null'],
    register=fines_with_contract,
    register_conditions=[
        'event_date is not null',
        'coalesce(' ~ folded_text('sanction_state') ~ ", '') <> 'revocada'",
    ],
    match_on=[
        ('secop_code', 'supplier_code', 'supplier_code', none),
        ('document', 'supplier_document_key', 'contract_supplier_document_key', none),
        ('document', 'supplier_document_key', 'code_as_document', none),
        ('name', 'supplier_name_match', 'supplier_name_match',
         'records.supplier_code is null and not records.contract_found'),
    ],
    record_id='source_row_id',
    match_conditions=match_conditions,
    aggregates=[
        ('count(*)', 'fines'),
        ('sum(sanction_value)', 'fines_value'),
        ('max(event_date)', 'latest_event_date'),
    ],
    record_fields=[
        ('sanction_id', json_string('sanction_id')),
        ('contract_id', json_string('contract_id')),
        ('act_number', json_string('act_number')),
        ('sanction_type', json_string('sanction_type')),
        ('sanction_kind', json_string('sanction_kind')),
        ('sanction_state', json_string('sanction_state')),
        ('value', json_number('sanction_value')),
        ('event_date', json_string('cast(event_date as ' ~ text ~ ')')),
        ('entity_name', json_string('entity_name')),
        ('match_method', json_string('match_method')),
    ],
    record_order='event_date, sanction_id, source_row_id',
    evidence=[
        ('supplier_key', json_string('awards.supplier_key')),
        ('lookback_years', json_number(lookback_years if lookback_years is not none else 'null')),
        ('fines', json_number('per_award.fines')),
        ('fines_value', json_number('per_award.fines_value')),
        ('latest_event_date', json_string('cast(per_award.latest_event_date as ' ~ text ~ ')')),
        ('matched_by', json_string(matched_by)),
        ('records', 'per_award.records_json'),
    ],
) }}
{%- endmacro %}
