{#- Make the trusted zone visible as schema `trusted` (var `trusted_schema`), one relation per source.

    A trusted table is generations of parquet files (spark_jobs/trusted_table.py): a full build plus the
    change files of later increments. Readers merge them: the latest version of each key wins, in the
    catalogue's survivor order (`meta.key`, `meta.survivor_order` in _sources.yml), ties to the latest
    batch. DuckDB: one view per source over the lake's parquet, a plain scan while a single generation
    is present, else the first generation's rows of unchanged keys plus the winning version of each
    changed key (skipped while a source has no files, so a model that needs it fails with "does not
    exist"). Redshift: the same merge as late-binding views over the Spectrum external schema (var
    `trusted_external_schema`) whose tables the EMR job registers in the Glue catalogue. -#}
{% macro register_trusted_sources() -%}
  {{ return(adapter.dispatch('register_trusted_sources')()) }}
{%- endmacro %}

{% macro trusted_meta(node) -%}
  {{ return(node.config.get('meta', {}) or node.meta) }}
{%- endmacro %}

{% macro latest_version_rank(node) -%}
  {%- set meta = trusted_meta(node) -%}
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
  {#- The first generation (the full build) is the base: its rows of keys no later generation holds pass
      through an anti-join on the few changed keys, and only the changed keys' versions are ranked.
      Ranking every row would sort the whole table by key on each read of the view. -#}
  {%- if execute -%}
    {%- set lake = env_var('SECOP_LAKE_URI', '../.data/lake') -%}
    {%- set schema = var('trusted_schema', 'trusted') -%}
    {%- do run_query('create schema if not exists ' ~ schema) -%}
    {%- for node in graph.sources.values() if node.source_name == 'trusted' -%}
      {%- set files = lake ~ '/trusted/' ~ node.name ~ '/*/*.parquet' -%}
      {%- set generation = "split_part(parse_filename(file), '.', 1)" -%}
      {%- set found = run_query(
          'select count(*), count(distinct ' ~ generation ~ '), min(' ~ generation ~ ") from glob('" ~ files ~ "')"
      ).rows[0] -%}
      {%- set view = 'create or replace view ' ~ schema ~ '.' ~ node.name ~ ' as ' -%}
      {%- if found[1] == 1 -%}
        {%- do run_query(view ~ 'select * from ' ~ trusted_scan(files)) -%}
      {%- elif found[0] > 0 -%}
        {%- set meta = trusted_meta(node) -%}
        {%- set base = trusted_scan(lake ~ '/trusted/' ~ node.name ~ '/*/' ~ found[2] ~ '.*.parquet') -%}
        {%- set later = "select * exclude (filename) from " ~ trusted_scan(files, filename=true)
            ~ " where parse_filename(filename) not like '" ~ found[2] ~ ".%'" -%}
        {%- set matches = [] -%}
        {%- for column in meta['key'] -%}{%- do matches.append('c.' ~ column ~ ' = f.' ~ column) -%}{%- endfor -%}
        {%- set changed = 'exists (select 1 from changed c where ' ~ matches | join(' and ') ~ ')' -%}
        {%- do run_query(
            view ~ 'with changes as (' ~ later ~ '), '
            ~ 'changed as (select distinct ' ~ meta['key'] | join(', ') ~ ' from changes), '
            ~ 'contested as (select * from ' ~ base ~ ' f where ' ~ changed
            ~ ' union all by name select * from changes), '
            ~ 'ranked as (select *, ' ~ latest_version_rank(node) ~ ' as _version_rank from contested) '
            ~ 'select * from ' ~ base ~ ' f where not ' ~ changed
            ~ ' union all by name select * exclude (_version_rank) from ranked where _version_rank = 1'
        ) -%}
      {%- endif -%}
    {%- endfor -%}
  {%- endif -%}
  select 1
{%- endmacro %}

{% macro trusted_scan(files, filename=false) -%}
  read_parquet('{{ files }}', hive_partitioning = true, hive_types = {'_year': 'bigint'}, union_by_name = true
  {%- if filename %}, filename = true{% endif %})
{%- endmacro %}
