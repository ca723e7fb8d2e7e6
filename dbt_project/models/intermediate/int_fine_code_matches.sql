{#- What the fines' supplier code (it5q-hg94 `as_codigo_proveedor_objeto`, 7-8 digits whose meaning public
    code disagrees on) matches among the suppliers SECOP II knows: a SECOP supplier code, a supplier
    document (leading zeros dropped), both, or neither. One row; barred_fines tries both readings, and
    these counts say how much each contributes. -#}
with fines as (
    select supplier_code from {{ ref('stg_secop_ii_multas') }}
),

awards as (
    select supplier_code, supplier_document_key from {{ ref('int_awards') }}
),

known_codes as (
    select distinct supplier_code from awards where supplier_code is not null
),

known_documents as (
    select distinct supplier_document_key from awards where supplier_document_key is not null
),

matched as (
    select
        fines.supplier_code,
        exists (select 1 from known_codes where known_codes.supplier_code = fines.supplier_code) as as_code,
        exists (
            select 1 from known_documents
            where known_documents.supplier_document_key = ltrim(fines.supplier_code, '0')
        ) as as_document
    from fines
),

final as (
    select
        count(*) as fines,
        sum(case when supplier_code is not null then 1 else 0 end) as fines_with_code,
        sum(case when as_code and not as_document then 1 else 0 end) as matched_as_code_only,
        sum(case when as_document and not as_code then 1 else 0 end) as matched_as_document_only,
        sum(case when as_code and as_document then 1 else 0 end) as matched_both_ways,
        sum(case when supplier_code is not null and not as_code and not as_document then 1 else 0 end)
            as matched_neither
    from matched
)

select * from final
