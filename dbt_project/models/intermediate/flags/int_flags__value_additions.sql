{#- value_additions: the contract's current value exceeds the value it was awarded at by more than var
    `value_additions_soft_pct` (default 0.2, the softer warning level); `severity` in the evidence says
    whether it also exceeds var `value_additions_max_pct` (default 0.5, the legal cap of Ley 80/1993
    art. 40 par.): 'legal_cap', else 'soft'.
    Evaluated on `int_universe__value_additions` (SECOP II single-lot, single-contract processes; SECOP I
    contracts, their value at signing plus `valor_total_de_adiciones` against the value at signing);
    fires when award_value > process_awarded_value × (1 + soft_pct). One award, one unit;
    `excess_amount` = the whole increase over the awarded value. -#}
{%- set max_pct = var('value_additions_max_pct') -%}
{%- set soft_pct = var('value_additions_soft_pct') -%}

with universe as (
    select * from {{ ref('int_universe__value_additions') }}
),

increases as (
    select
        universe.*,
        award_value - process_awarded_value as increase_amount,
        cast(100 * (award_value - process_awarded_value) / process_awarded_value as decimal(18, 2))
            as increase_pct,
        case
            when award_value > process_awarded_value * (1 + {{ max_pct }}) then 'legal_cap' else 'soft'
        end as severity
    from universe
    where award_value > process_awarded_value * (1 + {{ soft_pct }})
),

flagged as (
    select
        {{ flag_row(
            'value_additions',
            evidence=[
                ('award_source', json_string('award_source')),
                ('contract_id', json_string('coalesce(contract_id, award_key)')),
                ('process_id', json_string('process_id')),
                ('portfolio_id', json_string('portfolio_id')),
                ('contract_value', json_number('award_value')),
                ('process_awarded_value', json_number('process_awarded_value')),
                ('increase_amount', json_number('increase_amount')),
                ('increase_pct', json_number('increase_pct')),
                ('severity', json_string('severity')),
                ('soft_pct', json_number(soft_pct)),
                ('max_pct', json_number(max_pct)),
            ],
            excess_amount='increase_amount',
        ) }}
    from increases
)

select * from flagged
