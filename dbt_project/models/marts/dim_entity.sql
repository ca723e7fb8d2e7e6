{#- One row per buying entity (canonical NIT): its most used name, department and municipality, the raw
    NIT spellings seen, what it awarded and how much of it was flagged, and its risk among the entities of
    its order (docs/indicators/README.md, "Risk per entity and per supplier"). -#}
{{ config(sort=['entity_key'], meta={'lookup_index': 'entity_key'}) }}

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

-- The entity's most used department, then its most used municipality in that department (in any of
-- its awards when none names a department).
department as (
    {{ most_used('awards', 'entity_key', 'department') }}
),

awards_in_department as (
    select awards.entity_key, awards.municipality
    from awards
    left join department on awards.entity_key = department.entity_key
    where department.department is null or awards.department = department.department
),

municipality as (
    {{ most_used('awards_in_department', 'entity_key', 'municipality') }}
),

risk as (
    {{ party_risk(ref('fct_contract_risk'), 'entity_key') }}
),

parties as (
    {{ party_totals('awards', 'flags', 'entity_key', 'entity_name', [('max(entity_order)', 'entity_order')]) }}
),

final as (
    select
        cast(parties.entity_key as {{ dbt.type_string() }}) as entity_key,
        cast(parties.entity_name as {{ dbt.type_string() }}) as entity_name,
        cast(parties.entity_order as {{ dbt.type_string() }}) as entity_order,
        cast(department.department as {{ dbt.type_string() }}) as department,
        cast(municipality.municipality as {{ dbt.type_string() }}) as municipality,
        cast(coalesce(nits_seen.nit_spellings, 0) as integer) as nit_spellings,
        cast(nits_seen.nits_seen as {{ long_text_type() }}) as nits_seen,
        cast(parties.awards as bigint) as awards,
        cast(parties.awarded_value as decimal(30, 3)) as awarded_value,
        cast(parties.flagged_awards as bigint) as flagged_awards,
        cast(coalesce(risk.flagged_value, 0) as decimal(30, 3)) as flagged_value,
        cast(parties.flags as bigint) as flags,
        cast(parties.indicators_fired as integer) as indicators_fired,
        parties.first_award_date,
        parties.last_award_date,
        risk.risk_score,
        {{ value_share('coalesce(risk.flagged_value, 0)', 'parties.awarded_value') }} as flagged_value_share,
        {{ risk_standing('risk.risk_score', 'parties.entity_order') }}
    from parties
    left join nits_seen on parties.entity_key = nits_seen.entity_key
    left join department on parties.entity_key = department.entity_key
    left join municipality on parties.entity_key = municipality.entity_key
    left join risk on parties.entity_key = risk.entity_key
)

select * from final
