{#- Make the trusted zone visible as schema `trusted`, the same name the sources use on every target.
    DuckDB: one view per trusted source over the lake's parquet (skipped while a source has no files,
    so a model that needs it fails with "does not exist"). Redshift: `trusted` is the Spectrum
    external schema over the Glue catalogue that the EMR job registers, so there is nothing to do. -#}
{% macro register_trusted_sources() -%}
  {{ return(adapter.dispatch('register_trusted_sources')()) }}
{%- endmacro %}

{% macro default__register_trusted_sources() -%}
  select 1
{%- endmacro %}

{% macro duckdb__register_trusted_sources() -%}
  {%- if execute -%}
    {%- set lake = env_var('SECOP_LAKE_URI', '../.data/lake') -%}
    {%- set schema = var('trusted_schema', 'trusted') -%}
    {%- do run_query('create schema if not exists ' ~ schema) -%}
    {%- for node in graph.sources.values() if node.source_name == 'trusted' -%}
      {%- set files = lake ~ '/trusted/' ~ node.name ~ '/*/*.parquet' -%}
      {%- set found = run_query("select count(*) from glob('" ~ files ~ "')").columns[0].values()[0] -%}
      {%- if found > 0 -%}
        {%- do run_query(
            'create or replace view ' ~ schema ~ '.' ~ node.name ~ " as select * from read_parquet('"
            ~ files ~ "', hive_partitioning = true, union_by_name = true)"
        ) -%}
      {%- endif -%}
    {%- endfor -%}
  {%- endif -%}
  select 1
{%- endmacro %}
