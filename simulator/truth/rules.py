"""The rules of the warehouse: their thresholds (`Rules`, the defaults of dbt_project.yml's vars), the awards each
indicator evaluates (`UNIVERSES`) and the SQL of each indicator's rule on the staged tables (`RULES`, the dbt models'
contract), with the figures of each flag."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.dbt_vars import dbt_vars, minimum_wages
from simulator.truth.sql import sql_list

RUN_DATE = "2026-01-15"  # the as-of date the ground truth holds for (delivery_noncompliance depends on it)
VARS = dbt_vars()


@dataclass(frozen=True)
class Rules:
    """Thresholds of the rules: the defaults of dbt_project.yml's vars."""

    run_date: str = RUN_DATE
    repeat_awards_min: int = VARS["repeat_awards_min"]
    costly_offers_min_offers: int = VARS["costly_offers_min_offers"]
    costly_offers_min_gap_pct: float = VARS["costly_offers_min_gap_pct"]
    pep_grace_years: int = VARS["pep_grace_years"]
    delivery_tolerance_days: int = VARS["delivery_tolerance_days"]
    fines_lookback_years: int = VARS["fines_lookback_years"]
    works_contractor_roles: tuple[str, ...] = tuple(VARS["works_contractor_roles"])
    non_competitive_modalities: tuple[str, ...] = tuple(VARS["non_competitive_modalities"])
    person_document_types: tuple[str, ...] = tuple(VARS["person_document_types"])
    short_submission_min_days: int = VARS["short_submission_min_days"]
    short_submission_min_days_by_modality: tuple[tuple[str, int], ...] = tuple(
        VARS["short_submission_min_days_by_modality"].items()
    )
    award_close_to_base_min_ratio: float = VARS["award_close_to_base_min_ratio"]
    award_close_to_base_max_ratio: float = VARS["award_close_to_base_max_ratio"]
    direct_award_share_min_awards: int = VARS["direct_award_share_min_awards"]
    direct_award_share_min_peers: int = VARS["direct_award_share_min_peers"]
    direct_award_share_min_sector_peers: int = VARS["direct_award_share_min_sector_peers"]
    direct_award_share_unknown_sectors: tuple[str, ...] = tuple(VARS["direct_award_share_unknown_sectors"])
    value_additions_max_pct: float = VARS["value_additions_max_pct"]
    value_additions_soft_pct: float = VARS["value_additions_soft_pct"]
    contract_splitting_threshold_smmlv: int = VARS["contract_splitting_threshold_smmlv"]
    contract_splitting_threshold_smmlv_by_modality: tuple[tuple[str, int], ...] = tuple(
        VARS["contract_splitting_threshold_smmlv_by_modality"].items()
    )
    smmlv_by_year: tuple[tuple[int, int], ...] = tuple(minimum_wages().items())  # (year, SMMLV) of the seed
    contract_splitting_window_days: int = VARS["contract_splitting_window_days"]
    new_supplier_max_days: int = VARS["new_supplier_max_days"]
    new_supplier_min_value: int = VARS["new_supplier_min_value"]
    bid_gap_min_population: int = VARS["bid_gap_min_population"]
    unsuccessful_bids_min_population: int = VARS["unsuccessful_bids_min_population"]
    winner_share_min_share: float = VARS["winner_share_min_share"]
    winner_share_window_days: int = VARS["winner_share_window_days"]
    winner_share_min_entity_awards: int = VARS["winner_share_min_entity_awards"]
    heterogeneous_supplier_min_awards: int = VARS["heterogeneous_supplier_min_awards"]
    heterogeneous_supplier_min_population: int = VARS["heterogeneous_supplier_min_population"]


DEFAULT_RULES = Rules()

