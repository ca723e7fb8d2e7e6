{#- The run date stamped on the marts: var `run_date` (YYYY-MM-DD), else today in America/Bogota.
    The var is parsed here and the literal written from the parsed date, so nothing else of it reaches
    SQL: a value that is not a calendar date fails the compilation. -#}
{% macro run_date() -%}
  {%- set value = var('run_date', none) -%}
  {%- if value is none -%}
    {%- set value = modules.datetime.datetime.now(modules.pytz.timezone('America/Bogota')).strftime('%Y-%m-%d') -%}
  {%- endif -%}
  {%- set text = value | string -%}
  {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', text) -%}
    {{ exceptions.raise_compiler_error("var run_date must be a date YYYY-MM-DD, got " ~ (text[:40] | tojson)) }}
  {%- endif -%}
  cast('{{ modules.datetime.date.fromisoformat(text).isoformat() }}' as date)
{%- endmacro %}
