{#- sensitive_post_supplier — "contratos con proveedores con puestos sensibles"
    (docs/indicators/sensitive_post_supplier.md, corrected rule): the supplier's canonical document is that of a public
    servant in a post SIGEP classes as sensitive to corruption, who took the post on or before the award date. The list
    holds only servants active at its snapshot (no end date), so the evidence says "active at snapshot". Only suppliers
    identified as natural persons, or whose document type is unknown, can match. Several posts of one person give one
    flag per award. The distinct flagged supplier is the irregularity unit. -#}
{{ flags__sensitive_post_supplier(evaluated_awards('sensitive_post_supplier')) }}
