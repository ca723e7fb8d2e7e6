{#- True for a row whose key the model's own table ({{ this }}) does not hold yet: `key` maps each key
    column of {{ this }} to the expression it is compared with. The anti-join of append-only models. -#}
{% macro absent_from_this(key) -%}
    not exists (
        select 1 from {{ this }} as existing
        where {% for column, expression in key.items() -%}
            {%- if not loop.first %}
          and {% endif -%}
            existing.{{ column }} = {{ expression }}
        {%- endfor %}
    )
{%- endmacro %}
