{#- The body of int_flags__supplier_cancelled_contracts (the rule is documented there) over `awards`, a relation or
    CTE name with int_awards' columns: the batch model passes int_awards, the live path the new contracts. -#}
{% macro flags__supplier_cancelled_contracts(awards) -%}
{%- set lookback_years = var('cancelled_lookback_years') -%}
{%- set text = dbt.type_string() -%}

with awards as (
    select * from {{ awards }}
    where supplier_key is not null
      and award_date is not null
),

-- One row per cancelled contract (the trusted key is id_contrato).
cancelled_contracts as (
    select * from {{ ref('stg_secop_ii_contratos_cancelados') }}
    where supplier_key is not null
      and cancelled_date is not null
),

-- Every earlier cancelled contract of the same supplier.
matches as (
    select
        awards.award_key,
        cancelled_contracts.contract_id,
        cancelled_contracts.cancelled_date
    from awards
    inner join cancelled_contracts
        on cancelled_contracts.supplier_key = awards.supplier_key
    where cancelled_contracts.contract_id <> awards.award_key
      and cancelled_contracts.cancelled_date < awards.award_date
    {%- if lookback_years is not none %}
      and cancelled_contracts.cancelled_date >= {{ dbt.dateadd('year', -lookback_years, 'awards.award_date') }}
    {%- endif %}
),

-- One row per award (C3: aggregate the matches before joining them back to the award).
per_award as (
    select
        award_key,
        count(*) as cancelled_count,
        min(cancelled_date) as first_cancelled_date,
        max(cancelled_date) as last_cancelled_date,
        '[' || {{ dbt.listagg(
            json_object([
                ('contract_id', json_string('contract_id')),
                ('cancelled_date', json_string('cast(cancelled_date as ' ~ text ~ ')')),
            ]),
            "','",
            "order by cancelled_date, contract_id"
        ) }} || ']' as cancelled_contracts_json
    from matches
    group by award_key
),

final as (
    select
        awards.award_key,
        'supplier_cancelled_contracts' as indicator_id,
        awards.supplier_key as unit_key,
        awards.entity_key,
        awards.supplier_key,
        awards.award_date,
        awards.award_value,
        awards.match_method,
        {{ award_sentence('awards') }}
            || ', a supplier with ' || cast(per_award.cancelled_count as {{ text }})
            || ' SECOP II contract(s) cancelled before it (latest on '
            || cast(per_award.last_cancelled_date as {{ text }}) || ')' as reason,
        {{ json_object([
            ('supplier_key', json_string('awards.supplier_key')),
            ('award_date', json_string('cast(awards.award_date as ' ~ text ~ ')')),
            ('lookback_years', json_number(lookback_years if lookback_years is not none else 'null')),
            ('cancelled_count', json_number('per_award.cancelled_count')),
            ('first_cancelled_date', json_string('cast(per_award.first_cancelled_date as ' ~ text ~ ')')),
            ('last_cancelled_date', json_string('cast(per_award.last_cancelled_date as ' ~ text ~ ')')),
            ('cancelled_contracts', 'per_award.cancelled_contracts_json'),
        ]) }} as evidence,
        cast(null as decimal(30, 3)) as excess_amount
    from awards
    inner join per_award on awards.award_key = per_award.award_key
)

select * from final
{%- endmacro %}
