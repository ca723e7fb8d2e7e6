{% test matched_in(model, to, columns, condition='1 = 1') %}
{#- Fails on every row of `model` whose `columns` match no row of `to` for which `condition` holds. -#}
select {{ columns | join(', ') }}
from {{ model }} as child
where not exists (
    select 1 from {{ to }} as parent
    where ({{ condition }})
    {%- for column in columns %}
      and parent.{{ column }} = child.{{ column }}
    {%- endfor %}
)
{% endtest %}
