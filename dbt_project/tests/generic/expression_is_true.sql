{% test expression_is_true(model, expression) %}
{#- Fails on every row for which `expression` is false or null. -#}
select *
from {{ model }}
where not coalesce({{ expression }}, false)
{% endtest %}
