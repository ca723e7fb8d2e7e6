{#- winner_share_of_buyer (OCP R040): one supplier took more than var `winner_share_min_share` of an
    entity's awarded value over the previous 12 months. Evaluated on `int_universe__winner_share_of_buyer`
    (valued awards of entities with at least `winner_share_min_entity_awards` awards in the window, with
    the window's totals); an award fires when its supplier's share of the window ending on its award
    date is above the threshold: the award that takes the share over it and every later award while it
    stays over. The (entity, supplier) pair is the unit. -#}
{%- set min_share = var('winner_share_min_share') -%}

with universe as (
    select * from {{ ref('int_universe__winner_share_of_buyer') }}
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
