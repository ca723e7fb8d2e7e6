{#- How risky a party (buying entity or supplier) is, from `risk` (fct_contract_risk's columns): one row
    per `key` with `risk_score`, the mean of its awards' risk scores (the CRI over its awards), and
    `flagged_value`, the value of its awards with at least one flag (each counted once). -#}
{% macro party_risk(risk, key) -%}
    select
        {{ key }},
        cast(avg(risk_score) as decimal(9, 6)) as risk_score,
        sum(case when flag_count > 0 then award_value else 0 end) as flagged_value
    from {{ risk }}
    where {{ key }} is not null
    group by {{ key }}
{%- endmacro %}

{#- The share `part` / `whole` (values), null when `whole` is 0 or null. -#}
{% macro value_share(part, whole) -%}
    cast(
        cast({{ part }} as double precision) / nullif(cast({{ whole }} as double precision), 0)
        as decimal(9, 6)
    )
{%- endmacro %}

{#- A party's standing among its peers (the rows of the same `peer_group`, all rows when none):
    `risk_rank` by `score` descending (ties share a rank, rank()) and `peers`, the size of the group. -#}
{% macro risk_standing(score, peer_group=none) -%}
    {%- set partition = 'partition by ' ~ peer_group if peer_group else '' -%}
    cast(rank() over ({{ partition }} order by {{ score }} desc nulls last) as integer) as risk_rank,
        cast(count(*) over ({{ partition }}) as integer) as peers
{%- endmacro %}
