{#- heterogeneous_supplier (OCP R048): a supplier awarded in unusually many UNSPSC segments. Evaluated on
    `int_universe__heterogeneous_supplier` (the coded awards of suppliers with at least
    `heterogeneous_supplier_min_awards` of them, with the supplier's distinct segments and the
    population's upper Tukey fence); fires on every coded award of a supplier whose segments > fence.
    The supplier is the unit. -#}
{{ flags__heterogeneous_supplier(ref('int_universe__heterogeneous_supplier')) }}
