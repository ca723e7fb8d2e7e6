{#- One row per award: its flags and a composite risk score (docs/indicators/README.md, after the
    Corruption Risk Index of Fazekas et al.): the weighted mean of the award's binary flags over the
    indicators that evaluated it (an award outside an indicator's universe is not counted for or
    against). Weights come from var `risk_weights` (macro risk_weights: indicator_id -> weight; missing
    ids weigh 1). The inputs stay in the row: `flag_<indicator>` is 1 (fired), 0 (evaluated, did not
    fire) or null (not evaluated: outside the indicator's universe, or the indicator could not be
    evaluated in this build, int_indicator_status), so any score can be recomputed and explained.

    Incremental: a run recomputes only the awards whose inputs changed (macro recompute_changed_awards),
    in full when the weights, the indicators or those evaluated changed. A row keeps the `run_date` of the
    run that last wrote it; a full refresh gives the same rows. -#}
{%- set indicator_ids = indicator_ids() -%}
{%- set universes = indicator_universes() -%}
{%- set weights = risk_weights() -%}

with awards as (
    select * from {{ ref('int_awards') }} where {{ in_recomputed_awards('award_key') }}
),

flags as (
    select * from {{ ref('fct_contract_flags') }} where {{ in_recomputed_awards('award_key') }}
),

{% for indicator_id, model in universes.items() -%}
universe__{{ indicator_id }} as (
    select award_key from {{ ref(model) }}  -- one row per award: no distinct needed
),

{% endfor -%}
-- 1 for each indicator this build could evaluate (its sources and needed columns were usable).
status as (
    select
        {%- for indicator_id in indicator_ids %}
        max(case when indicator_id = '{{ indicator_id }}' and is_evaluated then 1 else 0 end) as evaluated__{{ indicator_id }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('int_indicator_status') }}
),

flags_per_award as (
    select
        award_key,
        count(*) as flag_count,
        {%- for indicator_id in indicator_ids %}
        max(case when indicator_id = '{{ indicator_id }}' then 1 else 0 end) as fired__{{ indicator_id }}{{ ',' if not loop.last }}
        {%- endfor %}
    from flags
    group by award_key
),

inputs as (
    select
        awards.award_key,
        awards.process_id,
        awards.entity_key,
        awards.entity_name,
        awards.department,
        awards.municipality,
        awards.supplier_key,
        awards.supplier_name,
        awards.award_date,
        awards.award_value,
        awards.secop_url,
        coalesce(flags_per_award.flag_count, 0) as flag_count,
        {%- for indicator_id in indicator_ids %}
        case
            when status.evaluated__{{ indicator_id }} = 1
            {%- if indicator_id in universes %} and universe__{{ indicator_id }}.award_key is not null{% endif %}
                then coalesce(flags_per_award.fired__{{ indicator_id }}, 0)
        end as flag_{{ indicator_id }}{{ ',' if not loop.last }}
        {%- endfor %}
    from awards
    cross join status
    left join flags_per_award on awards.award_key = flags_per_award.award_key
    {%- for indicator_id in universes %}
    left join universe__{{ indicator_id }} on awards.award_key = universe__{{ indicator_id }}.award_key
    {%- endfor %}
),

scored as (
    select
        *,
        (
            {%- for indicator_id in indicator_ids %}
            coalesce({{ weights[indicator_id] }} * flag_{{ indicator_id }}, 0){{ ' +' if not loop.last }}
            {%- endfor %}
        ) as weighted_flags,
        (
            {%- for indicator_id in indicator_ids %}
            case when flag_{{ indicator_id }} is not null then {{ weights[indicator_id] }} else 0 end{{ ' +' if not loop.last }}
            {%- endfor %}
        ) as evaluated_weight
    from inputs
),

final as (
    select
        cast(award_key as {{ dbt.type_string() }}) as award_key,
        cast(process_id as {{ dbt.type_string() }}) as process_id,
        cast(entity_key as {{ dbt.type_string() }}) as entity_key,
        cast(entity_name as {{ dbt.type_string() }}) as entity_name,
        cast(department as {{ dbt.type_string() }}) as department,
        cast(municipality as {{ dbt.type_string() }}) as municipality,
        cast(supplier_key as {{ dbt.type_string() }}) as supplier_key,
        cast(supplier_name as {{ dbt.type_string() }}) as supplier_name,
        cast(award_date as date) as award_date,
        cast(award_value as decimal(30, 3)) as award_value,
        cast(flag_count as integer) as flag_count,
        cast(case when evaluated_weight > 0 then 1.0 * weighted_flags / evaluated_weight else 0 end as decimal(9, 6))
            as risk_score,
        cast(evaluated_weight as decimal(9, 3)) as evaluated_weight,
        {%- for indicator_id in indicator_ids %}
        cast(flag_{{ indicator_id }} as integer) as flag_{{ indicator_id }},
        {%- endfor %}
        cast(secop_url as {{ dbt.type_string() }}) as secop_url,
        {{ run_date() }} as run_date
    from scored
)

select * from final
