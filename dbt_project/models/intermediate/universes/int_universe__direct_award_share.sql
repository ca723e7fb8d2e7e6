{#- Universe of `direct_award_share`: the awards of the entities that are compared with their peers,
    with the entity's share of non-competitive awards and its peer group's Tukey fence.
    Counted awards: those of its award sources (macro evaluated_awards) with an entity key and a known
    modality (an award with no modality is not counted at all); non-competitive = not
    `is_competitive(modality)`. Compared entities: at least `direct_award_share_min_awards` counted
    awards. Peer group: the entity's order and sector (both accent- and case-folded; the sector from its
    contracts, see entity_sectors) when that group holds at least `direct_award_share_min_sector_peers`
    compared entities; else (a small group, or no known sector) the entity's order alone (unknown order
    = group 'unknown'), when it holds at least `direct_award_share_min_peers` compared entities (those of
    every sector). Upper fence = Q3 + 1.5 × (Q3 − Q1) of the group's shares (macro tukey_fences). -#}
{%- set min_awards = var('direct_award_share_min_awards') -%}
{%- set min_peers = var('direct_award_share_min_peers') -%}
{%- set min_sector_peers = var('direct_award_share_min_sector_peers') -%}
{%- set unknown_sectors = var('direct_award_share_unknown_sectors') -%}

-- Read straight from int_awards: the folded texts are computed on the table scan (cheap on DuckDB's
-- compressed vectors), then the counted awards are materialized once for their three readers.
with counted_awards as (
    select
        {{ award_columns() }},
        coalesce({{ folded_text('entity_order') }}, 'unknown') as peer_group,
        case when {{ is_competitive('modality') }} then 0 else 1 end as is_direct
    from {{ evaluated_awards('direct_award_share') }}
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

-- One sector per entity, deterministic: the most frequent known sector (folded) of its contracts, ties to the
-- first alphabetically; none when no contract carries one (null, blank or var direct_award_share_unknown_sectors).
-- SECOP II publishes the sector on contracts only (jbjy `sector`), not on processes.
entity_sectors as (
    select entity_key, entity_sector
    from (
        select
            entity_key,
            entity_sector,
            row_number() over (partition by entity_key order by count(*) desc, entity_sector) as sector_rank
        from (
            select entity_key, {{ folded_text('entity_sector') }} as entity_sector
            from {{ ref('stg_secop_ii_contratos') }}
            where entity_key is not null
        ) contract_sectors
        where entity_sector is not null
          and entity_sector <> ''
          {%- if unknown_sectors %}
          and entity_sector not in (
              {%- for sector in unknown_sectors %}{{ folded_text("'" ~ sector | replace("'", "''") ~ "'") }}{% if not loop.last %}, {% endif %}{% endfor -%}
          )
          {%- endif %}
        group by entity_key, entity_sector
    ) ranked
    where sector_rank = 1
),

entity_shares as (
    select
        counted_awards.entity_key,
        entity_peer_groups.peer_group as peer_order,
        entity_sectors.entity_sector,
        entity_peer_groups.peer_group || '|' || entity_sectors.entity_sector as sector_group,
        count(*) as counted_awards,
        sum(counted_awards.is_direct) as direct_awards,
        cast(cast(sum(counted_awards.is_direct) as decimal(18, 6)) / count(*) as decimal(18, 6)) as direct_share
    from counted_awards
    inner join entity_peer_groups on counted_awards.entity_key = entity_peer_groups.entity_key
    left join entity_sectors on counted_awards.entity_key = entity_sectors.entity_key
    group by counted_awards.entity_key, entity_peer_groups.peer_group, entity_sectors.entity_sector
    having count(*) >= {{ min_awards }}
),

sector_fences as (
    {{ tukey_fences(
        '(select * from entity_shares where sector_group is not null) sector_shares',
        'direct_share', ['upper'], min_sector_peers, population_column='peer_entities', group_by='sector_group'
    ) }}
),

order_fences as (
    {{ tukey_fences(
        'entity_shares', 'direct_share', ['upper'], min_peers, population_column='peer_entities', group_by='peer_order'
    ) }}
),

-- Each compared entity with the fence of its (order, sector) group, else of its order.
entity_fences as (
    select
        entity_shares.*,
        case when sector_fences.sector_group is not null then 'order_sector' else 'order' end as peer_basis,
        coalesce(sector_fences.sector_group, entity_shares.peer_order) as peer_group,
        case when sector_fences.sector_group is not null then entity_shares.entity_sector end as peer_sector,
        coalesce(sector_fences.peer_entities, order_fences.peer_entities) as peer_entities,
        case when sector_fences.sector_group is not null then sector_fences.q1 else order_fences.q1 end as q1,
        case when sector_fences.sector_group is not null then sector_fences.q3 else order_fences.q3 end as q3,
        case
            when sector_fences.sector_group is not null then sector_fences.upper_fence else order_fences.upper_fence
        end as upper_fence
    from entity_shares
    left join sector_fences on entity_shares.sector_group = sector_fences.sector_group
    left join order_fences on entity_shares.peer_order = order_fences.peer_order
    where sector_fences.sector_group is not null or order_fences.peer_order is not null
),

final as (
    select
        {{ award_columns('counted_awards') }},
        counted_awards.is_direct,
        entity_fences.peer_basis,
        entity_fences.peer_group,
        entity_fences.peer_order,
        entity_fences.peer_sector,
        entity_fences.entity_sector,
        entity_fences.counted_awards,
        entity_fences.direct_awards,
        entity_fences.direct_share,
        entity_fences.peer_entities,
        entity_fences.q1,
        entity_fences.q3,
        entity_fences.upper_fence
    from counted_awards
    inner join entity_fences on counted_awards.entity_key = entity_fences.entity_key
)

select * from final
