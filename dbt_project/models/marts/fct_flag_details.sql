{#- Every flag with what a list of flags shows (the read API's GET /flags, its downloads): the
    fct_contract_flags row and its award's names, risk score, place and SECOP link from
    fct_contract_risk, so that a page of flags reads this table alone (no join with every award).
    Stored by indicator, riskiest first (Redshift: the sort key): a page of one indicator skips the
    others' blocks by their min/max (on DuckDB half the CPU of a page of a small indicator). -#}
{{ config(sort=['indicator_id', 'risk_score']) }}
with flags as (
    select * from {{ ref('fct_contract_flags') }}
),

risk as (
    select * from {{ ref('fct_contract_risk') }}
),

final as (
    select
        flags.award_key,
        flags.indicator_id,
        flags.indicator_group,
        flags.unit_key,
        flags.entity_key,
        risk.entity_name,
        flags.supplier_key,
        risk.supplier_name,
        flags.award_date,
        flags.award_value,
        flags.excess_amount,
        flags.match_method,
        flags.evidence,
        risk.risk_score,
        risk.department,
        risk.municipality,
        risk.secop_url,
        flags.run_date,
        -- when this build started: readers that keep a copy of the table (the read API) see it change
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as built_at
    from flags
    inner join risk on flags.award_key = risk.award_key
)

select * from final
order by indicator_id, risk_score desc, award_key
