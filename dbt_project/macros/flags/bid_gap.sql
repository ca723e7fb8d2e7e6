{#- The body of int_flags__close_to_winning_bid and int_flags__heavily_discounted_bid over `universe`
    (int_bid_gaps' columns): the awards whose gap ratio is at or beyond one of the population's Tukey
    fences, `fence` 'lower' (at or below) or 'upper' (at or above). The process is the unit. -#}
{% macro flags__bid_gap(indicator_id, universe, fence) -%}
{%- set fence_column = fence ~ '_fence' -%}
select
    {{ flag_row(
        indicator_id,
        unit_key='coalesce(process_id, portfolio_id)',
        match_method='matched_by',
        evidence=[
            ('process_id', json_string('process_id')),
            ('portfolio_id', json_string('portfolio_id')),
            ('winning_offer_id', json_string('winning_offer_id')),
            ('winning_offer_value', json_number('winning_offer_value')),
            ('runner_up_offer_id', json_string('runner_up_offer_id')),
            ('runner_up_supplier_key', json_string('runner_up_supplier_key')),
            ('runner_up_supplier_name', json_string('runner_up_supplier_name')),
            ('runner_up_offer_value', json_number('runner_up_offer_value')),
            ('gap_ratio', json_number('gap_ratio')),
            ('valid_offers', json_number('valid_offers')),
            ('bidders', json_number('bidders')),
            ('population', json_number('population')),
            ('q1', json_number('q1')),
            ('q3', json_number('q3')),
            (fence_column, json_number(fence_column)),
            ('quantile_method', json_string("'percentile_cont, linear interpolation'")),
            ('min_population', json_number(var('bid_gap_min_population'))),
        ],
    ) }}
from {{ universe }}
where gap_ratio {{ '<=' if fence == 'lower' else '>=' }} {{ fence_column }}
{%- endmacro %}

{#- The bodies of int_flags__close_to_winning_bid (lower fence) and int_flags__heavily_discounted_bid
    (upper fence) over `universe`: the batch models pass their universes, the live path the gaps of the
    new awards against the last batch build's fences. -#}
{% macro flags__close_to_winning_bid(universe) -%}
{{ flags__bid_gap('close_to_winning_bid', universe, 'lower') }}
{%- endmacro %}

{% macro flags__heavily_discounted_bid(universe) -%}
{{ flags__bid_gap('heavily_discounted_bid', universe, 'upper') }}
{%- endmacro %}
