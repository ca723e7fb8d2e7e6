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

flagged_value as (
    select awards.entity_key, sum(awards.award_value) as flagged_value
    from awards
    where awards.award_key in (select award_key from flags)
    group by awards.entity_key
),

parties as (
    {{ party_totals('awards', 'flags', 'entity_key', 'entity_name', [('max(entity_order)', 'entity_order')]) }}
),

final as (
    select
        cast(parties.entity_key as {{ dbt.type_string() }}) as entity_key,
        cast(parties.entity_name as {{ dbt.type_string() }}) as entity_name,
        cast(parties.entity_order as {{ dbt.type_string() }}) as entity_order,
        cast(coalesce(nits_seen.nit_spellings, 0) as integer) as nit_spellings,
        cast(nits_seen.nits_seen as {{ long_text_type() }}) as nits_seen,
        cast(parties.awards as bigint) as awards,
        cast(parties.awarded_value as decimal(30, 3)) as awarded_value,
        cast(parties.flagged_awards as bigint) as flagged_awards,
        cast(coalesce(flagged_value.flagged_value, 0) as decimal(30, 3)) as flagged_value,
        cast(parties.flags as bigint) as flags,
        parties.first_award_date,
        parties.last_award_date
    from parties
    left join nits_seen on parties.entity_key = nits_seen.entity_key
    left join flagged_value on parties.entity_key = flagged_value.entity_key
)

select * from final
