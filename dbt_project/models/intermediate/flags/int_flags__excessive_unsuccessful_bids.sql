{#- excessive_unsuccessful_bids (OCP R025): a frequent bidder (bids ≥ the 75th percentile per bidder)
    whose win ratio is at or below the lower Tukey fence of the frequent bidders
    (int_universe__excessive_unsuccessful_bids: the bids' outcomes are inferred, no bid status is
    published). Fires on every award the bidder won; the bidder is the unit. A bidder that won nothing
    has no award to carry the flag. -#}

with universe as (
    select * from {{ ref('int_universe__excessive_unsuccessful_bids') }}
),

flagged as (
    select
        {{ flag_row(
            'excessive_unsuccessful_bids',
            unit_key='bidder_key',
            evidence=[
                ('bidder_key', json_string('bidder_key')),
                ('bids', json_number('bids')),
                ('wins', json_number('wins')),
                ('win_ratio', json_number('win_ratio')),
                ('p75_bids', json_number('p75_bids')),
                ('population', json_number('population')),
                ('q1', json_number('q1')),
                ('q3', json_number('q3')),
                ('lower_fence', json_number('lower_fence')),
                ('quantile_method', json_string("'percentile_cont, linear interpolation'")),
                ('min_population', json_number(var('unsuccessful_bids_min_population'))),
            ],
        ) }}
    from universe
    where win_ratio <= lower_fence
)

select * from flagged
