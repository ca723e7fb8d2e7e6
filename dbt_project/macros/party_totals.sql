{#- One row per party (buying entity or supplier) `key` of `awards` (int_awards' columns), keyless awards
    left out: the party's most used `name`, its awards (how many, their value, the first and last award
    date, and `aggregates`, further (SQL, name) pairs over them) and its flags in `flags`
    (fct_contract_flags' columns: the flagged awards, the flags, the indicators that fired; 0 for none). -#}
{% macro party_totals(awards, flags, key, name, aggregates=[]) -%}
    select
        totals.*,
        best_name.{{ name }},
        coalesce(flagged.flagged_awards, 0) as flagged_awards,
        coalesce(flagged.flags, 0) as flags,
        coalesce(flagged.indicators_fired, 0) as indicators_fired
    from (
        select
            {{ key }},
            {%- for expression, alias in aggregates %}
            {{ expression }} as {{ alias }},
            {%- endfor %}
            count(*) as awards,
            sum(award_value) as awarded_value,
            min(award_date) as first_award_date,
            max(award_date) as last_award_date
        from {{ awards }}
        where {{ key }} is not null
        group by {{ key }}
    ) as totals
    left join (
        {{ most_used(awards, key, name) }}
    ) as best_name on totals.{{ key }} = best_name.{{ key }}
    left join (
        select
            {{ key }},
            count(distinct award_key) as flagged_awards,
            count(*) as flags,
            count(distinct indicator_id) as indicators_fired
        from {{ flags }}
        where {{ key }} is not null
        group by {{ key }}
    ) as flagged on totals.{{ key }} = flagged.{{ key }}
{%- endmacro %}
