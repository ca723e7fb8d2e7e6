{#- heterogeneous_supplier (OCP R048): a supplier awarded in unusually many UNSPSC segments. Evaluated on
    `int_universe__heterogeneous_supplier` (the coded awards of suppliers with at least
    `heterogeneous_supplier_min_awards` of them, with the supplier's distinct segments and the
    population's upper Tukey fence); fires on every coded award of a supplier whose segments > fence.
    The supplier is the unit. -#}

with universe as (
    select * from {{ ref('int_universe__heterogeneous_supplier') }}
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
