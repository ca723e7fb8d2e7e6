{#- The indicator models that fct_contract_flags unions, one per line: add a model here when it lands. -#}
{% macro indicator_models() -%}
  {{ return([
    'int_flags__repeat_awards',
  ]) }}
{%- endmacro %}

{#- Indicators evaluated on a narrower universe than int_awards: indicator_id -> model with one row per
    evaluated award (`award_key`). The others are evaluated on every award. -#}
{% macro indicator_universes() -%}
  {{ return({
  }) }}
{%- endmacro %}
