{#- The indicator catalogue is var `indicators` (dbt_project.yml): id -> group, labels, unit, flags. These
    macros read it, in its order (the report order). -#}

{#- The indicator ids. -#}
{% macro indicator_ids() -%}
  {{ return(var('indicators').keys() | list) }}
{%- endmacro %}

{#- The indicator models that int_contract_flags unions: `int_flags__<id>` for each indicator. -#}
{% macro indicator_models() -%}
  {%- set models = [] -%}
  {%- for indicator_id in indicator_ids() -%}
    {%- do models.append('int_flags__' ~ indicator_id) -%}
  {%- endfor -%}
  {{ return(models) }}
{%- endmacro %}

{#- Indicators evaluated on a narrower universe than int_awards (`universe: true`): indicator_id -> model
    `int_universe__<id>` with one row per evaluated award (`award_key`). The others are evaluated on every
    award. -#}
{% macro indicator_universes() -%}
  {%- set universes = {} -%}
  {%- for indicator_id, indicator in var('indicators').items() if indicator.get('universe') -%}
    {%- do universes.update({indicator_id: 'int_universe__' ~ indicator_id}) -%}
  {%- endfor -%}
  {{ return(universes) }}
{%- endmacro %}

{#- Indicators whose irregularity unit is finer than an award (`finer_units: true`): indicator_id -> model
    `int_units__<id>` with one row per flagged unit (`unit_key`, `award_key`). The others count distinct
    `unit_key` of their flags. -#}
{% macro indicator_units() -%}
  {%- set units = {} -%}
  {%- for indicator_id, indicator in var('indicators').items() if indicator.get('finer_units') -%}
    {%- do units.update({indicator_id: 'int_units__' ~ indicator_id}) -%}
  {%- endfor -%}
  {{ return(units) }}
{%- endmacro %}

{#- The indicators evaluated on each new contract by the near-real-time path (`streaming: true`,
    docs/indicators/README.md). Each has a macro `flags__<id>` (macros/flags/) that its batch model and
    fct_contract_evaluations both call. -#}
{% macro streaming_indicator_ids() -%}
  {%- set ids = [] -%}
  {%- for indicator_id, indicator in var('indicators').items() if indicator.get('streaming') -%}
    {%- do ids.append(indicator_id) -%}
  {%- endfor -%}
  {{ return(ids) }}
{%- endmacro %}
