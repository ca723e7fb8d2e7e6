{#- heavily_discounted_bid (OCP R058): the winner offered far less than the runner-up: the gap ratio
    (runner-up − winning offer) / winning offer is at or above the upper Tukey fence of the population
    (int_bid_gaps, via int_universe__heavily_discounted_bid). The process is the unit. -#}
{{ flags__heavily_discounted_bid(ref('int_universe__heavily_discounted_bid')) }}
