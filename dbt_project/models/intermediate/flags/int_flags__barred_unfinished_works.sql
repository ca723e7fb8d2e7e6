{#- barred_unfinished_works — "inhabilitados por obras inconclusas" (docs/indicators/barred_unfinished_works.md,
    corrected rule): the supplier of an award appears, in a contractor role (var `works_contractor_roles`, compared
    accent- and case-folded), in the PACO register of unfinished public works with an act dated strictly before the
    award date. A register line is the supplier's when its party document is the award's supplier document ('document');
    lines with no party document fall back to the party name match key = the award supplier's ('name', low confidence).
    Lines without an act date cannot be placed in time and never fire. The supplier is the irregularity unit. -#}
{{ flags__barred_unfinished_works(evaluated_awards('barred_unfinished_works')) }}
