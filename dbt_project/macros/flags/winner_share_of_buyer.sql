{#- The body of int_flags__winner_share_of_buyer (the rule is documented there) over `universe`, a
    relation or CTE name with int_universe__winner_share_of_buyer's columns: the batch model passes that
    model, the live path the new awards' windows over their entities' current awards. -#}
{% macro flags__winner_share_of_buyer(universe) -%}
{%- set min_share = var('winner_share_min_share') -%}
with universe as (
    select * from {{ universe }}
),

flagged as (
    select
        {{ flag_row(
            'winner_share_of_buyer',
            unit_key="entity_key || '|' || supplier_key",
            match_method='match_method',
            evidence=[
                ('entity_key', json_string('entity_key')),
                ('supplier_key', json_string('supplier_key')),
                ('window_start', json_string('cast(window_start as ' ~ dbt.type_string() ~ ')')),
                ('window_end', json_string('cast(award_date as ' ~ dbt.type_string() ~ ')')),
                ('supplier_window_awards', json_number('supplier_window_awards')),
                ('supplier_window_value', json_number('supplier_window_value')),
                ('entity_window_awards', json_number('entity_window_awards')),
                ('entity_window_value', json_number('entity_window_value')),
                ('supplier_share', json_number('supplier_share')),
                ('threshold', json_number(min_share)),
                ('min_entity_awards', json_number(var('winner_share_min_entity_awards'))),
                ('window_days', json_number(var('winner_share_window_days'))),
            ],
        ) }}
    from universe
    where supplier_share > {{ min_share }}
)

select * from flagged
{%- endmacro %}
