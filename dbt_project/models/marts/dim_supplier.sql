{#- One row per supplier key (canonical document, else SECOP code, else name key): how it is known,
    its most used name, the raw documents and codes seen, what it was awarded and flagged for, and its
    risk among all suppliers (docs/indicators/README.md, "Risk per entity and per supplier"). -#}
{{ config(sort=['supplier_key'], meta={'lookup_index': 'supplier_key'}) }}

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

risk as (
    {{ party_risk(ref('fct_contract_risk'), 'supplier_key') }}
),

parties as (
    {{ party_totals('awards', 'flags', 'supplier_key', 'supplier_name', [('count(distinct entity_key)', 'entities')]) }}
),

final as (
    select
        cast(parties.supplier_key as {{ dbt.type_string() }}) as supplier_key,
        cast(
            case
                when parties.supplier_key like 'SECOP:%' then 'secop_code'
                when parties.supplier_key like 'NAME:%' then 'name'
                else 'document'
            end as {{ dbt.type_string() }}
        ) as key_kind,
        cast(parties.supplier_name as {{ dbt.type_string() }}) as supplier_name,
        cast(coalesce(ids_seen.document_spellings, 0) as integer) as document_spellings,
        cast(coalesce(ids_seen.secop_codes, 0) as integer) as secop_codes,
        cast(parties.awards as bigint) as awards,
        cast(parties.entities as bigint) as entities,
        cast(parties.awarded_value as decimal(30, 3)) as awarded_value,
        cast(parties.flagged_awards as bigint) as flagged_awards,
        cast(parties.indicators_fired as integer) as indicators_fired,
        parties.first_award_date,
        parties.last_award_date,
        cast(coalesce(risk.flagged_value, 0) as decimal(30, 3)) as flagged_value,
        risk.risk_score,
        {{ value_share('coalesce(risk.flagged_value, 0)', 'parties.awarded_value') }} as flagged_value_share,
        {{ risk_standing('risk.risk_score') }}
    from parties
    left join ids_seen on parties.supplier_key = ids_seen.supplier_key
    left join risk on parties.supplier_key = risk.supplier_key
)

select * from final
