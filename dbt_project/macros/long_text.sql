{#- A text type long enough for evidence JSON: Redshift's plain varchar is only 256 bytes. -#}
{% macro long_text_type() -%}
  {{ return(adapter.dispatch('long_text_type')()) }}
{%- endmacro %}

{% macro default__long_text_type() -%}
  {{ dbt.type_string() }}
{%- endmacro %}

{% macro redshift__long_text_type() -%}
  varchar(65535)
{%- endmacro %}
