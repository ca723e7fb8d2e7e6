{#- The indicator models that fct_contract_flags unions: add a model here when an indicator lands. -#}
{% macro indicator_models() -%}
  {{ return(['int_flags__repeat_awards']) }}
{%- endmacro %}