# Whether an award's supplier (a) and a bidder (o) are one supplier: the strongest identifier both carry decides.
SAME_SUPPLIER = """
    case
        when a.sup_doc is not null and o.sup_doc is not null then a.sup_doc = o.sup_doc
        when a.sup_code is not null and o.sup_code is not null then a.sup_code = o.sup_code
        when a.sup_name is not null and o.sup_name is not null then a.sup_name = o.sup_name
        else false
    end
"""
MATCHED_BY = """
    case
        when a.sup_doc is not null and o.sup_doc is not null then 'document'
        when a.sup_code is not null and o.sup_code is not null then 'secop_code'
        when a.sup_name is not null and o.sup_name is not null then 'name'
    end
"""
# close_to_winning_bid and heavily_discounted_bid (docs/indicators/close_to_winning_bid.md): single-lot awards whose
# portfolio has valid offers from two bidders or more, the winner's lowest offer the lowest of all; the gap to the
# lowest offer of another bidder over the winner's, and the Tukey fences of the (portfolio, winning offer) pairs.
BID_GAPS = f"""
    with bids as (
        select a.award_key, a.portfolio_id, a.process_id, o.offer_id, o.supplier_key as bidder, o.offer_value,
            {SAME_SUPPLIER} as is_winner, {MATCHED_BY} as matched_by
        from awards a join valid_offers o on o.portfolio_id = a.portfolio_id
        where coalesce(a.lots, 1) <= 1
    ),
    gaps as (
        select award_key, any_value(portfolio_id) as portfolio_id, any_value(process_id) as process_id,
            count(*) as valid_offers, count(distinct bidder) as bidders,
            arg_min(matched_by, (offer_value, offer_id)) filter (where is_winner) as matched_by,
            arg_min(offer_id, (offer_value, offer_id)) filter (where is_winner) as winning_offer_id,
            min(offer_value) filter (where is_winner) as winning_offer_value,
            arg_min(offer_id, (offer_value, offer_id)) filter (where not is_winner) as runner_up_offer_id,
            min(offer_value) filter (where not is_winner) as runner_up_offer_value
        from bids group by award_key
        having count(distinct bidder) >= 2 and min(offer_value) filter (where is_winner) is not null
           and min(offer_value) filter (where not is_winner) >= min(offer_value) filter (where is_winner)
    ),
    ratios as (
        select *, round((runner_up_offer_value - winning_offer_value) / winning_offer_value, 6) as gap_ratio from gaps
    ),
    fences as (
        select count(*) as population, quantile_cont(gap_ratio, 0.25) as q1, quantile_cont(gap_ratio, 0.75) as q3
        from (select distinct portfolio_id, winning_offer_id, gap_ratio from ratios)
        having count(*) >= {{bid_gap_min_population}}
    )
    select r.*, f.population, f.q1, f.q3, round(f.q1 - 1.5 * (f.q3 - f.q1), 6) as lower_fence,
        round(f.q3 + 1.5 * (f.q3 - f.q1), 6) as upper_fence
    from ratios r cross join fences f
"""

