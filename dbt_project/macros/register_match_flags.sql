{#- The flags of an indicator that looks each award's supplier up in a register (people or companies with
    an adverse record): one flag row per award with a matching record, whose evidence lists the records.
      awards               relation or CTE name with int_awards' columns
      award_conditions     SQL conditions an award meets to be looked up (keys, dates, document type)
      register             the register: a relation, or a parenthesised select
      register_conditions  SQL conditions its rows meet to count at all
      match_on             (award column, register column): the canonical key the two share; or, for a
                           register known by several keys, a list of (match_method, award column, register
                           column, extra SQL condition or none) in the rule's order: a record matches an award
                           by the first that holds (one match per pair, `match_rank` its 1-based place) and
                           needs `record_id`, the register's row id
      match_conditions     SQL conditions a matching (awards, records) pair meets: the time test
      match_columns        (SQL, name) pairs computed on each matching pair (over `awards.`, `records.`)
      aggregates           (SQL, name) pairs per award over its matches (register and match columns); with a
                           list of methods, `best_match_rank` (the award's best method) comes with them
      having               what those aggregates must satisfy for a flag (none: any match flags)
      record_fields        (key, JSON SQL) pairs of one record in `per_award.records_json`, the JSON list
                           of the matches, ordered by `record_order`; `listed_when`: which matches it lists
      match_method, evidence  the flag row's SQL (`evidence`: json_object pairs) over `awards.`
                           and `per_award.`; `match_method` defaults to 'document', or with a list of
                           methods to the name of the award's best one
    Each award's matches are aggregated before they meet the award again (docs/indicators/README.md):
    several records of one supplier give one flag. -#}
{% macro register_match_flags(
    awards, indicator_id, register, match_on, aggregates, record_fields, record_order, evidence,
    award_conditions=[], register_conditions=[], match_conditions=[], match_columns=[], having=none,
    listed_when=none, match_method=none, record_id=none
) -%}
{%- set record = json_object(record_fields) -%}
{%- set ranked = match_on[0] is not string -%}
{%- if ranked -%}
  {%- set aggregates = aggregates + [('min(match_rank)', 'best_match_rank')] -%}
  {%- if match_method is none -%}
    {%- set match_method -%}
    case per_award.best_match_rank
        {%- for method in match_on %} when {{ loop.index }} then '{{ method[0] }}'{% endfor %}
    end
    {%- endset -%}
  {%- endif -%}
{%- endif -%}

with awards as (
    select * from {{ awards }}
    {%- if award_conditions %}
    where {{ award_conditions | join('\n      and ') }}
    {%- endif %}
),

records as (
    select * from {{ register }} as register_rows
    {%- if register_conditions %}
    where {{ register_conditions | join('\n      and ') }}
    {%- endif %}
),
{%- if ranked %}

-- Each (award, record) pair once, by the first method of the rule's order that matches it.
matched_pairs as (
    select award_key, {{ record_id }}, match_method, match_rank
    from (
        select
            candidates.*,
            row_number() over (partition by award_key, {{ record_id }} order by match_rank) as pair_rank
        from (
            {%- for method, award_column, register_column, condition in match_on %}
            select awards.award_key, records.{{ record_id }}, '{{ method }}' as match_method, {{ loop.index }} as match_rank
            from awards
            inner join records on awards.{{ award_column }} = records.{{ register_column }}
            {%- if condition %}
            where {{ condition }}
            {%- endif %}
            {%- if not loop.last %}
            union all
            {%- endif %}
            {%- endfor %}
        ) candidates
    ) ranked
    where pair_rank = 1
),
{%- endif %}

matches as (
    select
        awards.award_key,
        {%- if ranked %}
        matched_pairs.match_method,
        matched_pairs.match_rank,
        {%- endif %}
        records.*
        {%- for expression, name in match_columns %},
        {{ expression }} as {{ name }}
        {%- endfor %}
    {%- if ranked %}
    from matched_pairs
    inner join awards on matched_pairs.award_key = awards.award_key
    inner join records on matched_pairs.{{ record_id }} = records.{{ record_id }}
    {%- else %}
    from awards
    inner join records
        on records.{{ match_on[1] }} = awards.{{ match_on[0] }}
    {%- endif %}
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
        {{ flag_row(
            indicator_id, evidence, unit_key='awards.supplier_key',
            match_method=match_method or "'document'", award='awards'
        ) }}
    from awards
    inner join per_award on awards.award_key = per_award.award_key
)

select * from final
{%- endmacro %}
