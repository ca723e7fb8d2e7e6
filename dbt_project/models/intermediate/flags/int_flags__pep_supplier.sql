{#- pep_supplier — "contratos con proveedores PEP" (docs/indicators/pep_supplier.md, corrected rule): the
    supplier's canonical document is a politically exposed person's (SIGEP PEP list) and the award date
    falls within one of that person's posts, from its start to `pep_grace_years` years after it ended
    (no end date: still in post). Only suppliers identified as natural persons, or whose document type is
    unknown, can match: a company NIT is never compared with a person's id. Several PEP records of one
    person give one flag per award. The distinct flagged supplier is the irregularity unit. -#}
{{ flags__pep_supplier(evaluated_awards('pep_supplier')) }}
