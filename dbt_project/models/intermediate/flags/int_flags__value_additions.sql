{#- value_additions: the contract's current value exceeds the value its process awarded by more than
    var `value_additions_max_pct` (default 0.5, the legal cap of Ley 80/1993 art. 40 par.).
    Evaluated on `int_universe__value_additions` (single-lot, single-contract processes); fires when
    award_value > process_awarded_value × (1 + max_pct). One award, one unit; `excess_amount` = the
    whole increase over the awarded value. -#}
{%- set max_pct = var('value_additions_max_pct') -%}

with universe as (
    select * from {{ ref('int_universe__value_additions') }}
),

increases as (
    select
        universe.*,
        award_value - process_awarded_value as increase_amount,
        cast(100 * (award_value - process_awarded_value) / process_awarded_value as decimal(18, 2))
            as increase_pct
    from universe
    where award_value > process_awarded_value * (1 + {{ max_pct }})
),

flagged as (
    select
        {{ flag_row(
            'value_additions',
            evidence=[
                ('contract_id', json_string('contract_id')),
                ('process_id', json_string('process_id')),
                ('portfolio_id', json_string('portfolio_id')),
                ('contract_value', json_number('award_value')),
                ('process_awarded_value', json_number('process_awarded_value')),
                ('increase_amount', json_number('increase_amount')),
                ('increase_pct', json_number('increase_pct')),
                ('max_pct', json_number(max_pct)),
            ],
            excess_amount='increase_amount',
        ) }}
    from increases
)

select * from flagged
