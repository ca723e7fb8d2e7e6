{#- Make the trusted zone visible as schema `trusted` (var `trusted_schema`), one relation per source.

    A trusted table is generations of parquet files (spark_jobs/trusted_table.py): a full build plus the
    change files of later increments. Readers merge them: the latest version of each key wins, in the
    catalogue's survivor order (`meta.key`, `meta.survivor_order` in _sources.yml), ties to the latest
    batch. Every source always has a relation with every column the catalogue declares (`data_type` in
    _sources.yml): an empty one while nothing has landed, and typed nulls for a column that files written
    before the catalogue named it lack. DuckDB: one view per source over the lake's parquet, a plain scan
    while a single generation is present, else the first generation's rows of unchanged keys plus the
    winning version of each changed key. Redshift: the same merge as late-binding views over the
    Spectrum external schema (var `trusted_external_schema`) whose tables the EMR job registers in the
    Glue catalogue. -#}
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

{#- A column's declared type (_sources.yml `data_type`) in the adapter's words. -#}
{% macro trusted_type(column) -%}
  {{ return(dbt.type_string() if column.data_type == 'text' else column.data_type) }}
{%- endmacro %}

{#- Every declared column of the source: from `relation` where `present` has it, else a typed null. -#}
{% macro trusted_columns(node, present) -%}
  {%- set columns = [] -%}
  {%- for name, column in node.columns.items() -%}
    {%- do columns.append(name if name in present else 'cast(null as ' ~ trusted_type(column) ~ ') as ' ~ name) -%}
  {%- endfor -%}
  {{ return(columns | join(', ')) }}
{%- endmacro %}

{#- Redshift: at run time only (a compile or parse has no cluster to ask), one view per source from the
    columns the Spectrum table has registered (svv_external_columns). -#}
{% macro default__register_trusted_sources() -%}
  {%- if execute and flags.WHICH not in ('compile', 'parse', 'list', 'docs') -%}
    {%- set external = var('trusted_external_schema', 'trusted_spectrum') -%}
    {%- do run_query('create schema if not exists ' ~ var('trusted_schema', 'trusted')) -%}
    {%- set generations = [] -%}
    {%- for node in graph.sources.values() if node.source_name == 'trusted' -%}
      {%- set registered = run_query(
          "select columnname from svv_external_columns where schemaname = '" ~ external
          ~ "' and tablename = '" ~ node.name ~ "'"
      ).columns[0].values() | list -%}
      {%- do run_query(spectrum_view(node, registered)) -%}
      {%- do generations.append(
          "select '" ~ node.name ~ "' as source_name, cast(null as varchar) as base_generation, "
          ~ (("coalesce(max(_batch_id), '') as latest_generation from " ~ external ~ '.' ~ node.name)
             if registered else "'' as latest_generation")) -%}
    {%- endfor -%}
    {#- Spectrum lists no files: the latest batch read stands for the latest generation, no full build is
        told apart (a model incremental on the trusted zone is rebuilt by --full-refresh there). -#}
    {%- do run_query('drop table if exists ' ~ trusted_generations_table()) -%}
    {%- do run_query('create table ' ~ trusted_generations_table() ~ ' as ' ~ generations | join(' union all ')) -%}
  {%- endif -%}
  select 1
{%- endmacro %}

{#- The statement that makes source `node` a late-binding view over its Spectrum table, given the columns
    the table has `registered` (none: an empty view). Plain text, no query: tests render it offline. -#}
{% macro spectrum_view(node, registered) -%}
  {%- if registered -%}
    {%- set relation = '(select *, ' ~ latest_version_rank(node) ~ ' as _version_rank from '
        ~ var('trusted_external_schema', 'trusted_spectrum') ~ '.' ~ node.name
        ~ ') as versions where _version_rank = 1' -%}
    {%- set body = 'select ' ~ trusted_columns(node, registered) ~ ' from ' ~ relation -%}
  {%- else -%}
    {%- set body = 'select ' ~ trusted_columns(node, []) ~ ' where 1 = 0' -%}
  {%- endif -%}
  {{ return('create or replace view ' ~ var('trusted_schema', 'trusted') ~ '.' ~ node.name ~ ' as ' ~ body
      ~ ' with no schema binding') }}
{%- endmacro %}

{% macro duckdb__register_trusted_sources() -%}
  {#- The first generation (the full build) is the base: its rows of keys no later generation holds pass
      through an anti-join on the few changed keys, and only the changed keys' versions are ranked.
      Ranking every row would sort the whole table by key on each read of the view. -#}
  {%- if execute -%}
    {#- The lake's location has one default, the orchestration's (orchestration/settings.py), which sets
        the variable for every dbt run it starts. -#}
    {%- set lake = env_var('SECOP_LAKE_URI', '') -%}
    {%- if not lake -%}
      {{ exceptions.raise_compiler_error(
          'SECOP_LAKE_URI is not set: dbt reads the trusted zone from the lake there. Run dbt through Dagster '
          ~ '(make demo, make dev) or set it to the lake folder (the default is .data/lake in the repository).') }}
    {%- endif -%}
    {%- set schema = var('trusted_schema', 'trusted') -%}
    {%- do run_query('create schema if not exists ' ~ schema) -%}
    {%- set generations = [] -%}
    {%- for node in graph.sources.values() if node.source_name == 'trusted' -%}
      {%- set meta = trusted_meta(node) -%}
      {%- set folder = lake ~ '/' ~ meta['trusted_path'] -%}
      {%- set files = folder ~ '/*/*.parquet' -%}
      {%- set generation = "split_part(parse_filename(file), '.', 1)" -%}
      {%- set found = run_query(
          'select count(*), count(distinct ' ~ generation ~ '), min(' ~ generation ~ '), max(' ~ generation ~ ")"
          ~ " from glob('" ~ files ~ "')"
      ).rows[0] -%}
      {%- do generations.append("('" ~ node.name ~ "', " ~ ("'" ~ found[2] ~ "'" if found[2] else 'null') ~ ", '"
          ~ (found[3] or '') ~ "')") -%}
      {%- if found[0] == 0 -%}
        {%- set body = 'select ' ~ trusted_columns(node, []) ~ ' where 1 = 0' -%}
      {%- else -%}
        {%- set present = run_query('describe select * from ' ~ trusted_scan(files, meta)).columns[0].values() | list -%}
        {%- set fill = [] -%}
        {%- for name, column in node.columns.items() if name not in present -%}
          {%- do fill.append(', cast(null as ' ~ trusted_type(column) ~ ') as ' ~ name) -%}
        {%- endfor -%}
        {%- if found[1] == 1 -%}
          {%- set body = 'select *' ~ fill | join('') ~ ' from ' ~ trusted_scan(files, meta) -%}
        {%- else -%}
          {%- set base = trusted_scan(folder ~ '/*/' ~ found[2] ~ '.*.parquet', meta) -%}
          {%- set later = "select * exclude (filename) from " ~ trusted_scan(files, meta, filename=true)
              ~ " where parse_filename(filename) not like '" ~ found[2] ~ ".%'" -%}
          {%- set matches = [] -%}
          {%- for column in meta['key'] -%}{%- do matches.append('c.' ~ column ~ ' = f.' ~ column) -%}{%- endfor -%}
          {%- set changed = 'exists (select 1 from changed c where ' ~ matches | join(' and ') ~ ')' -%}
          {%- set body = 'with changes as (' ~ later ~ '), '
              ~ 'changed as (select distinct ' ~ meta['key'] | join(', ') ~ ' from changes), '
              ~ 'contested as (select * from ' ~ base ~ ' f where ' ~ changed
              ~ ' union all by name select * from changes), '
              ~ 'ranked as (select *, ' ~ latest_version_rank(node) ~ ' as _version_rank from contested), '
              ~ 'merged as (select * from ' ~ base ~ ' f where not ' ~ changed
              ~ ' union all by name select * exclude (_version_rank) from ranked where _version_rank = 1) '
              ~ 'select *' ~ fill | join('') ~ ' from merged' -%}
        {%- endif -%}
      {%- endif -%}
      {%- do run_query('create or replace view ' ~ schema ~ '.' ~ node.name ~ ' as ' ~ body) -%}
    {%- endfor -%}
    {%- do run_query('create or replace table ' ~ trusted_generations_table()
        ~ ' (source_name varchar, base_generation varchar, latest_generation varchar)') -%}
    {%- do run_query('insert into ' ~ trusted_generations_table() ~ ' values ' ~ generations | join(', ')) -%}
  {%- endif -%}
  select 1
{%- endmacro %}

{#- The parquet files of a trusted table (a glob or a list of paths), its year partition typed
    (`meta.year_partition`). -#}
{% macro trusted_scan(files, meta, filename=false) -%}
  read_parquet({{ "['" ~ files | join("', '") ~ "']" if files is not string else "'" ~ files ~ "'" }}, hive_partitioning = true, hive_types = {'{{ meta['year_partition'] }}': 'bigint'}, union_by_name = true
  {%- if filename %}, filename = true{% endif %})
{%- endmacro %}
