{#- award_close_to_base_price: a competitive procedure awarded at, or just under, its base price
    (the official budget). Evaluated on `int_universe__award_close_to_base_price`; fires when
    `award_close_to_base_min_ratio` <= awarded value / base price <= `award_close_to_base_max_ratio`
    (compared as awarded value against base price × ratio, exact in decimals). One award, one unit. -#}
{%- set min_ratio = var('award_close_to_base_min_ratio') -%}
{%- set max_ratio = var('award_close_to_base_max_ratio') -%}

with universe as (
    select * from {{ ref('int_universe__award_close_to_base_price') }}
),

flagged as (
    select
        {{ flag_row(
            'award_close_to_base_price',
            evidence=[
                ('process_id', json_string('process_id')),
                ('modality', json_string('modality')),
                ('process_awarded_value', json_number('process_awarded_value')),
                ('base_price', json_number('base_price')),
                ('ratio', json_number('cast(process_awarded_value / base_price as decimal(18, 6))')),
                ('min_ratio', json_number(min_ratio)),
                ('max_ratio', json_number(max_ratio)),
            ],
        ) }}
    from universe
    where process_awarded_value >= base_price * {{ min_ratio }}
      and process_awarded_value <= base_price * {{ max_ratio }}
)

select * from flagged
