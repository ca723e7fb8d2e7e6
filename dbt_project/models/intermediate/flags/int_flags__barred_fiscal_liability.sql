{#- barred_fiscal_liability — "inhabilitados por responsabilidad fiscal" (docs/indicators/barred_fiscal_liability.md,
    corrected rule): the supplier of an award is listed in the Contraloría's fiscal liability bulletin
    (PACO). The trusted zone keeps only the latest snapshot (its date is the ingestion cut, which can
    be after a pinned run date), so every row is read, whatever the run date. The bulletin carries no
    dates, so there is no test against the award date: the hit means "listed at snapshot <date>", and
    the evidence says so (docs/indicators/README.md). A bulletin row is the supplier's when its document is the award's
    supplier document ('document'); rows without a document fall back to the award supplier's name
    match key ('name', low confidence). The supplier is the irregularity unit. -#}
{{ flags__barred_fiscal_liability(evaluated_awards('barred_fiscal_liability')) }}
