{#- The awards of competitive procedures: int_awards whose modality is known and not in var
    `non_competitive_modalities` (macro `is_competitive`, accent- and case-folded). The universe of every
    indicator that only judges competitive procedures starts here. -#}
{#- A view: a cheap filter of int_awards that each universe filters further; writing it as a table would
    cost more than reading int_awards again. The universes that only filter it or int_awards are views
    for the same reason: each is read by its flag model and fct_contract_risk, and writing it as a table
    would cost more than reading it twice. -#}
{{ config(materialized='view') }}

select * from {{ ref('int_awards') }}
where {{ is_competitive('modality') }}
