{#- Universe of `short_submission_period`: the awards of competitive procedures
    (int_awards__competitive) whose process has both a publication date and an offer deadline, with the
    calendar days between the two. -#}
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
        published_date,
        offers_due_date,
        {{ dbt.datediff('published_date', 'offers_due_date', 'day') }} as submission_days,
        award_date,
        award_value
    from awards
    where published_date is not null
      and offers_due_date is not null
)

select * from final
