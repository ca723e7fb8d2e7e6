{#- The columns of an award that every universe carries (int_awards' names): the award's keys, the flag
    row's award columns and the award's names. `relation` qualifies them (none: unqualified). -#}
{% macro award_columns(relation=none) -%}
{%- set prefix = relation ~ '.' if relation else '' -%}
{%- set columns = [
    'award_key', 'process_id', 'portfolio_id', 'contract_id', 'entity_key', 'entity_name', 'supplier_key',
    'supplier_name', 'match_method', 'modality', 'award_date', 'award_value',
] -%}
{%- for column in columns -%}
    {{ prefix ~ column }}{{ ',\n        ' if not loop.last }}
{%- endfor -%}
{%- endmacro %}
