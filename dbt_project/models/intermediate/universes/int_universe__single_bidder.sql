{#- Universe of `single_bidder`: the awards of competitive procedures (int_awards__competitive) whose
    process reports how many suppliers took part (`unique_bidders`, else `responses`). -#}
{#- A view, as a cheap filter (int_awards__competitive.sql says why). -#}
{{ config(materialized='view') }}

select
    {{ award_columns() }},
    unique_bidders,
    responses,
    coalesce(unique_bidders, responses) as bidders
from {{ evaluated_awards('single_bidder', ref('int_awards__competitive')) }}
where coalesce(unique_bidders, responses) is not null
