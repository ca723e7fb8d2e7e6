{#- Make the trusted zone visible as schema `trusted` (var `trusted_schema`), one relation per source.

    A trusted table is generations of parquet files (spark_jobs/trusted_table.py): a full build plus the
    change files of later increments. Readers merge them: the latest version of each key wins, in the
    catalogue's survivor order (`meta.key`, `meta.survivor_order` in _sources.yml), ties to the latest
    batch. DuckDB: one view per source over the lake's parquet, a plain scan while a single generation
    is present (skipped while a source has no files, so a model that needs it fails with "does not
    exist"). Redshift: the same merge as late-binding views over the Spectrum external schema (var
    `trusted_external_schema`) whose tables the EMR job registers in the Glue catalogue. -#}
{% macro register_trusted_sources() -%}
  {{ return(adapter.dispatch('register_trusted_sources')()) }}
{%- endmacro %}

{% macro latest_version_rank(node) -%}
  {%- set meta = node.config.get('meta', {}) or node.meta -%}
  {%- set order = [] -%}
  {%- for expression in meta['survivor_order'] -%}{%- do order.append(expression ~ ' nulls last') -%}{%- endfor -%}
  {%- do order.append('_batch_id desc') -%}
  row_number() over (partition by {{ meta['key'] | join(', ') }} order by {{ order | join(', ') }})
{%- endmacro %}

{% macro default__register_trusted_sources() -%}
  {%- if execute and flags.WHICH not in ('compile', 'parse', 'list', 'docs') -%}
    {%- set schema = var('trusted_schema', 'trusted') -%}
    {%- set external = var('trusted_external_schema', 'trusted_spectrum') -%}
    {%- do run_query('create schema if not exists ' ~ schema) -%}
    {%- for node in graph.sources.values() if node.source_name == 'trusted' -%}
      {%- set columns = node.columns.keys() | list + ['_row_id', '_source_updated_at', '_batch_id',
          '_ingested_at', 'fecha_corte_datos', '_issues', '_year'] -%}
      {%- do run_query(
          'create or replace view ' ~ schema ~ '.' ~ node.name ~ ' as select ' ~ columns | join(', ')
          ~ ' from (select *, ' ~ latest_version_rank(node) ~ ' as _version_rank from '
          ~ external ~ '.' ~ node.name ~ ') where _version_rank = 1 with no schema binding'
      ) -%}
    {%- endfor -%}
  {%- endif -%}
  select 1
{%- endmacro %}

{% macro duckdb__register_trusted_sources() -%}
  {%- if execute -%}
    {%- set lake = env_var('SECOP_LAKE_URI', '../.data/lake') -%}
    {%- set schema = var('trusted_schema', 'trusted') -%}
    {%- do run_query('create schema if not exists ' ~ schema) -%}
    {%- for node in graph.sources.values() if node.source_name == 'trusted' -%}
      {%- set files = lake ~ '/trusted/' ~ node.name ~ '/*/*.parquet' -%}
      {%- set found = run_query(
          "select count(*), count(distinct split_part(parse_filename(file), '.', 1)) from glob('" ~ files ~ "')"
      ).rows[0] -%}
      {%- set scan = "read_parquet('" ~ files ~ "', hive_partitioning = true, union_by_name = true)" -%}
      {%- if found[0] > 0 and found[1] == 1 -%}
        {%- do run_query('create or replace view ' ~ schema ~ '.' ~ node.name ~ ' as select * from ' ~ scan) -%}
      {%- elif found[0] > 0 -%}
        {%- do run_query(
            'create or replace view ' ~ schema ~ '.' ~ node.name ~ ' as select * exclude (_version_rank) from '
            ~ '(select *, ' ~ latest_version_rank(node) ~ ' as _version_rank from ' ~ scan ~ ') '
            ~ 'where _version_rank = 1'
        ) -%}
      {%- endif -%}
    {%- endfor -%}
  {%- endif -%}
  select 1
{%- endmacro %}