# The awards an indicator with a narrower universe than `awards` evaluates (dbt: `int_universe__<id>`), with the
# columns its rule reads; each is staged as table `universe__<id>` before the rules run. The other indicators
# evaluate every award.
UNIVERSES = {
    "close_to_winning_bid": BID_GAPS,
    "heavily_discounted_bid": BID_GAPS,
    # excessive_unsuccessful_bids (docs/indicators/excessive_unsuccessful_bids.md): a bid is a bidder's offers (any
    # currency) in a process where some award's supplier made an offer; won when an award went to the bidder.
    "excessive_unsuccessful_bids": f"""
        with pairs as (
            select a.award_key, o.portfolio_id, o.supplier_key as bidder, {SAME_SUPPLIER} as same,
                {MATCHED_BY} as matched_by
            from offers o join awards a on a.portfolio_id = o.portfolio_id
            where o.offer_value > 0 and o.supplier_key is not null
        ),
        bids as (
            select bidder, portfolio_id, bool_or(same) as won from pairs group by bidder, portfolio_id
            qualify bool_or(bool_or(same)) over (partition by portfolio_id)
        ),
        tallies as (
            select bidder, count(*) as bids, count(*) filter (where won) as wins,
                round(count(*) filter (where won) / count(*), 6) as win_ratio
            from bids group by bidder
        ),
        frequent as (
            select * from tallies where bids >= (select quantile_cont(bids, 0.75) from tallies)
        ),
        fence as (
            select count(*) as population, quantile_cont(win_ratio, 0.25) as q1, quantile_cont(win_ratio, 0.75) as q3,
                (select quantile_cont(bids, 0.75) from tallies) as p75_bids
            from frequent having count(*) >= {{unsuccessful_bids_min_population}}
        ),
        award_bidders as (  -- the strongest match, then the lowest bidder key
            select award_key, bidder from pairs where same
            qualify row_number() over (
                partition by award_key order by list_position(['document', 'secop_code', 'name'], matched_by), bidder
            ) = 1
        )
        select a.*, f.bidder as bidder_key, f.bids, f.wins, f.win_ratio, x.p75_bids, x.population, x.q1, x.q3,
            round(x.q1 - 1.5 * (x.q3 - x.q1), 6) as lower_fence
        from awards a join award_bidders b on b.award_key = a.award_key join frequent f on f.bidder = b.bidder
        cross join fence x
    """,
    "costly_offers": """
        select a.*, count(*) as valid_offers from awards a
        join valid_offers o on o.portfolio_id = a.portfolio_id
        where coalesce(a.lots, 1) <= 1
        group by all having count(*) >= {costly_offers_min_offers}
    """,
    "delivery_noncompliance": """
        select a.*, (select count(*) from lines l where l.contract_id = a.contract_id) as plan_lines from awards a
        where exists (select 1 from lines l where l.contract_id = a.contract_id)
    """,
    "single_bidder": """
        select * from awards
        where modality not in ({non_competitive_modalities}) and coalesce(unique_bidders, responses) is not null
    """,
    "short_submission_period": """
        select *, published as published_date, offers_due as offers_due_date,
            date_diff('day', published, offers_due) as submission_days, {min_days} as minimum_days
        from awards
        where modality not in ({non_competitive_modalities}) and published is not null and offers_due is not null
    """,
    "identical_bid_prices": """
        select a.*, p.valid_offers, p.bidders from awards a join (
            select portfolio_id, count(*) as valid_offers, count(distinct supplier_key) as bidders from valid_offers
            group by portfolio_id having count(distinct supplier_key) >= 2
        ) p on p.portfolio_id = a.portfolio_id
    """,
    "award_close_to_base_price": """
        select * from awards
        where modality not in ({non_competitive_modalities}) and base_price > 0 and process_value is not null
    """,
    "direct_award_share": """
        with peer_orders as (  -- an entity's most frequent known order (folded), ties alphabetically; else unknown
            select entity_key, coalesce(entity_order, 'unknown') as peer_order from awards
            where modality is not null and entity_key is not null
            group by entity_key, peer_order
            qualify row_number() over (
                partition by entity_key order by peer_order = 'unknown', count(*) desc, peer_order) = 1
        ),
        sectors as (  -- an entity's most frequent known sector of its contracts (folded), ties alphabetically
            select entity_key, entity_sector from contracts
            where entity_key is not null and entity_sector is not null
              and entity_sector not in ({direct_award_share_unknown_sectors})
            group by entity_key, entity_sector
            qualify row_number() over (partition by entity_key order by count(*) desc, entity_sector) = 1
        ),
        shares as (
            select a.entity_key, g.peer_order, s.entity_sector, count(*) as n,
                count(*) filter (where modality in ({non_competitive_modalities})) as direct_awards,
                cast(cast(count(*) filter (where modality in ({non_competitive_modalities})) as decimal(18, 6))
                    / count(*) as decimal(18, 6)) as share
            from awards a join peer_orders g on g.entity_key = a.entity_key
            left join sectors s on s.entity_key = a.entity_key
            where a.modality is not null
            group by all having count(*) >= {direct_award_share_min_awards}
        ),
        sector_fences as (  -- (order, sector) groups large enough
            select peer_order, entity_sector, count(*) as peer_entities,
                cast(quantile_cont(share, 0.25) as decimal(18, 6)) as q1,
                cast(quantile_cont(share, 0.75) as decimal(18, 6)) as q3,
                cast(quantile_cont(share, 0.75) + 1.5 * (quantile_cont(share, 0.75) - quantile_cont(share, 0.25))
                    as decimal(18, 6)) as fence
            from shares where entity_sector is not null
            group by peer_order, entity_sector having count(*) >= {direct_award_share_min_sector_peers}
        ),
        order_fences as (  -- every compared entity of the order, whatever its sector
            select peer_order, count(*) as peer_entities,
                cast(quantile_cont(share, 0.25) as decimal(18, 6)) as q1,
                cast(quantile_cont(share, 0.75) as decimal(18, 6)) as q3,
                cast(quantile_cont(share, 0.75) + 1.5 * (quantile_cont(share, 0.75) - quantile_cont(share, 0.25))
                    as decimal(18, 6)) as fence
            from shares group by peer_order having count(*) >= {direct_award_share_min_peers}
        ),
        judged as (
            select s.*,
                case when sf.peer_order is not null then 'order_sector' else 'order' end as peer_basis,
                case when sf.peer_order is not null then s.peer_order || '|' || s.entity_sector else s.peer_order
                    end as peer_group,
                case when sf.peer_order is not null then s.entity_sector end as peer_sector,
                coalesce(sf.peer_entities, o.peer_entities) as peer_entities, coalesce(sf.q1, o.q1) as q1,
                coalesce(sf.q3, o.q3) as q3, coalesce(sf.fence, o.fence) as fence
            from shares s
            left join sector_fences sf on sf.peer_order = s.peer_order and sf.entity_sector = s.entity_sector
            left join order_fences o on o.peer_order = s.peer_order
            where sf.peer_order is not null or o.peer_order is not null
        )
        select a.*, j.share, j.n, j.direct_awards, j.peer_basis, j.peer_group, j.peer_order, j.peer_sector,
            j.entity_sector, j.peer_entities, j.q1, j.q3, j.fence
        from awards a join judged j on j.entity_key = a.entity_key
        where a.modality is not null
    """,
    "contract_splitting": """
        with wages(year, smmlv) as (values {minimum_wages}),
        classed as (  -- the wage of the award year, else of the latest earlier year in the seed
            select a.*, {splitting_smmlv} as threshold_smmlv,
                (select max(w.year) from wages w where w.year <= year(a.award_date)) as smmlv_year
            from awards a
            where a.entity_key is not null and a.supplier_key is not null and a.award_date is not null
        )
        select c.*, w.smmlv, c.threshold_smmlv * w.smmlv as threshold
        from classed c join wages w on w.year = c.smmlv_year
        where c.award_value < c.threshold_smmlv * w.smmlv
    """,
    "value_additions": """
        select a.* from awards a
        where a.process_value > 0 and (a.award_source = 'secop_i' or (
            a.award_source = 'contract' and coalesce(a.lots, 1) <= 1
            and (select count(*) from contracts c where c.portfolio_id = a.portfolio_id and c.is_live) = 1))
    """,
    "new_supplier_big_award": """
        select a.*, r.first_registered, r.registrations from awards a
        join (
            select doc, min(registered) as first_registered, count(*) as registrations from registrations
            where registered is not null group by doc
        ) r on r.doc = a.sup_doc
        where a.award_date is not null
    """,
    # Relational flags of issue 24 (docs/indicators/winner_share_of_buyer.md, heterogeneous_supplier.md).
    "winner_share_of_buyer": """
        with valued as (
            select * from awards where entity_key is not null and award_date is not null and award_value > 0
        )
        select a.*, a.award_date - ({winner_share_window_days} - 1) * interval 1 day as window_start,
            w.entity_awards, w.entity_value, w.supplier_awards, w.supplier_value,
            cast(w.supplier_value::double / w.entity_value::double as decimal(18, 6)) as share
        from valued a, lateral (
            select count(*) as entity_awards, sum(o.award_value) as entity_value,
                count(*) filter (where o.supplier_key = a.supplier_key) as supplier_awards,
                sum(o.award_value) filter (where o.supplier_key = a.supplier_key) as supplier_value
            from valued o
            where o.entity_key = a.entity_key
              and o.award_date between a.award_date - ({winner_share_window_days} - 1) * interval 1 day
                  and a.award_date
        ) w
        where a.supplier_key is not null and w.entity_awards >= {winner_share_min_entity_awards}
    """,
    "heterogeneous_supplier": """
        with coded as (
            select *, regexp_extract(upper(category_code), '^(V1\\.)?([0-9]{{2}})', 2) as segment from awards
            where supplier_key is not null
        ),
        compared as (
            select supplier_key, count(*) as supplier_awards, count(distinct segment) as segments from coded
            where segment <> '' group by supplier_key having count(*) >= {heterogeneous_supplier_min_awards}
        ),
        fence as (
            select count(*) as population, cast(quantile_cont(segments, 0.25) as decimal(18, 6)) as q1,
                cast(quantile_cont(segments, 0.75) as decimal(18, 6)) as q3,
                cast(quantile_cont(segments, 0.75) + 1.5 * (quantile_cont(segments, 0.75)
                    - quantile_cont(segments, 0.25)) as decimal(18, 6)) as fence
            from compared having count(*) >= {heterogeneous_supplier_min_population}
        )
        select c.*, s.supplier_awards, s.segments, f.population, f.q1, f.q3, f.fence
        from coded c join compared s on s.supplier_key = c.supplier_key cross join fence f
        where c.segment <> ''
    """,
}

