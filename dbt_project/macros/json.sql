{#- Portable JSON building blocks (DuckDB and Redshift): strings are escaped with chr(), never with
    backslash literals, whose meaning differs between the two engines. -#}

{% macro json_string(expression) -%}
  coalesce('"' || replace(replace({{ expression }}, chr(92), chr(92) || chr(92)), '"', chr(92) || '"') || '"', 'null')
{%- endmacro %}

{% macro json_number(expression) -%}
  coalesce(cast({{ expression }} as {{ dbt.type_string() }}), 'null')
{%- endmacro %}

{#- A JSON object from (key, SQL expression already rendered as JSON) pairs. -#}
{% macro json_object(pairs) -%}
  '{' ||
  {%- for key, value in pairs %}
    '"{{ key }}":' || {{ value }}{% if not loop.last %} || ',' ||{% endif %}
  {%- endfor %}
  || '}'
{%- endmacro %}

{#- A JSON array of strings from an aggregate: listagg of already-safe identifiers. -#}
{% macro json_string_array_agg(expression) -%}
  '["' || {{ dbt.listagg(expression, "'\",\"'", "order by " ~ expression) }} || '"]'
{%- endmacro %}
