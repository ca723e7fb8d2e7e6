{#- Each entity's profile lines (macro party_profile): what the read API's GET /entities/{document} shows
    besides the dimension's row, read in one lookup by `entity_key` (an index on DuckDB, the sort key on
    Redshift). -#}
{{ config(sort=['entity_key'], meta={'lookup_index': 'entity_key'}) }}

{{ party_profile('entity') }}
