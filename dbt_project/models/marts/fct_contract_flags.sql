{#- One row per (award_key, indicator_id) that fires, with its evidence (docs/indicators/README.md).

    Incremental on DuckDB and Redshift alike: a run inserts only the flags that are new or whose
    content changed (by `flag_hash`, delete+insert on the key) and its post-hook deletes the flags that
    no longer fire, so unchanged flags are not rewritten and keep the `run_date` of the run that wrote
    them. A full refresh gives the same rows; only `run_date` then becomes the refresh's date. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['award_key', 'indicator_id'],
    on_schema_change='fail',
    post_hook=[
        "delete from {{ this }} where not exists (
            select 1 from {{ ref('int_contract_flags') }} as current_flags
            where current_flags.award_key = {{ this }}.award_key
              and current_flags.indicator_id = {{ this }}.indicator_id
        )"
    ]
) }}

with flags as (
    select * from {{ ref('int_contract_flags') }}
),

indicators as (
    select * from {{ ref('indicators') }}
),

changed as (
    select flags.*
    from flags
    {%- if is_incremental_run() %}
    where not exists (
        select 1 from {{ this }} as written
        where written.award_key = flags.award_key
          and written.indicator_id = flags.indicator_id
          and written.flag_hash = flags.flag_hash
    )
    {%- endif %}
),

final as (
    select
        cast(changed.award_key as {{ dbt.type_string() }}) as award_key,
        cast(changed.indicator_id as {{ dbt.type_string() }}) as indicator_id,
        cast(indicators.indicator_group as {{ dbt.type_string() }}) as indicator_group,
        cast(changed.unit_key as {{ dbt.type_string() }}) as unit_key,
        cast(changed.entity_key as {{ dbt.type_string() }}) as entity_key,
        cast(changed.supplier_key as {{ dbt.type_string() }}) as supplier_key,
        cast(changed.award_date as date) as award_date,
        cast(changed.award_value as decimal(30, 3)) as award_value,
        cast(changed.excess_amount as decimal(30, 3)) as excess_amount,
        cast(changed.evidence as {{ long_text_type() }}) as evidence,
        cast(changed.match_method as {{ dbt.type_string() }}) as match_method,
        cast(changed.flag_hash as {{ dbt.type_string() }}) as flag_hash,
        {{ run_date() }} as run_date
    from changed
    inner join indicators on changed.indicator_id = indicators.indicator_id
)

select * from final
