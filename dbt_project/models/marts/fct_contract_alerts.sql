{#- The alerts of the near-real-time path (docs/indicators/README.md): one row per (award, streaming
    indicator) that ever fired on a newly published contract, from its first firing evaluation
    (fct_contract_evaluations). A later version that still fires raises nothing more; a version that
    starts firing another indicator raises that one. Append-only: a run reads the evaluations logged
    since the latest alert it holds (ties included) and inserts the (award, indicator) pairs it does not
    hold yet, never rebuilt (its config is in dbt_project.yml, tag `live`). `lag_seconds` = detection −
    publication. An indicator this build cannot evaluate (int_indicator_status: a source it needs failed,
    is stale or empty) raises no alert. -#}
with evaluations as (
    select * from {{ ref('fct_contract_evaluations') }}
    where is_flagged
      and indicator_id in (select indicator_id from {{ ref('int_indicator_status') }} where is_evaluated)
    {%- if is_incremental_run() %}
      and detected_at >= (
          select coalesce(max(detected_at), cast('1970-01-01' as timestamp)) from {{ this }}
      )
    {%- endif %}
),

-- The first firing of each (award, indicator) among them (deterministic: earliest publication, then detection).
first_firings as (
    select *
    from (
        select
            evaluations.*,
            row_number() over (
                partition by award_key, indicator_id
                order by published_at, detected_at
            ) as firing_rank
        from evaluations
    ) ranked
    where firing_rank = 1
),

new_alerts as (
    select first_firings.*
    from first_firings
    {%- if is_incremental_run() %}
    where {{ absent_from_this({'award_key': 'first_firings.award_key', 'indicator_id': 'first_firings.indicator_id'}) }}
    {%- endif %}
),

final as (
    select
        -- keys
        award_key,
        indicator_id,
        indicator_group,
        -- the flag
        evidence,
        match_method,
        unit_key,
        -- the award
        entity_key,
        supplier_key,
        award_date,
        award_value,
        excess_amount,
        secop_url,
        -- timing
        published_at,
        detected_at,
        cast({{ dbt.datediff('published_at', 'detected_at', 'second') }} as bigint) as lag_seconds,
        cast('Si' as {{ dbt.type_string() }}) as alert_type_code,
        run_date,
        -- the award's parties by name (added after the others: the alerts are append-only)
        entity_name,
        supplier_name
    from new_alerts
)

select * from final
