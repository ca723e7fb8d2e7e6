{#- One row per buying entity (canonical NIT): its most used name, the raw NIT spellings seen, and what
    it awarded and how much of it was flagged. -#}
with awards as (
    select * from {{ ref('int_awards') }}
),

flags as (
    select * from {{ ref('fct_contract_flags') }}
),

raw_nits as (
    select entity_key, entity_nit_raw from {{ ref('stg_secop_ii_procesos') }}
    union
    select entity_key, entity_nit_raw from {{ ref('stg_secop_ii_contratos') }}
),

nits_seen as (
    select
        entity_key,
        count(*) as nit_spellings,
        {{ dbt.listagg('entity_nit_raw', "', '", 'order by entity_nit_raw') }} as nits_seen
    from raw_nits
    where entity_key is not null and entity_nit_raw is not null
    group by entity_key
),

best_name as (
    {{ most_used('awards', 'entity_key', 'entity_name') }}
),

flagged as (
    select
        entity_key,
        count(distinct award_key) as flagged_awards,
        count(*) as flags
    from flags
    where entity_key is not null
    group by entity_key
),

flagged_value as (
    select awards.entity_key, sum(awards.award_value) as flagged_value
    from awards
    where awards.award_key in (select award_key from flags)
    group by awards.entity_key
),

totals as (
    select
        entity_key,
        max(entity_order) as entity_order,
        count(*) as awards,
        sum(award_value) as awarded_value,
        min(award_date) as first_award_date,
        max(award_date) as last_award_date
    from awards
    where entity_key is not null
    group by entity_key
),

final as (
    select
        cast(totals.entity_key as {{ dbt.type_string() }}) as entity_key,
        cast(best_name.entity_name as {{ dbt.type_string() }}) as entity_name,
        cast(totals.entity_order as {{ dbt.type_string() }}) as entity_order,
        cast(coalesce(nits_seen.nit_spellings, 0) as integer) as nit_spellings,
        cast(nits_seen.nits_seen as {{ long_text_type() }}) as nits_seen,
        cast(totals.awards as bigint) as awards,
        cast(totals.awarded_value as decimal(30, 3)) as awarded_value,
        cast(coalesce(flagged.flagged_awards, 0) as bigint) as flagged_awards,
        cast(coalesce(flagged_value.flagged_value, 0) as decimal(30, 3)) as flagged_value,
        cast(coalesce(flagged.flags, 0) as bigint) as flags,
        totals.first_award_date,
        totals.last_award_date
    from totals
    left join best_name on totals.entity_key = best_name.entity_key
    left join nits_seen on totals.entity_key = nits_seen.entity_key
    left join flagged on totals.entity_key = flagged.entity_key
    left join flagged_value on totals.entity_key = flagged_value.entity_key
)

select * from final
