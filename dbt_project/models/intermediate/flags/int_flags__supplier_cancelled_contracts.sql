{#- supplier_cancelled_contracts — "contratistas con contratos cancelados"
    (docs/indicators/supplier_cancelled_contracts.md, corrected rule): the award's supplier (its supplier key: canonical
    document, else SECOP supplier code, else name match key) is the supplier of other SECOP II contracts cancelled
    before the award date, within `cancelled_lookback_years` years of it (null: no limit). The award's own contract
    never counts. Several cancelled contracts give one flag per award. The distinct flagged supplier is the irregularity
    unit. -#}
{{ flags__supplier_cancelled_contracts(evaluated_awards('supplier_cancelled_contracts')) }}
