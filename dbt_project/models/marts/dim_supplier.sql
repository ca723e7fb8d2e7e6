{#- One row per supplier key (canonical document, else SECOP code, else name key): how it is known,
    its most used name, the raw documents and codes seen, and what it was awarded and flagged for. -#}
with awards as (
    select * from {{ ref('int_awards') }}
),

flags as (
    select * from {{ ref('fct_contract_flags') }}
),

raw_ids as (
    select supplier_key, supplier_document_raw, supplier_code from {{ ref('stg_secop_ii_procesos') }}
    union all  -- the counts below are distinct anyway
    select supplier_key, supplier_document_raw, supplier_code from {{ ref('stg_secop_ii_contratos') }}
),

ids_seen as (
    select
        supplier_key,
        count(distinct supplier_document_raw) as document_spellings,
        count(distinct supplier_code) as secop_codes
    from raw_ids
    where supplier_key is not null
    group by supplier_key
),

best_name as (
    {{ most_used('awards', 'supplier_key', 'supplier_name') }}
),

flagged as (
    select
        supplier_key,
        count(distinct award_key) as flagged_awards,
        count(distinct indicator_id) as indicators_fired
    from flags
    where supplier_key is not null
    group by supplier_key
),

totals as (
    select
        supplier_key,
        count(*) as awards,
        count(distinct entity_key) as entities,
        sum(award_value) as awarded_value,
        min(award_date) as first_award_date,
        max(award_date) as last_award_date
    from awards
    where supplier_key is not null
    group by supplier_key
),

final as (
    select
        cast(totals.supplier_key as {{ dbt.type_string() }}) as supplier_key,
        cast(
            case
                when totals.supplier_key like 'SECOP:%' then 'secop_code'
                when totals.supplier_key like 'NAME:%' then 'name'
                else 'document'
            end as {{ dbt.type_string() }}
        ) as key_kind,
        cast(best_name.supplier_name as {{ dbt.type_string() }}) as supplier_name,
        cast(coalesce(ids_seen.document_spellings, 0) as integer) as document_spellings,
        cast(coalesce(ids_seen.secop_codes, 0) as integer) as secop_codes,
        cast(totals.awards as bigint) as awards,
        cast(totals.entities as bigint) as entities,
        cast(totals.awarded_value as decimal(30, 3)) as awarded_value,
        cast(coalesce(flagged.flagged_awards, 0) as bigint) as flagged_awards,
        cast(coalesce(flagged.indicators_fired, 0) as integer) as indicators_fired,
        totals.first_award_date,
        totals.last_award_date
    from totals
    left join best_name on totals.supplier_key = best_name.supplier_key
    left join ids_seen on totals.supplier_key = ids_seen.supplier_key
    left join flagged on totals.supplier_key = flagged.supplier_key
)

select * from final
