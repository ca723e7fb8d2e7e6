{#- Lower case, trimmed, Spanish accents folded: how free-text categories (modalities, states) compare. -#}
{% macro folded_text(expression) -%}
  lower(trim(translate({{ expression }}, 'ÁÉÍÓÚÜÑáéíóúüñ', 'AEIOUUNaeiouun')))
{%- endmacro %}

{#- True for a competitive modality: not in var `non_competitive_modalities` (folded values). -#}
{% macro is_competitive(modality) -%}
  ({{ modality }} is not null and {{ folded_text(modality) }} not in (
    {%- for m in var('non_competitive_modalities') %}'{{ m | replace("'", "''") }}'{% if not loop.last %}, {% endif %}{% endfor -%}
  ))
{%- endmacro %}
