{#- direct_award_share: an entity whose share of non-competitive awards lies above the upper Tukey
    fence of its peers (entities of the same order and sector; of the same order when that group is too
    small: `peer_basis` says which). Evaluated on `int_universe__direct_award_share`
    (the counted awards of the compared entities, with each entity's share and its peer group's
    fence); fires on every non-competitive award of an entity whose share > fence. The entity is the
    unit. -#}

with universe as (
    select * from {{ ref('int_universe__direct_award_share') }}
),

flagged as (
    select
        {{ flag_row(
            'direct_award_share',
            unit_key='entity_key',
            evidence=[
                ('entity_key', json_string('entity_key')),
                ('modality', json_string('modality')),
                ('direct_share', json_number('direct_share')),
                ('counted_awards', json_number('counted_awards')),
                ('direct_awards', json_number('direct_awards')),
                ('peer_basis', json_string('peer_basis')),
                ('peer_group', json_string('peer_group')),
                ('peer_order', json_string('peer_order')),
                ('peer_sector', json_string('peer_sector')),
                ('entity_sector', json_string('entity_sector')),
                ('peer_entities', json_number('peer_entities')),
                ('q1', json_number('q1')),
                ('q3', json_number('q3')),
                ('upper_fence', json_number('upper_fence')),
                ('quantile_method', json_string("'percentile_cont, linear interpolation'")),
            ],
        ) }}
    from universe
    where is_direct = 1
      and direct_share > upper_fence
)

select * from flagged
