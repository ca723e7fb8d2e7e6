{#- Universe of `single_bidder`: the awards of competitive procedures (int_awards__competitive) whose
    process reports how many suppliers took part (`unique_bidders`, else `responses`). -#}
{#- A view: a cheap filter of int_awards__competitive read by its flag model and fct_contract_risk;
    writing it as a table cost more than reading it twice. -#}
{{ config(materialized='view') }}

with awards as (
    select * from {{ ref('int_awards__competitive') }}
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
    where coalesce(unique_bidders, responses) is not null
)

select * from final
