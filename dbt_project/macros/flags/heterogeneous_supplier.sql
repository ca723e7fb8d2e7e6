{#- The body of int_flags__heterogeneous_supplier (the rule is documented there) over `universe`, a
    relation or CTE name with int_universe__heterogeneous_supplier's columns: the batch model passes that
    model, the live path the new coded awards against the last batch build's fence. -#}
{% macro flags__heterogeneous_supplier(universe) -%}
with universe as (
    select * from {{ universe }}
),

flagged as (
    select
        {{ flag_row(
            'heterogeneous_supplier',
            unit_key='supplier_key',
            match_method='match_method',
            evidence=[
                ('supplier_key', json_string('supplier_key')),
                ('category_code', json_string('category_code')),
                ('segment', json_string('segment')),
                ('supplier_awards', json_number('supplier_awards')),
                ('segments', json_number('segments')),
                ('population_suppliers', json_number('population_suppliers')),
                ('q1', json_number('q1')),
                ('q3', json_number('q3')),
                ('upper_fence', json_number('upper_fence')),
                ('min_awards', json_number(var('heterogeneous_supplier_min_awards'))),
                ('quantile_method', json_string("'percentile_cont, linear interpolation'")),
            ],
        ) }}
    from universe
    where segments > upper_fence
)

select * from flagged
{%- endmacro %}
