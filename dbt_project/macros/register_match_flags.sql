{#- The flags of an indicator that looks each award's supplier up in a register (people or companies with
    an adverse record): one flag row per award with a matching record, whose evidence lists the records.
      awards               relation or CTE name with int_awards' columns
      award_conditions     SQL conditions an award meets to be looked up (keys, dates, document type)
      register             the register: a relation, or a parenthesised select
      register_conditions  SQL conditions its rows meet to count at all
      match_on             (award column, register column): the canonical key the two share
      match_conditions     SQL conditions a matching (awards, records) pair meets: the time test
      match_columns        (SQL, name) pairs computed on each matching pair (over `awards.`, `records.`)
      aggregates           (SQL, name) pairs per award over its matches (register and match columns)
      having               what those aggregates must satisfy for a flag (none: any match flags)
      record_fields        (key, JSON SQL) pairs of one record in `per_award.records_json`, the JSON list
                           of the matches, ordered by `record_order`; `listed_when`: which matches it lists
      match_method, reason, evidence  the flag row's SQL (`evidence`: json_object pairs) over `awards.`
                           and `per_award.`
    Each award's matches are aggregated before they meet the award again (docs/indicators/README.md):
    several records of one supplier give one flag. -#}
{% macro register_match_flags(
    awards, indicator_id, award_conditions, register, match_on, aggregates, record_fields, record_order,
    reason, evidence, register_conditions=[], match_conditions=[], match_columns=[], having=none,
    listed_when=none, match_method="'document'"
) -%}
{%- set record = json_object(record_fields) -%}

with awards as (
    select * from {{ awards }}
    where {{ award_conditions | join('\n      and ') }}
),

records as (
    select * from {{ register }} as register_rows
    {%- if register_conditions %}
    where {{ register_conditions | join('\n      and ') }}
    {%- endif %}
),

matches as (
    select
        awards.award_key,
        records.*
        {%- for expression, name in match_columns %},
        {{ expression }} as {{ name }}
        {%- endfor %}
    from awards
    inner join records
        on records.{{ match_on[1] }} = awards.{{ match_on[0] }}
    {%- if match_conditions %}
    where {{ match_conditions | join('\n      and ') }}
    {%- endif %}
),

per_award as (
    select
        award_key,
        {%- for expression, name in aggregates %}
        {{ expression }} as {{ name }},
        {%- endfor %}
        '[' || {{ dbt.listagg(
            record if listed_when is none else 'case when ' ~ listed_when ~ ' then ' ~ record ~ ' end',
            "','",
            'order by ' ~ record_order
        ) }} || ']' as records_json
    from matches
    group by award_key
    {%- if having %}
    having {{ having }}
    {%- endif %}
),

final as (
    select
        awards.award_key,
        '{{ indicator_id }}' as indicator_id,
        awards.supplier_key as unit_key,
        awards.entity_key,
        awards.supplier_key,
        awards.award_date,
        awards.award_value,
        {{ match_method }} as match_method,
        {{ reason }} as reason,
        {{ json_object(evidence) }} as evidence,
        cast(null as decimal(30, 3)) as excess_amount
    from awards
    inner join per_award on awards.award_key = per_award.award_key
)

select * from final
{%- endmacro %}
