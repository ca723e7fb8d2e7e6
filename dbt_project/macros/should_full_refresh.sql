{#- dbt's `should_full_refresh()`, plus two cases. A model incremental on the trusted zone's changes is
    rebuilt when its recorded generations cannot be continued (macro incremental_rebuild_reason). An incremental table that lacks a column of its
    model's contract, or holds one the contract no longer has, was built by an earlier version of the
    project, so it is rebuilt (a full refresh) instead of failing on the changed columns. A model configured `full_refresh: false` (an append-only
    log) is never rebuilt: its `on_schema_change` adds the new columns instead. -#}
{% macro should_full_refresh() -%}
  {%- set configured = config.get('full_refresh') -%}
  {%- if configured is false -%}{{ return(false) }}{%- endif -%}
  {%- if configured is none -%}{%- set configured = flags.FULL_REFRESH -%}{%- endif -%}
  {%- if configured or not execute or model.config.materialized != 'incremental' -%}
    {{ return(configured) }}
  {%- endif -%}
  {%- set existing = adapter.get_relation(this.database, this.schema, this.identifier) -%}
  {%- if existing is none -%}
    {{ return(configured) }}
  {%- endif -%}
  {%- set present = adapter.get_columns_in_relation(existing) | map(attribute='name') | map('lower') | list -%}
  {%- set contracted = model.columns.keys() | map('lower') | list -%}
  {%- set missing = contracted | reject('in', present) | list -%}
  {%- set enforced = (model.config.get('contract') or {}).get('enforced') -%}
  {%- set dropped = present | reject('in', contracted) | list if enforced else [] -%}
  {%- if missing or dropped -%}
    {%- set changes = (['lacks ' ~ missing | join(', ')] if missing else [])
        + (['holds the dropped ' ~ dropped | join(', ')] if dropped else []) -%}
    {{ log(this ~ ' ' ~ changes | join(' and ') ~ ' (built by an earlier version): rebuilding it in full', info=true) }}
    {{ return(true) }}
  {%- endif -%}
  {%- set reason = incremental_rebuild_reason() -%}
  {%- if reason -%}
    {{ log(this ~ ': ' ~ reason ~ ': rebuilding it in full', info=true) }}
    {{ return(true) }}
  {%- endif -%}
  {{ return(configured) }}
{%- endmacro %}
