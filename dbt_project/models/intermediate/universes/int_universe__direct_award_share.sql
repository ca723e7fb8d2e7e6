{#- Universe of `direct_award_share`: the awards of the entities that are compared with their peers,
    with the entity's share of non-competitive awards and its peer group's Tukey fence.
    Counted awards: an entity key and a known modality (an award with no modality is not counted at
    all); non-competitive = not `is_competitive(modality)`. Compared entities: at least
    `direct_award_share_min_awards` counted awards, in a peer group (the entity's order, accent- and
    case-folded; unknown order = group 'unknown') of at least `direct_award_share_min_peers` such
    entities. Upper fence = Q3 + 1.5 × (Q3 − Q1) (macro tukey_fences). -#}
{%- set min_awards = var('direct_award_share_min_awards') -%}
{%- set min_peers = var('direct_award_share_min_peers') -%}

-- Read straight from int_awards: the folded texts are computed on the table scan (cheap on DuckDB's
-- compressed vectors), then the counted awards are materialized once for their three readers.
with counted_awards as (
    select
        {{ award_columns() }},
        coalesce({{ folded_text('entity_order') }}, 'unknown') as peer_group,
        case when {{ is_competitive('modality') }} then 0 else 1 end as is_direct
    from {{ ref('int_awards') }}
    where entity_key is not null
      and modality is not null
),

-- One peer group per entity, deterministic: its most frequent known order, ties to the first alphabetically.
entity_peer_groups as (
    select entity_key, peer_group
    from (
        select
            entity_key,
            peer_group,
            row_number() over (
                partition by entity_key
                order by case when peer_group = 'unknown' then 1 else 0 end, count(*) desc, peer_group
            ) as group_rank
        from counted_awards
        group by entity_key, peer_group
    ) ranked
    where group_rank = 1
),

entity_shares as (
    select
        counted_awards.entity_key,
        entity_peer_groups.peer_group,
        count(*) as counted_awards,
        sum(counted_awards.is_direct) as direct_awards,
        cast(cast(sum(counted_awards.is_direct) as decimal(18, 6)) / count(*) as decimal(18, 6)) as direct_share
    from counted_awards
    inner join entity_peer_groups on counted_awards.entity_key = entity_peer_groups.entity_key
    group by counted_awards.entity_key, entity_peer_groups.peer_group
    having count(*) >= {{ min_awards }}
),

peer_fences as (
    {{ tukey_fences(
        'entity_shares', 'direct_share', ['upper'], min_peers, population_column='peer_entities', group_by='peer_group'
    ) }}
),

final as (
    select
        {{ award_columns('counted_awards') }},
        counted_awards.is_direct,
        entity_shares.peer_group,
        entity_shares.counted_awards,
        entity_shares.direct_awards,
        entity_shares.direct_share,
        peer_fences.peer_entities,
        peer_fences.q1,
        peer_fences.q3,
        peer_fences.upper_fence
    from counted_awards
    inner join entity_shares on counted_awards.entity_key = entity_shares.entity_key
    inner join peer_fences on entity_shares.peer_group = peer_fences.peer_group
)

select * from final
