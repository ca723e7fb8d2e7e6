{#- One row per (award_key, indicator_id) that fires, with its evidence (spec/indicators.md C5). -#}
with flags as (
    {% for model in indicator_models() %}
    select
        award_key, indicator_id, unit_key, entity_key, supplier_key, award_date, award_value,
        match_method, reason, evidence
    from {{ ref(model) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

indicators as (
    select * from {{ ref('indicators') }}
),

final as (
    select
        flags.award_key,
        flags.indicator_id,
        indicators.indicator_group,
        flags.unit_key,
        flags.entity_key,
        flags.supplier_key,
        flags.award_date,
        cast(flags.award_value as decimal(30, 3)) as award_value,
        cast(flags.reason as {{ long_text_type() }}) as reason,
        cast(flags.evidence as {{ long_text_type() }}) as evidence,
        flags.match_method,
        {{ run_date() }} as run_date
    from flags
    inner join indicators on flags.indicator_id = indicators.indicator_id
)

select * from final
