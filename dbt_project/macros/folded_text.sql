{#- Lower case, trimmed, Spanish accents folded: how free-text categories (modalities, states) compare. -#}
{% macro folded_text(expression) -%}
  {{ return(adapter.dispatch('folded_text')(expression)) }}
{%- endmacro %}

{% macro default__folded_text(expression) -%}
  lower(trim(translate({{ expression }}, 'ÁÉÍÓÚÜÑáéíóúüñ', 'AEIOUUNaeiouun')))
{%- endmacro %}

{#- DuckDB: the same mapping as nested replace() calls (one per accented letter, each to an ASCII letter,
    so exactly translate's result); DuckDB's translate costs ~1 s per million rows, replace ~0.01 s. -#}
{% macro duckdb__folded_text(expression) -%}
  {%- set folded = namespace(sql=expression) -%}
  {%- for accented, plain in zip('ÁÉÍÓÚÜÑáéíóúüñ', 'AEIOUUNaeiouun') -%}
    {%- set folded.sql = "replace(" ~ folded.sql ~ ", '" ~ accented ~ "', '" ~ plain ~ "')" -%}
  {%- endfor -%}
  lower(trim({{ folded.sql }}))
{%- endmacro %}

{#- True for a competitive modality: not in var `non_competitive_modalities` (folded values). -#}
{% macro is_competitive(modality) -%}
  {{ return(adapter.dispatch('is_competitive')(modality)) }}
{%- endmacro %}

{% macro default__is_competitive(modality) -%}
  ({{ modality }} is not null and {{ folded_text(modality) }} not in (
    {%- for m in var('non_competitive_modalities') %}'{{ m | replace("'", "''") }}'{% if not loop.last %}, {% endif %}{% endfor -%}
  ))
{%- endmacro %}

{#- DuckDB: the same test with list_contains, which folds the modality once (`not in` folds it once per
    listed value). -#}
{% macro duckdb__is_competitive(modality) -%}
  ({{ modality }} is not null and not list_contains([
    {%- for m in var('non_competitive_modalities') %}'{{ m | replace("'", "''") }}'{% if not loop.last %}, {% endif %}{% endfor -%}
  ], {{ folded_text(modality) }}))
{%- endmacro %}

{#- True when a supplier's document type is a natural person's id, or unknown (null or one of var
    `person_document_types`, folded): only such suppliers are compared with the person lists (PEP,
    sensitive posts). A company NIT and the catch-all 'Otro' never are. -#}
{% macro is_person_or_unknown_document(document_type) -%}
  ({{ document_type }} is null or {{ folded_text(document_type) }} in (
    {%- for t in var('person_document_types') %}'{{ t | replace("'", "''") }}'{% if not loop.last %}, {% endif %}{% endfor -%}
  ))
{%- endmacro %}
