{#- The body of int_flags__supplier_cancelled_contracts (the rule is documented there) over `awards`, a relation or
    CTE name with int_awards' columns: the batch model passes int_awards, the live path the new contracts. -#}
{% macro flags__supplier_cancelled_contracts(awards) -%}
{%- set lookback_years = var('cancelled_lookback_years') -%}
{%- set text = dbt.type_string() -%}
{%- set match_conditions = [
    'records.contract_id <> awards.award_key',
    'records.cancelled_date < awards.award_date',
] -%}
{%- if lookback_years is not none -%}
  {%- do match_conditions.append(
      'records.cancelled_date >= ' ~ dbt.dateadd('year', -lookback_years, 'awards.award_date')) -%}
{%- endif -%}
{#- Every earlier cancelled contract of the same supplier (one row per contract: the trusted key is
    id_contrato), within `cancelled_lookback_years` of the award when set. -#}
{{ register_match_flags(
    awards,
    indicator_id='supplier_cancelled_contracts',
    award_conditions=['supplier_key is not null', 'award_date is not null'],
    register=ref('stg_secop_ii_contratos_cancelados'),
    register_conditions=['supplier_key is not null', 'cancelled_date is not null'],
    match_on=('supplier_key', 'supplier_key'),
    match_conditions=match_conditions,
    aggregates=[
        ('count(*)', 'cancelled_count'),
        ('min(cancelled_date)', 'first_cancelled_date'),
        ('max(cancelled_date)', 'last_cancelled_date'),
    ],
    record_fields=[
        ('contract_id', json_string('contract_id')),
        ('cancelled_date', json_string('cast(cancelled_date as ' ~ text ~ ')')),
    ],
    record_order='cancelled_date, contract_id',
    match_method='awards.match_method',
    evidence=[
        ('supplier_key', json_string('awards.supplier_key')),
        ('award_date', json_string('cast(awards.award_date as ' ~ text ~ ')')),
        ('lookback_years', json_number(lookback_years if lookback_years is not none else 'null')),
        ('cancelled_count', json_number('per_award.cancelled_count')),
        ('first_cancelled_date', json_string('cast(per_award.first_cancelled_date as ' ~ text ~ ')')),
        ('last_cancelled_date', json_string('cast(per_award.last_cancelled_date as ' ~ text ~ ')')),
        ('cancelled_contracts', 'per_award.records_json'),
    ],
) }}
{%- endmacro %}
