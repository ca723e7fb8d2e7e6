{#- single_bidder (OCP R018): a competitive procedure that received a single bid. Evaluated on
    `int_universe__single_bidder` (competitive awards with a known bidder count); fires when the
    number of bidders (`unique_bidders`, else `responses`) is exactly 1. One award, one unit. -#}
{%- set reason -%}
    coalesce(entity_name, entity_key, 'An unidentified entity')
        || ' awarded ' || coalesce(supplier_name, supplier_key, 'an unidentified supplier')
        || ' a contract in a competitive procedure (' || modality || ') that received a single bid'
{%- endset %}

with universe as (
    select * from {{ ref('int_universe__single_bidder') }}
),

flagged as (
    select
        {{ flag_row(
            'single_bidder',
            reason=reason,
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
