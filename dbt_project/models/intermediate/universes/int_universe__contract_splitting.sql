{#- Universe of `contract_splitting`: the awards small enough to be a piece of a split purchase, i.e.
    with a known entity, supplier and award date and an award value below var
    `contract_splitting_threshold`. -#}
{#- A view: a cheap filter of int_awards read by its flag model and fct_contract_risk; writing it
    as a table cost more than reading it twice. -#}
{{ config(materialized='view') }}

{%- set threshold = var('contract_splitting_threshold') -%}

with awards as (
    select * from {{ ref('int_awards') }}
),

final as (
    select
        award_key,
        entity_key,
        entity_name,
        supplier_key,
        supplier_name,
        match_method,
        award_date,
        award_value
    from awards
    where entity_key is not null
      and supplier_key is not null
      and award_date is not null
      and award_value < {{ threshold }}
)

select * from final
