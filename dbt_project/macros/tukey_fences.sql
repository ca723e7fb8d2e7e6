{#- The Tukey fences of `value` over the rows of `relation` (a relation, CTE or aliased subquery), per
    `group_by` column when given, else over all of them: one row with the group, `population` (the
    number of rows, named `population_column`), q1, q3 and the fences asked for in `fences` ('lower':
    Q1 − 1.5·IQR as lower_fence, 'upper': Q3 + 1.5·IQR as upper_fence), all decimal(18, 6); no row
    for a population smaller than `min_population`. Q1 and Q3 are `percentile_cont` (linear
    interpolation between the closest ranks), the same estimator and syntax on DuckDB (quantile_cont)
    and Redshift; the fences are computed from the unrounded quartiles. -#}
{% macro tukey_fences(relation, value, fences, min_population, population_column='population', group_by=none) -%}
    {%- for fence in fences if fence not in ('lower', 'upper') -%}
        {{ exceptions.raise_compiler_error("tukey_fences: unknown fence '" ~ fence ~ "' (lower, upper)") }}
    {%- endfor %}
    select
        {% if group_by %}{{ group_by }},{% endif %}
        {{ population_column }},
        cast(q1 as decimal(18, 6)) as q1,
        cast(q3 as decimal(18, 6)) as q3
        {%- if 'lower' in fences %},
        cast(q1 - 1.5 * (q3 - q1) as decimal(18, 6)) as lower_fence
        {%- endif %}
        {%- if 'upper' in fences %},
        cast(q3 + 1.5 * (q3 - q1) as decimal(18, 6)) as upper_fence
        {%- endif %}
    from (
        select
            {% if group_by %}{{ group_by }},{% endif %}
            count(*) as {{ population_column }},
            percentile_cont(0.25) within group (order by {{ value }}) as q1,
            percentile_cont(0.75) within group (order by {{ value }}) as q3
        from {{ relation }}
        {% if group_by %}group by {{ group_by }}{% endif %}
        having count(*) >= {{ min_population }}
    ) quartiles
{%- endmacro %}
