{#- identical_bid_prices (OCP R028): two different suppliers offered exactly the same amount in one
    purchase process. Evaluated on `int_universe__identical_bid_prices` (awards whose portfolio has
    valid offers from at least two suppliers, with its tied prices); fires on every award of a
    portfolio with at least one tied price. The process (portfolio) is the unit. -#}

with universe as (
    select * from {{ ref('int_universe__identical_bid_prices') }}
),

flagged as (
    select
        {{ flag_row(
            'identical_bid_prices',
            unit_key='portfolio_id',
            evidence=[
                ('portfolio_id', json_string('portfolio_id')),
                ('process_id', json_string('process_id')),
                ('valid_offers', json_number('valid_offers')),
                ('bidders', json_number('bidders')),
                ('tied_value', json_number('lowest_tied_value')),
                ('tied_values', 'tied_values'),
                ('tied_suppliers', 'tied_suppliers'),
                ('tied_offer_ids', 'tied_offer_ids'),
            ],
        ) }}
    from universe
    where tied_prices >= 1
)

select * from flagged
