{#- The indicator catalogue (var `indicators`, dbt_project.yml) as a table, one row per indicator. -#}
{%- set columns = [
    ('indicator_id', 'varchar(64)'),
    ('indicator_group', 'varchar(64)'),
    ('indicator_name', 'varchar(200)'),
    ('unit', 'varchar(400)'),
    ('nombre_indicador', 'varchar(100)'),
    ('nombre_grupo_indicador', 'varchar(100)'),
] -%}
{%- for indicator_id, indicator in var('indicators').items() %}
{%- set values = {
    'indicator_id': indicator_id,
    'indicator_group': indicator.group,
    'indicator_name': indicator.name,
    'unit': indicator.unit,
    'nombre_indicador': indicator.nombre_indicador,
    'nombre_grupo_indicador': indicator.nombre_grupo_indicador,
} %}
select
    {%- for column, data_type in columns %}
    cast({{ 'null' if values[column] is none else text_literal(values[column]) }} as {{ data_type }}) as {{ column }}
    {{- ',' if not loop.last }}
    {%- endfor %}
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
