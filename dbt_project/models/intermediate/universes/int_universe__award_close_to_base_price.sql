{#- Universe of `award_close_to_base_price`: the awards of competitive procedures
    (int_awards__competitive) whose process has a base price above zero and a known awarded value. -#}
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
        modality,
        award_date,
        award_value,
        process_awarded_value,
        base_price
    from awards
    where base_price > 0
      and process_awarded_value is not null
)

select * from final
