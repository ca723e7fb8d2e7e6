{#- close_to_winning_bid (OCP R024): the runner-up offered barely more than the winner: the gap ratio
    (runner-up − winning offer) / winning offer is at or below the lower Tukey fence of the population
    (int_bid_gaps, via int_universe__close_to_winning_bid). The process is the unit. -#}
{{ flags__close_to_winning_bid(ref('int_universe__close_to_winning_bid')) }}
