{#- Indicator id -> why the orchestrator found it cannot be evaluated now (orchestration/indicator_status.py:
    a source it needs failed its pull, is stale, lost a needed column or had it mostly unusable): a list
    of reasons, each a record with its `kind` and fields, never a sentence (texts/ renders them). Var
    `not_evaluated` (a mapping) when given, else the JSON in environment variable
    `DBT_ENV_CUSTOM_ENV_SECOP_NOT_EVALUATED`, read through `dbt_metadata_envs`, which dbt's parser does not
    track (a var that changes would make every run parse the whole project again); none: {}. Ids that
    are not plain identifiers, and reasons that are not such records, are refused. -#}
{% macro orchestrator_not_evaluated() -%}
  {%- set given = var('not_evaluated', none) -%}
  {%- if given is none -%}
    {%- set text = dbt_metadata_envs.get('SECOP_NOT_EVALUATED', '') | trim -%}
    {%- set given = fromjson(text) if text else {} -%}
  {%- endif -%}
  {%- for indicator_id, reasons in given.items() -%}
    {%- if not modules.re.fullmatch('[a-z][a-z0-9_]*', indicator_id | string) -%}
      {{ exceptions.raise_compiler_error('not_evaluated: ' ~ (indicator_id | string)[:40] ~ ' is not an indicator id') }}
    {%- endif -%}
    {%- if reasons is string or reasons is mapping or reasons | reject('mapping') | list
        or reasons | rejectattr('kind', 'string') | list -%}
      {{ exceptions.raise_compiler_error('not_evaluated: ' ~ indicator_id ~ ' needs a list of reasons, each with its kind') }}
    {%- endif -%}
  {%- endfor -%}
  {{ return(given) }}
{%- endmacro %}

{#- Indicator id -> the trusted sources it needs: those named in its model's `meta.needs`
    (int_flags__<id>) and the award universe's (int_awards), as orchestration/indicator_status.py reads
    them. Empty until dbt executes (the graph is not built while parsing); var `indicator_sources` (a
    mapping) replaces it where there is no graph to read (a unit test). -#}
{% macro indicator_sources() -%}
  {%- set needs = var('indicator_sources', {}) -%}
  {%- if execute and not needs and 'nodes' in graph -%}
    {%- set universe = [] -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.name == 'int_awards' -%}
      {%- do universe.extend((node.config.meta.get('needs') or {}).keys()) -%}
    {%- endfor -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.name.startswith('int_flags__') -%}
      {%- set sources = universe + ((node.config.meta.get('needs') or {}).keys() | list) -%}
      {%- do needs.update({node.name[11:]: sources | unique | sort}) -%}
    {%- endfor -%}
  {%- endif -%}
  {{ return(needs) }}
{%- endmacro %}

{#- A text literal for both engines: quotes doubled, backslashes (whose meaning differs) as chr(92). -#}
{% macro text_literal(value) -%}
  {{ return("'" ~ (value | string | replace("'", "''") | replace('\\', "' || chr(92) || '")) ~ "'") }}
{%- endmacro %}
