{#- The award universe (spec/indicators.md C1): one row per award. Until SECOP II contracts are
    ingested it holds the awarded processes only, keyed `PROC:<id_del_proceso>`. -#}
with processes as (
    select * from {{ ref('stg_secop_ii_procesos') }}
),

awarded_processes as (
    select
        'PROC:' || process_id as award_key,
        process_id,
        portfolio_id,
        entity_key,
        entity_name,
        supplier_key,
        supplier_name,
        match_method,
        modality,
        award_date,
        awarded_value as award_value,
        base_price,
        secop_url
    from processes
    where is_awarded
)

select * from awarded_processes
