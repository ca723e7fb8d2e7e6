{#- The awards that heavily_discounted_bid evaluates: those of int_bid_gaps (the gap between the winning offer and the
    runner-up, and the population's fences; documented there), a view of that shared model. -#}
{{ config(materialized='view') }}

select * from {{ ref('int_bid_gaps') }}
