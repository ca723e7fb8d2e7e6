{#- The indicator models that fct_contract_flags unions, one per line: add a model here when it lands. -#}
{% macro indicator_models() -%}
  {{ return([
    'int_flags__repeat_awards',
    'int_flags__costly_offers',
    'int_flags__inactive_supplier',
    'int_flags__pep_supplier',
    'int_flags__sensitive_post_supplier',
    'int_flags__supplier_cancelled_contracts',
    'int_flags__delivery_noncompliance',
    'int_flags__barred_fines',
    'int_flags__barred_unfinished_works',
    'int_flags__barred_fiscal_liability',
    'int_flags__sanctioned_supplier',
    'int_flags__single_bidder',
    'int_flags__short_submission_period',
    'int_flags__identical_bid_prices',
    'int_flags__award_close_to_base_price',
    'int_flags__direct_award_share',
    'int_flags__contract_splitting',
    'int_flags__value_additions',
    'int_flags__new_supplier_big_award',
  ]) }}
{%- endmacro %}

{#- The indicator ids, in indicator_models() order. -#}
{% macro indicator_ids() -%}
  {{ return(indicator_models() | map('replace', 'int_flags__', '') | list) }}
{%- endmacro %}

{#- Indicators evaluated on a narrower universe than int_awards: indicator_id -> model with one row per
    evaluated award (`award_key`). The others are evaluated on every award. -#}
{% macro indicator_universes() -%}
  {{ return({
    'costly_offers': 'int_universe__costly_offers',
    'delivery_noncompliance': 'int_universe__delivery_noncompliance',
    'single_bidder': 'int_universe__single_bidder',
    'short_submission_period': 'int_universe__short_submission_period',
    'identical_bid_prices': 'int_universe__identical_bid_prices',
    'award_close_to_base_price': 'int_universe__award_close_to_base_price',
    'direct_award_share': 'int_universe__direct_award_share',
    'contract_splitting': 'int_universe__contract_splitting',
    'value_additions': 'int_universe__value_additions',
    'new_supplier_big_award': 'int_universe__new_supplier_big_award',
  }) }}
{%- endmacro %}

{#- Indicators whose irregularity unit is finer than an award: indicator_id -> model with one row per
    flagged unit (`unit_key`, `award_key`). The others count distinct `unit_key` of their flags. -#}
{% macro indicator_units() -%}
  {{ return({
    'delivery_noncompliance': 'int_units__delivery_noncompliance',
  }) }}
{%- endmacro %}

{#- The indicators evaluated on each new contract by the near-real-time path (spec/indicators.md §11.4):
    every seed indicator but delivery_noncompliance, which needs execution history. Each has a macro
    `flags__<id>` (macros/flags/) that its batch model and fct_contract_evaluations both call. -#}
{% macro streaming_indicator_ids() -%}
  {{ return([
    'repeat_awards',
    'costly_offers',
    'inactive_supplier',
    'pep_supplier',
    'sensitive_post_supplier',
    'supplier_cancelled_contracts',
    'barred_fines',
    'barred_unfinished_works',
    'barred_fiscal_liability',
  ]) }}
{%- endmacro %}
