{#- The adverse records of an award's supplier, for lists whose rows carry a party document only
    sometimes: one row per (award, record) with `match_method` and `match_rank`. A record with a
    document matches the award whose supplier document it is ('document', rank 1); a record without one
    falls back to the award supplier's name match key ('name', rank 2, low confidence). A record
    matches by one method only, so no (award, record) pair appears twice. `awards` and `records` are
    relation names (CTEs); `awards` has supplier_document_key and supplier_name_match. -#}
{% macro matches_by_document_else_name(awards, records, record_id, document_key, name_match) -%}
    select {{ awards }}.award_key, {{ records }}.{{ record_id }}, 'document' as match_method, 1 as match_rank
    from {{ awards }}
    inner join {{ records }} on {{ awards }}.supplier_document_key = {{ records }}.{{ document_key }}
    union all
    select {{ awards }}.award_key, {{ records }}.{{ record_id }}, 'name' as match_method, 2 as match_rank
    from {{ awards }}
    inner join {{ records }} on {{ awards }}.supplier_name_match = {{ records }}.{{ name_match }}
    where {{ records }}.{{ document_key }} is null
{%- endmacro %}

{#- The opening of the reason of a flag raised on an award's supplier:
    "<entity> awarded <award key> to <supplier> on <award date>" (names, else keys). -#}
{% macro award_sentence(awards) -%}
    coalesce({{ awards }}.entity_name, {{ awards }}.entity_key)
            || ' awarded ' || {{ awards }}.award_key
            || ' to ' || coalesce({{ awards }}.supplier_name, {{ awards }}.supplier_key)
            || ' on ' || cast({{ awards }}.award_date as {{ dbt.type_string() }})
{%- endmacro %}
