{#- The supplier key (docs/indicators/README.md) and how it was obtained: the canonical document, else
    `SECOP:<supplier code>`, else `NAME:<name match key>` (low confidence, labelled); null when all three
    are missing or placeholders ('No Definido' becomes null in the trusted zone). -#}
{% macro supplier_key(document_key, code, name_match) -%}
  coalesce({{ document_key }}, 'SECOP:' || {{ code }}, 'NAME:' || {{ name_match }})
{%- endmacro %}

{% macro supplier_match_method(document_key, code, name_match) -%}
  case
    when {{ document_key }} is not null then 'document'
    when {{ code }} is not null then 'secop_code'
    when {{ name_match }} is not null then 'name'
  end
{%- endmacro %}
