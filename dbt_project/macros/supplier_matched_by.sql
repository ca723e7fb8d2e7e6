{#- How an award's supplier and a bidder (an offer's supplier) are the same supplier: 'document',
    'secop_code' or 'name' (low confidence), compared on the strongest identifier both carry (canonical
    document, else SECOP supplier code, else name match key, as costly_offers compares them); null when
    that identifier differs or neither carries one. `award` and `offer` qualify the columns
    supplier_document_key, supplier_code and supplier_name_match. -#}
{% macro supplier_matched_by(award, offer) -%}
case
            when {{ award }}.supplier_document_key is not null and {{ offer }}.supplier_document_key is not null then
                case when {{ award }}.supplier_document_key = {{ offer }}.supplier_document_key then 'document' end
            when {{ award }}.supplier_code is not null and {{ offer }}.supplier_code is not null then
                case when {{ award }}.supplier_code = {{ offer }}.supplier_code then 'secop_code' end
            when {{ award }}.supplier_name_match is not null and {{ offer }}.supplier_name_match is not null then
                case when {{ award }}.supplier_name_match = {{ offer }}.supplier_name_match then 'name' end
        end
{%- endmacro %}
