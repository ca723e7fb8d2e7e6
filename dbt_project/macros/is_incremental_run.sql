{#- `is_incremental()`, except when compiling for a warehouse that may be unreachable (Redshift in CI):
    is_incremental() asks the database whether the table exists, so there the incremental branch is
    rendered instead, which is the one a scheduled run executes and the one worth checking. A unit test
    (no relation of its own) renders a full build. -#}
{% macro is_incremental_run() -%}
  {%- if this is none -%}
    {{ return(false) }}
  {%- endif -%}
  {%- if execute and flags.WHICH == 'compile' and target.type != 'duckdb' -%}
    {{ return(true) }}
  {%- endif -%}
  {{ return(is_incremental()) }}
{%- endmacro %}
