{#- A place name (a department, a municipality) as the warehouse shows it: the display value upper-cased
    and trimmed, like a name's (docs/sources.md); blank or the portal's placeholder 'No Definido' is null. -#}
{% macro place_name(expression) -%}
    nullif(nullif(upper(trim({{ expression }})), ''), 'NO DEFINIDO')
{%- endmacro %}
