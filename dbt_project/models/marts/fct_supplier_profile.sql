{#- Each supplier's profile lines (macro party_profile): what the read API's GET /suppliers/{document} shows
    besides the dimension's row, read in one lookup by `supplier_key` (an index on DuckDB, the sort key on
    Redshift). -#}
{{ config(sort=['supplier_key'], meta={'lookup_index': 'supplier_key'}) }}

{{ party_profile('supplier') }}
