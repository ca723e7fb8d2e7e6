{#- Per row of `ends` (`keys` and an award_date; by default the rows of `days`), the totals of the rows
    of `days` (one row per `keys` and award_date, with its day_awards and day_value) of the same `keys`
    over the `window_days` days ending on its award_date, both ends included: `<prefix>_window_awards` and
    `<prefix>_window_value`; with `min_awards`, only the windows holding at least that many awards. A join
    of days (Redshift has no interval-ranged window frames). -#}
{% macro trailing_window_totals(days, keys, prefix, window_days, min_awards=none, ends=none) -%}
    select
        {%- for key in keys %}
        window_end.{{ key }},
        {%- endfor %}
        window_end.award_date,
        sum(window_day.day_awards) as {{ prefix }}_window_awards,
        sum(window_day.day_value) as {{ prefix }}_window_value
    from {{ ends or days }} as window_end
    inner join {{ days }} as window_day
        on {% for key in keys %}window_end.{{ key }} = window_day.{{ key }}
        and {% endfor -%}
        window_day.award_date >= {{ dbt.dateadd('day', -(window_days - 1), 'window_end.award_date') }}
        and window_day.award_date <= window_end.award_date
    group by {% for key in keys %}window_end.{{ key }}, {% endfor %}window_end.award_date
    {%- if min_awards is not none %}
    having sum(window_day.day_awards) >= {{ min_awards }}
    {%- endif %}
{%- endmacro %}
