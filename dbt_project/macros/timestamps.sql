{#- Timestamps of the near-real-time path. They are stored as UTC without a time zone, like Socrata's
    `:updated_at` (`_source_updated_at` in the trusted zone), and shown in America/Bogota. -#}

{#- Var `name` (an ISO-8601 timestamp, e.g. '2024-05-01T15:03:00Z'; one without an offset is UTC) as a
    UTC timestamp literal; none when the var is absent or empty. Parsed here, so both engines read the
    same literal whatever offset the caller wrote. Without the var, environment variable
    `DBT_ENV_CUSTOM_ENV_SECOP_<NAME>` (e.g. ..._SECOP_LIVE_WINDOW_START), read through dbt's
    `dbt_metadata_envs`: a run whose vars differ from the last run's parses the whole project again, and
    one whose `env_var()` values differ the models that read them (2 s a live run); these are not
    tracked by the parser, as they only change the SQL a run executes. -#}
{% macro timestamp_var(name) -%}
  {%- set value = var(name, none) -%}
  {%- if value is none -%}{%- set value = dbt_metadata_envs.get('SECOP_' ~ name | upper, '') -%}{%- endif -%}
  {%- if value is none or value | string | trim == '' -%}
    {{ return(none) }}
  {%- endif -%}
  {%- set text = value | string | trim -%}
  {%- if text[-1:] in ('Z', 'z') -%}{%- set text = text[:-1] ~ '+00:00' -%}{%- endif -%}
  {%- set parsed = modules.datetime.datetime.fromisoformat(text) -%}
  {%- if parsed.tzinfo is not none -%}
    {%- set parsed = parsed.astimezone(modules.pytz.utc).replace(tzinfo=none) -%}
  {%- endif -%}
  {{ return("cast('" ~ parsed.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as timestamp)") }}
{%- endmacro %}

{#- Now, in UTC, without a time zone: one value for a whole statement. -#}
{% macro current_utc_timestamp() -%}
  {{ return(adapter.dispatch('current_utc_timestamp')()) }}
{%- endmacro %}

{#- Redshift: getdate() is the statement's start, a TIMESTAMP in the session's time zone: UTC unless one is
    set for the dbt user (ALTER USER ... SET timezone), which must stay UTC (DuckDB's branch is UTC whatever
    the session's zone; tests/test_dbt_dispatch.py). -#}
{% macro default__current_utc_timestamp() -%}
  {{ dbt.current_timestamp() }}
{%- endmacro %}

{% macro duckdb__current_utc_timestamp() -%}
  timezone('UTC', now())
{%- endmacro %}

{#- A UTC timestamp as 25-character ISO-8601 text in America/Bogota, e.g. '2024-05-01T10:03:00-05:00'.
    Colombia keeps UTC-5 all year (no daylight saving since 1993), so the offset is fixed. -#}
{% macro iso_bogota(timestamp) -%}
  {{ return(adapter.dispatch('iso_bogota')(timestamp)) }}
{%- endmacro %}

{% macro default__iso_bogota(timestamp) -%}
  to_char({{ dbt.dateadd('hour', -5, timestamp) }}, 'YYYY-MM-DD') || 'T'
    || to_char({{ dbt.dateadd('hour', -5, timestamp) }}, 'HH24:MI:SS') || '-05:00'
{%- endmacro %}

{% macro duckdb__iso_bogota(timestamp) -%}
  strftime({{ dbt.dateadd('hour', -5, timestamp) }}, '%Y-%m-%dT%H:%M:%S') || '-05:00'
{%- endmacro %}

{#- The latest `column` of this incremental model as a timestamp literal, read when the run compiles the
    model (none when it holds no row); outside a run or build, the same as a subquery. -#}
{% macro logged_high_water(column) -%}
  {%- if not run_started_hooks() -%}
    {{ return('(select max(' ~ column ~ ') from ' ~ this ~ ')') }}
  {%- endif -%}
  {%- set value = run_query('select cast(max(' ~ column ~ ') as ' ~ dbt.type_string() ~ ') from ' ~ this).columns[0].values()[0] -%}
  {%- if value is none -%}
    {{ return(none) }}
  {%- elif not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?', value) -%}
    {{ exceptions.raise_compiler_error(this ~ ': ' ~ column ~ ' is not a timestamp: ' ~ value[:40]) }}
  {%- endif -%}
  {{ return("cast('" ~ value ~ "' as timestamp)") }}
{%- endmacro %}