# Each indicator's rule: one row per award it flags, `award_key` first, then the flag's `unit_key`, its
# `match_method` and, where the indicator has one, its `excess_amount`, then its key figures, named as the keys
# of the dbt flag's evidence (or, for a figure the evidence lists record by record, as
# tests/oracle_agreement.py's DERIVED reads it).
RULES = {
    "repeat_awards": """
        select a.award_key, g.unit_key, a.match_method, g.award_year, g.group_awards, g.group_value, g.award_keys
        from awards a join (
            select entity_key, supplier_key, year(award_date) as award_year,
                entity_key || '|' || supplier_key || '|' || year(award_date) as unit_key,
                count(distinct award_key) as group_awards, sum(award_value) as group_value,
                list(award_key order by award_key) as award_keys
            from awards
            where entity_key is not null and supplier_key is not null and award_date is not null
            group by all having count(distinct award_key) >= {repeat_awards_min}
        ) g on g.entity_key = a.entity_key and g.supplier_key = a.supplier_key and g.award_year = year(a.award_date)
    """,
    "costly_offers": """
        with cheapest as (
            select e.*, o.supplier_key as offer_supplier, o.offer_value, o.offer_id, o.registered as offer_date,
                o.sup_doc as offer_doc, o.sup_code as offer_code, o.sup_name as offer_name,
                case
                    when e.sup_doc is not null and o.sup_doc is not null then 'document'
                    when e.sup_code is not null and o.sup_code is not null then 'secop_code'
                    when e.sup_name is not null and o.sup_name is not null then 'name'
                end as compared_by
            from universe__costly_offers e
            join valid_offers o on o.portfolio_id = e.portfolio_id
            qualify row_number() over (partition by e.award_key order by o.offer_value, o.registered, o.offer_id) = 1
        )
        select award_key, coalesce(process_id, portfolio_id) as unit_key, compared_by as match_method,
            award_value - offer_value as excess_amount, offer_id as cheapest_offer_id,
            offer_supplier as cheapest_supplier_key, offer_value as cheapest_offer_value,
            offer_date as cheapest_offer_date, valid_offers, award_value - offer_value as gap
        from cheapest
        where case compared_by
                when 'document' then sup_doc <> offer_doc
                when 'secop_code' then sup_code <> offer_code
                when 'name' then sup_name <> offer_name
            end
          and award_value - offer_value > {costly_offers_min_gap_pct} * offer_value
    """,
    "inactive_supplier": """
        select a.award_key, a.supplier_key as unit_key, 'document' as match_method,
            count(*) as matched_registrations,
            max(r.cancelled) filter (where r.state = 'CANCELADA' and r.cancelled < a.award_date) as last_cancelled_date
        from awards a join registrations r on r.doc = a.sup_doc
        group by a.award_key, a.supplier_key
        having count(*) filter (where r.state = 'CANCELADA' and r.cancelled < a.award_date) > 0
          and count(*) filter (where (r.registered is null or r.registered <= a.award_date)
                               and (r.cancelled is null or r.cancelled >= a.award_date)) = 0
    """,
    "pep_supplier": """
        select a.award_key, a.supplier_key as unit_key, 'document' as match_method, count(*) as pep_records,
            max(pep.start_date) as latest_post_start
        from awards a join pep on pep.doc_key = a.sup_doc
        where (a.doc_type is null or a.doc_type in ({person_or_unknown_document_types}))
          and pep.start_date <= a.award_date
          and (pep.end_date is null or a.award_date <= pep.end_date + to_years({pep_grace_years}))
        group by a.award_key, a.supplier_key
    """,
    "sensitive_post_supplier": """
        select a.award_key, a.supplier_key as unit_key, 'document' as match_method, count(*) as sensitive_posts,
            max(posts.start_date) as latest_post_start
        from awards a join posts on posts.doc_key = a.sup_doc
        where (a.doc_type is null or a.doc_type in ({person_or_unknown_document_types}))
          and posts.start_date <= a.award_date
        group by a.award_key, a.supplier_key
    """,
    "supplier_cancelled_contracts": """
        select a.award_key, a.supplier_key as unit_key, a.match_method, count(*) as cancelled_count,
            min(c.cancelled_date) as first_cancelled_date, max(c.cancelled_date) as last_cancelled_date
        from awards a join cancelled c on c.supplier_key = a.supplier_key
        where c.contract_id is distinct from a.contract_id and c.cancelled_date < a.award_date
        group by a.award_key, a.supplier_key, a.match_method
    """,
    "delivery_noncompliance": """
        with known as (
            select *, not is_percentage and quantity_due is not null and quantity_received is not null as is_quantity
            from lines where not is_suspended
        ),
        tested as (
            select contract_id,
                is_quantity and coalesce(due_date < date '{run_date}' and quantity_received < quantity_due, false)
                    as is_short,
                is_quantity and coalesce(delivered_date > due_date + to_days({delivery_tolerance_days}), false)
                    as is_late,
                is_percentage and coalesce(due_date < date '{run_date}' and real_progress < expected_progress, false)
                    as is_behind
            from known
        )
        select u.award_key, u.award_key as unit_key, u.match_method, u.plan_lines, count(*) as failing_lines,
            count(*) filter (where is_short) as short_lines, count(*) filter (where is_late) as late_lines,
            count(*) filter (where is_behind) as behind_lines
        from universe__delivery_noncompliance u join tested t on t.contract_id = u.contract_id
        where is_short or is_late or is_behind
        group by u.award_key, u.match_method, u.plan_lines
    """,
    "barred_fines": """
        with standing as (
            select f.*, c.sup_doc as contract_doc, c.contract_id is not null as contract_found
            from fines f left join contracts c on c.contract_id = f.contract_id
            where not f.is_revoked
        ),
        matched as (
            select 'code' as route, sup_code as value, event_date, fine_id from standing
            union all
            select 'document', contract_doc, event_date, fine_id from standing
            union all
            select 'document', ltrim(sup_code, '0'), event_date, fine_id from standing  -- the code read as a document
            union all
            select 'name', sup_name, event_date, fine_id from standing where sup_code is null and not contract_found
        )
        select a.award_key, a.supplier_key as unit_key,
            ['secop_code', 'document', 'name'][min(case m.route when 'code' then 1 when 'document' then 2 else 3 end)]
                as match_method,
            count(distinct m.fine_id) as fines, max(m.event_date) as latest_event_date
        from awards a join matched m
          on (m.route = 'code' and m.value = a.sup_code) or (m.route = 'document' and m.value = a.sup_doc)
          or (m.route = 'name' and m.value = a.sup_name)
        where m.event_date < a.award_date and m.event_date >= a.award_date - to_years({fines_lookback_years})
        group by a.award_key, a.supplier_key
    """,
    "barred_unfinished_works": """
        select a.award_key, a.supplier_key as unit_key,
            case when bool_or(w.doc_key is not null) then 'document' else 'name' end as match_method,
            count(distinct w.work_id) as works, max(w.act_date) as latest_act_date
        from awards a join works w
          on (w.doc_key is not null and w.doc_key = a.sup_doc) or (w.doc_key is null and w.name_key = a.sup_name)
        where w.role in ({works_contractor_roles}) and w.act_date < a.award_date
        group by a.award_key, a.supplier_key
    """,
    "barred_fiscal_liability": """
        select a.award_key, a.supplier_key as unit_key,
            case when bool_or(b.doc_key is not null) then 'document' else 'name' end as match_method,
            count(*) as listings
        from awards a join bulletin b
          on (b.doc_key is not null and b.doc_key = a.sup_doc) or (b.doc_key is null and b.name_key = a.sup_name)
        group by a.award_key, a.supplier_key
    """,
    "single_bidder": """
        select award_key, award_key as unit_key, null as match_method, unique_bidders, responses
        from universe__single_bidder
        where coalesce(unique_bidders, responses) = 1
    """,
    "short_submission_period": """
        select award_key, award_key as unit_key, null as match_method, published_date, offers_due_date,
            submission_days, minimum_days
        from universe__short_submission_period
        where submission_days < minimum_days
    """,
    "identical_bid_prices": """
        select a.award_key, a.portfolio_id as unit_key, null as match_method, a.valid_offers, a.bidders,
            min(o1.offer_value) as tied_value, list_sort(list_distinct(list(o1.offer_value))) as tied_values,
            list_sort(list_distinct(list(o1.supplier_key))) as tied_suppliers
        from universe__identical_bid_prices a
        join valid_offers o1 on o1.portfolio_id = a.portfolio_id
        join valid_offers o2 on o2.portfolio_id = a.portfolio_id
        where o1.offer_value = o2.offer_value and o1.supplier_key <> o2.supplier_key
        group by a.award_key, a.portfolio_id, a.valid_offers, a.bidders
    """,
    "award_close_to_base_price": """
        select award_key, award_key as unit_key, null as match_method, process_value as process_awarded_value,
            base_price, cast(process_value / base_price as decimal(18, 6)) as ratio
        from universe__award_close_to_base_price
        where process_value >= base_price * {award_close_to_base_min_ratio}  -- exact in decimals, as the model
          and process_value <= base_price * {award_close_to_base_max_ratio}
    """,
    "direct_award_share": """
        select award_key, entity_key as unit_key, null as match_method, share as direct_share, n as counted_awards,
            direct_awards, peer_basis, peer_group, peer_order, peer_sector, entity_sector, peer_entities, q1, q3,
            fence as upper_fence
        from universe__direct_award_share
        where share > fence and modality in ({non_competitive_modalities})
    """,
    "contract_splitting": """
        select s.award_key, s.entity_key || '|' || s.supplier_key as unit_key, s.match_method,
            count(*) as window_awards, sum(t.award_value) as window_value, min(t.award_date) as window_first_date,
            max(t.award_date) as window_last_date, list(t.award_key order by t.award_key) as award_keys,
            s.smmlv_year, s.smmlv, s.threshold_smmlv, s.threshold
        from universe__contract_splitting s join universe__contract_splitting t
          on t.entity_key = s.entity_key and t.supplier_key = s.supplier_key
         and t.threshold_smmlv = s.threshold_smmlv
         and abs(date_diff('day', s.award_date, t.award_date)) <= {contract_splitting_window_days}
        group by s.award_key, s.entity_key, s.supplier_key, s.match_method, s.smmlv_year, s.smmlv, s.threshold_smmlv,
            s.threshold
        having count(*) >= 2 and sum(t.award_value) > s.threshold
    """,
    "value_additions": """
        select award_key, award_key as unit_key, null as match_method, contract_value - process_value as excess_amount,
            contract_value, process_value as process_awarded_value, contract_value - process_value as increase_amount,
            cast(100 * (contract_value - process_value) / process_value as decimal(18, 2)) as increase_pct,
            case when contract_value > (1 + {value_additions_max_pct}) * process_value then 'legal_cap' else 'soft' end
                as severity
        from universe__value_additions
        where contract_value > (1 + {value_additions_soft_pct}) * process_value
    """,
    "new_supplier_big_award": """
        select award_key, supplier_key as unit_key, 'document' as match_method,
            first_registered as first_registered_date, registrations, award_date,
            date_diff('day', first_registered, award_date) as days_registered
        from universe__new_supplier_big_award
        where award_value >= {new_supplier_min_value} and first_registered <= award_date
          and date_diff('day', first_registered, award_date) < {new_supplier_max_days}
    """,
    "close_to_winning_bid": """
        select award_key, coalesce(process_id, portfolio_id) as unit_key, matched_by as match_method,
            winning_offer_value, runner_up_offer_value, gap_ratio, population, q1, q3, lower_fence
        from universe__close_to_winning_bid where gap_ratio <= lower_fence
    """,
    "heavily_discounted_bid": """
        select award_key, coalesce(process_id, portfolio_id) as unit_key, matched_by as match_method,
            winning_offer_value, runner_up_offer_value, gap_ratio, population, q1, q3, upper_fence
        from universe__heavily_discounted_bid where gap_ratio >= upper_fence
    """,
    "excessive_unsuccessful_bids": """
        select award_key, bidder_key as unit_key, null as match_method, bids, wins, win_ratio, population, lower_fence
        from universe__excessive_unsuccessful_bids where win_ratio <= lower_fence
    """,
    "sanctioned_supplier": """
        select a.award_key, a.supplier_key as unit_key, 'document' as match_method, count(*) as sanctions,
            max(s.end_date) as latest_end_date
        from awards a join siri s on s.doc_key = a.sup_doc
        where s.years + s.months + s.days > 0 and s.effective <= a.award_date and a.award_date < s.end_date
        group by a.award_key, a.supplier_key
    """,
    "winner_share_of_buyer": """
        select award_key, entity_key || '|' || supplier_key as unit_key, match_method,
            cast(window_start as date) as window_start, award_date as window_end,
            supplier_awards as supplier_window_awards, supplier_value as supplier_window_value,
            entity_awards as entity_window_awards, entity_value as entity_window_value, share as supplier_share
        from universe__winner_share_of_buyer
        where share > {winner_share_min_share}
    """,
    "heterogeneous_supplier": """
        select award_key, supplier_key as unit_key, match_method, segment, supplier_awards, segments,
            population as population_suppliers, q1, q3, fence as upper_fence
        from universe__heterogeneous_supplier
        where segments > fence
    """,
}
# The figure of a flag that counts its irregularity units, for an indicator whose unit is finer than an award.
FINER_UNITS = {"delivery_noncompliance": "failing_lines"}


def rule_parameters(rules: Rules) -> dict[str, object]:
    """The values RULES' placeholders stand for under `rules`."""
    params = {k: getattr(rules, k) for k in rules.__dataclass_fields__}
    params["works_contractor_roles"] = sql_list(rules.works_contractor_roles)
    params["non_competitive_modalities"] = sql_list(rules.non_competitive_modalities)
    params["direct_award_share_unknown_sectors"] = sql_list(rules.direct_award_share_unknown_sectors)
    params["person_or_unknown_document_types"] = sql_list(rules.person_document_types)
    cases = " ".join(f"when '{m}' then {days}" for m, days in rules.short_submission_min_days_by_modality)
    default = rules.short_submission_min_days
    params["min_days"] = f"case modality {cases} else {default} end" if cases else str(default)
    cases = " ".join(f"when '{m}' then {n}" for m, n in rules.contract_splitting_threshold_smmlv_by_modality)
    default = rules.contract_splitting_threshold_smmlv
    params["splitting_smmlv"] = f"case a.modality {cases} else {default} end" if cases else str(default)
    params["minimum_wages"] = ", ".join(f"({year}, {smmlv})" for year, smmlv in rules.smmlv_by_year)
    return params
