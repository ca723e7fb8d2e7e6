{#- Column blocks that several staging models select alike. -#}

{#- The supplier of a SECOP row (docs/indicators/README.md): its canonical document, SECOP code and name
    match key as they come, the supplier key built from them, and how that key was obtained. -#}
{% macro supplier_columns(document_key, code, name_match) -%}
    {{ document_key }} as supplier_document_key,
        {{ code }} as supplier_code,
        {{ name_match }} as supplier_name_match,
        {{ supplier_key(document_key, code, name_match) }} as supplier_key,
        {{ supplier_match_method(document_key, code, name_match) }} as match_method
{%- endmacro %}

{#- The keys of a SECOP II contract row: the same columns in the contracts (jbjy-vk9h) and the cancelled
    contracts (8uyg-q2s6). -#}
{% macro secop_ii_contract_keys() -%}
    id_contrato as contract_id,
        proceso_de_compra as portfolio_id,
        nit_entidad_key as entity_key,
        {{ supplier_columns('documento_proveedor_key', 'codigo_proveedor', 'proveedor_adjudicado_match') }}
{%- endmacro %}

{#- Where a row of a versioned SECOP II dataset comes from: the trusted zone's row id, the portal's update
    time of the version, and the ingestion batch. -#}
{% macro source_version_columns() -%}
    _row_id as source_row_id,
        _source_updated_at as source_updated_at,
        _batch_id as source_batch_id
{%- endmacro %}
