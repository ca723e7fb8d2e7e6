{#- How an award's supplier is matched (register_match_flags' `match_on`) in a list whose rows carry a
    party document only sometimes: a record with a document matches the award whose supplier document
    it is ('document'); a record without one falls back to the award supplier's name match key ('name',
    low confidence). A record matches by one method only. -#}
{% macro document_else_name(document_key, name_match) -%}
  {{ return([
      ('document', 'supplier_document_key', document_key, none),
      ('name', 'supplier_name_match', name_match, 'records.' ~ document_key ~ ' is null'),
  ]) }}
{%- endmacro %}

