{#- The risk score's weights (fct_contract_risk): indicator_id -> weight for every indicator of the
    catalogue, from var `risk_weights` where it names one, else 1. The var is checked here and only the
    numbers reach SQL: an id that is not an indicator (a typo would otherwise weigh nothing, silently) or
    a weight that is not a number >= 0 fails the compilation, every problem named at once. -#}
{% macro risk_weights() -%}
  {%- set given = var('risk_weights') or {} -%}
  {%- set ids = indicator_ids() -%}
  {%- set problems = [] -%}
  {%- for indicator_id, weight in given.items() -%}
    {%- if indicator_id not in ids -%}
      {%- do problems.append((indicator_id | string)[:40] ~ ' is not an indicator id') -%}
    {%- elif weight is boolean or weight is not number or not (weight >= 0) -%}
      {%- do problems.append('the weight of ' ~ indicator_id ~ ' must be a number >= 0, got ' ~ ((weight | string)[:40] | tojson)) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- if problems -%}
    {{ exceptions.raise_compiler_error('var risk_weights: ' ~ problems | join('; ')) }}
  {%- endif -%}
  {%- set weights = {} -%}
  {%- for indicator_id in ids -%}
    {%- do weights.update({indicator_id: given.get(indicator_id, 1)}) -%}
  {%- endfor -%}
  {{ return(weights) }}
{%- endmacro %}
