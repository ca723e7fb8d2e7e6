{#- The awards that heavily_discounted_bid evaluates: those of int_bid_gaps (the gap between the winning offer and the
    runner-up; documented there) with the population's fences (int_bid_gap_fences), a view. -#}
{{ config(materialized='view') }}

{{ bid_gaps_with_fences() }}
