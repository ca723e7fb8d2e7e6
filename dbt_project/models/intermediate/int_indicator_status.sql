{#- One row per indicator: whether it can be evaluated in this build, and if not, why. Not evaluated
    when the orchestrator reports a problem with a source column it needs (macro
    orchestrator_not_evaluated: a failed or stale pull, a column no longer published or mostly
    unusable), or when a source it needs holds no row at all (stg_trusted_sources). Such an indicator's
    flags are left out and its results are null in fct_contract_risk and fct_indicator_summary: never a
    silent zero. The reasons are records, not sentences: `not_evaluated_reason` is a JSON list of
    objects, each with its `kind` and fields (texts/not_evaluated.yml renders them, es or en). -#}
{%- set reported = orchestrator_not_evaluated() -%}
{%- set needs = indicator_sources() -%}
{%- set text = dbt.type_string() -%}
{%- set json_text = long_text_type() -%}

with indicators as (
    select indicator_id from {{ ref('indicators') }}
),

sources as (
    select * from {{ ref('stg_trusted_sources') }}
),

reported as (
    {%- for indicator_id, reasons in reported.items() %}
    {%- for reason in reasons %}
    select cast('{{ indicator_id }}' as {{ text }}) as indicator_id,
        cast({{ text_literal(tojson(reason, sort_keys=true)) }} as {{ json_text }}) as reason
    union all
    {%- endfor %}
    {%- endfor %}
    select cast(null as {{ text }}) as indicator_id, cast(null as {{ json_text }}) as reason where 1 = 0
),

needed_sources as (
    {%- for indicator_id, source_names in needs.items() %}
    {%- for source_name in source_names %}
    select cast('{{ indicator_id }}' as {{ text }}) as indicator_id, cast('{{ source_name }}' as {{ text }}) as source_name
    union all
    {%- endfor %}
    {%- endfor %}
    select cast(null as {{ text }}) as indicator_id, cast(null as {{ text }}) as source_name where 1 = 0
),

empty_sources as (
    select
        needed_sources.indicator_id,
        cast({{ json_object([
            ('kind', "'\"source_empty\"'"),
            ('source', json_string('needed_sources.source_name')),
        ]) }} as {{ json_text }}) as reason
    from needed_sources
    inner join sources on needed_sources.source_name = sources.source_name
    where not sources.has_rows
),

reasons as (
    select * from reported
    union all
    select * from empty_sources
),

final as (
    select
        indicators.indicator_id,
        count(reasons.reason) = 0 as is_evaluated,
        cast(case when count(reasons.reason) > 0
            then '[' || {{ dbt.listagg('reasons.reason', "','", 'order by reasons.reason') }} || ']'
        end as {{ json_text }}) as not_evaluated_reason
    from indicators
    left join reasons on indicators.indicator_id = reasons.indicator_id
    group by indicators.indicator_id
)

select * from final
