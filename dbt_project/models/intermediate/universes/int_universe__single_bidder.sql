{#- Universe of `single_bidder`: the awards of competitive procedures (macro `is_competitive`: the
    modality is known and not in var `non_competitive_modalities`) whose process reports how many
    suppliers took part (`unique_bidders`, else `responses`). -#}
{#- A view: a cheap filter of int_awards read by its flag model and fct_contract_risk; writing it
    as a table cost more than reading it twice. -#}
{{ config(materialized='view') }}

with awards as (
    select * from {{ ref('int_awards') }}
),

final as (
    select
        award_key,
        process_id,
        portfolio_id,
        entity_key,
        entity_name,
        supplier_key,
        supplier_name,
        modality,
        award_date,
        award_value,
        unique_bidders,
        responses,
        coalesce(unique_bidders, responses) as bidders
    from awards
    where {{ is_competitive('modality') }}
      and coalesce(unique_bidders, responses) is not null
)

select * from final
