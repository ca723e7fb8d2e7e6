{#- inactive_supplier — "contratos con proveedores inactivos" (docs/indicators/inactive_supplier.md, corrected rule):
    the supplier's document matches chamber-of-commerce registrations (RUES, as a company NIT or as a
    person's id number: int_rues_documents), at least one of them was cancelled before the award date,
    and none of them was in force on the award date (registered by then — or with no registration date —
    and not cancelled before it). A supplier with one cancelled and one live registration (several
    chambers) does not fire. The distinct flagged supplier is the irregularity unit.
    Incremental on the awards that changed and on those of the suppliers whose registrations changed
    (macro recompute_award_units). -#}
{{ flags__inactive_supplier(evaluated_awards('inactive_supplier', changed_awards())) }}
