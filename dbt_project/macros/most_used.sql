{#- One row per `key` of `relation` with its most used non-null `value` (ties: the first in sort
    order): how the dimensions pick a display name among the spellings seen. -#}
{% macro most_used(relation, key, value) -%}
    select {{ key }}, {{ value }}
    from (
        select
            {{ key }},
            {{ value }},
            row_number() over (partition by {{ key }} order by count(*) desc, {{ value }}) as use_rank
        from {{ relation }}
        where {{ key }} is not null and {{ value }} is not null
        group by {{ key }}, {{ value }}
    ) ranked
    where use_rank = 1
{%- endmacro %}
