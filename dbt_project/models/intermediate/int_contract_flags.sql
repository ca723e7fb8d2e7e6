{#- Every indicator's flags in one relation, with a hash of each flag's content: what
    fct_contract_flags compares to know which flags are new, changed or gone. The flags of an indicator
    this build could not evaluate (int_indicator_status) are left out: they may rest on a failed, stale
    or empty source. -#}
{#- A view: read once by fct_contract_flags and once by its post-hook; writing every flag's evidence
    as a table cost more than the union and the hash. -#}
{{ config(materialized='view') }}

with flags as (
    {%- for model in indicator_models() %}
    select
        award_key, indicator_id, unit_key, entity_key, supplier_key, award_date, award_value,
        match_method, evidence, excess_amount
    from {{ ref(model) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

evaluated as (
    select * from flags
    where indicator_id in (select indicator_id from {{ ref('int_indicator_status') }} where is_evaluated)
),

hashed as (
    select
        *,
        {{ dbt.hash(dbt.concat([
            'indicator_id', "'|'", "coalesce(unit_key, '')", "'|'", "coalesce(entity_key, '')", "'|'",
            "coalesce(supplier_key, '')", "'|'", "coalesce(cast(award_date as " ~ dbt.type_string() ~ "), '')", "'|'",
            "coalesce(cast(award_value as " ~ dbt.type_string() ~ "), '')", "'|'", "coalesce(match_method, '')", "'|'",
            "coalesce(cast(excess_amount as " ~ dbt.type_string() ~ "), '')", "'|'", 'evidence',
        ])) }} as flag_hash
    from evaluated
)

select * from hashed
