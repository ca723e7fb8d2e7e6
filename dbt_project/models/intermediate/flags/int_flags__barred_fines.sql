{#- barred_fines — "inhabilitados por multa" (docs/indicators/barred_fines.md, corrected rule): the supplier of an
    award already had a fine or sanction registered in SECOP II (it5q-hg94) in the
    `fines_lookback_years` years before the award date (event date strictly before it). A fine is the
    supplier's when, in this order:
      1. its SECOP platform supplier code is the award's supplier code ('secop_code');
      2. the supplier document of the sanctioned contract is the award's supplier document ('document');
      3. only for fines with neither a supplier code nor a known contract: its supplier name match key is
         the award supplier's ('name', low confidence).
    Revoked fines ('Revocada') are annulled acts and are left out. Every award of a barred supplier is
    flagged; the supplier is the irregularity unit. -#}
{{ flags__barred_fines(evaluated_awards('barred_fines')) }}
