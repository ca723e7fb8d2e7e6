{#- The awards an indicator evaluates, by source (docs/indicators/README.md, "Award sources"): the rows of
    `awards` (default int_awards; a relation with its columns) whose `award_source` is in the indicator's
    `award_sources` (var `indicators`): contract and process (SECOP II), secop_i, tvec. A subquery
    aliased `awards` (Redshift names every subquery), to read with `from`. -#}
{% macro evaluated_awards(indicator_id, awards=none) -%}
  {%- set sources = var('indicators')[indicator_id]['award_sources'] -%}
  (select * from {{ awards if awards is not none else ref('int_awards') }}
   where award_source in ('{{ sources | join("', '") }}')) as awards
{%- endmacro %}
