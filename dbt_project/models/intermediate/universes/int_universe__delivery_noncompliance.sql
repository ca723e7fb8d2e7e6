{#- Universe of delivery_noncompliance (docs/indicators/delivery_noncompliance.md): the awards whose SECOP II contract
    has an execution plan, i.e. at least one plan line (mfmm-jqmq `identificadorcontrato` = jbjy-vk9h `id_contrato`).
    Awards without a contract (`PROC:` keys) have no plan and are not evaluated. -#}
with awards as (
    select * from {{ evaluated_awards('delivery_noncompliance') }}
    where contract_id is not null
),

plan_lines as (
    select * from {{ ref('stg_secop_ii_ejecucion') }}
),

plans as (
    select
        contract_id,
        count(*) as plan_lines
    from plan_lines
    where contract_id is not null
    group by contract_id
),

final as (
    select
        {{ award_columns('awards') }},
        plans.plan_lines
    from awards
    inner join plans on awards.contract_id = plans.contract_id
)

select * from final
