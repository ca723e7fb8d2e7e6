{#- The run date stamped on the marts: var `run_date` (YYYY-MM-DD), else today in America/Bogota. -#}
{% macro run_date() -%}
  {%- set value = var('run_date', none) -%}
  {%- if value is none -%}
    {%- set value = modules.datetime.datetime.now(modules.pytz.timezone('America/Bogota')).strftime('%Y-%m-%d') -%}
  {%- endif -%}
  cast('{{ value }}' as date)
{%- endmacro %}
