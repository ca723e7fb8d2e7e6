{#- single_bidder (OCP R018): a competitive procedure that received a single bid. Evaluated on
    `int_universe__single_bidder` (competitive awards with a known bidder count); fires when the
    number of bidders (`unique_bidders`, else `responses`) is exactly 1. One award, one unit. -#}

with universe as (
    select * from {{ ref('int_universe__single_bidder') }}
),

flagged as (
    select
        {{ flag_row(
            'single_bidder',
            evidence=[
                ('process_id', json_string('process_id')),
                ('portfolio_id', json_string('portfolio_id')),
                ('modality', json_string('modality')),
                ('unique_bidders', json_number('unique_bidders')),
                ('responses', json_number('responses')),
            ],
        ) }}
    from universe
    where bidders = 1
)

select * from flagged
