"""The rules of the warehouse: their thresholds (`Rules`, the defaults of dbt_project.yml's vars) and the
SQL of each indicator's rule on the staged tables (`RULES`, the dbt models' contract)."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.dbt_vars import dbt_vars
from simulator.truth.sql import sql_list

RUN_DATE = "2026-01-15"  # the as-of date the ground truth holds for (delivery_noncompliance depends on it)
VARS = dbt_vars()


@dataclass(frozen=True)
class Rules:
    """Thresholds of the rules: the defaults of dbt_project.yml's vars."""

    run_date: str = RUN_DATE
    repeat_awards_min: int = VARS["repeat_awards_min"]
    costly_offers_min_offers: int = VARS["costly_offers_min_offers"]
    pep_grace_years: int = VARS["pep_grace_years"]
    delivery_tolerance_days: int = VARS["delivery_tolerance_days"]
    fines_lookback_years: int = VARS["fines_lookback_years"]
    works_contractor_roles: tuple[str, ...] = tuple(VARS["works_contractor_roles"])
    non_competitive_modalities: tuple[str, ...] = tuple(VARS["non_competitive_modalities"])
    short_submission_min_days: int = VARS["short_submission_min_days"]
    short_submission_min_days_by_modality: tuple[tuple[str, int], ...] = tuple(
        VARS["short_submission_min_days_by_modality"].items()
    )
    award_close_to_base_min_ratio: float = VARS["award_close_to_base_min_ratio"]
    award_close_to_base_max_ratio: float = VARS["award_close_to_base_max_ratio"]
    direct_award_share_min_awards: int = VARS["direct_award_share_min_awards"]
    direct_award_share_min_peers: int = VARS["direct_award_share_min_peers"]
    value_additions_max_pct: float = VARS["value_additions_max_pct"]
    contract_splitting_threshold: int = VARS["contract_splitting_threshold"]
    contract_splitting_window_days: int = VARS["contract_splitting_window_days"]
    new_supplier_max_days: int = VARS["new_supplier_max_days"]
    new_supplier_min_value: int = VARS["new_supplier_min_value"]


DEFAULT_RULES = Rules()
# The document types (folded: simulator.truth.load.folded_text) of a natural person or unknown: only
# suppliers with one of them, or none, are compared with the person lists (docs/indicators/pep_supplier.md).
PERSON_OR_UNKNOWN_DOCUMENT_TYPES = (
    "no definido", "cedula de ciudadania", "cedula de extranjeria", "pasaporte", "tarjeta de identidad",
    "permiso especial de permanencia", "permiso por proteccion temporal",
)  # fmt: skip

RULES = {
    "repeat_awards": """
        select a.award_key from awards a join (
            select entity_key, supplier_key, year(award_date) as award_year from awards
            where entity_key is not null and supplier_key is not null and award_date is not null
            group by all having count(distinct award_key) >= {repeat_awards_min}
        ) g on g.entity_key = a.entity_key and g.supplier_key = a.supplier_key and g.award_year = year(a.award_date)
    """,
    "costly_offers": """
        with evaluated as (
            select a.award_key, a.portfolio_id, a.sup_doc, a.sup_code, a.sup_name, a.award_value from awards a
            join valid_offers o on o.portfolio_id = a.portfolio_id
            where coalesce(a.lots, 1) <= 1
            group by all having count(*) >= {costly_offers_min_offers}
        ),
        cheapest as (
            select e.*, o.sup_doc as offer_doc, o.sup_code as offer_code, o.sup_name as offer_name, o.offer_value
            from evaluated e join valid_offers o on o.portfolio_id = e.portfolio_id
            qualify row_number() over (partition by e.award_key order by o.offer_value, o.registered, o.offer_id) = 1
        )
        select award_key from cheapest  -- compared on the strongest identifier both carry
        where case when sup_doc is not null and offer_doc is not null then sup_doc <> offer_doc
                   when sup_code is not null and offer_code is not null then sup_code <> offer_code
                   else sup_name <> offer_name end
          and award_value - offer_value > 0
    """,
    "inactive_supplier": """
        select a.award_key from awards a
        where a.sup_doc is not null
          and exists (select 1 from registrations r where r.doc = a.sup_doc and r.state = 'CANCELADA'
                      and r.cancelled < a.award_date)
          and not exists (select 1 from registrations r where r.doc = a.sup_doc
                          and (r.registered is null or r.registered <= a.award_date)
                          and (r.cancelled is null or r.cancelled >= a.award_date))
    """,
    "pep_supplier": """
        select distinct a.award_key from awards a join pep on pep.doc_key = a.sup_doc
        where (a.doc_type is null or a.doc_type in ({person_or_unknown_document_types}))
          and pep.start_date <= a.award_date
          and (pep.end_date is null or a.award_date <= pep.end_date + to_years({pep_grace_years}))
    """,
    "sensitive_post_supplier": """
        select distinct a.award_key from awards a join posts on posts.doc_key = a.sup_doc
        where (a.doc_type is null or a.doc_type in ({person_or_unknown_document_types}))
          and posts.start_date <= a.award_date
    """,
    "supplier_cancelled_contracts": """
        select distinct a.award_key from awards a join cancelled c on c.supplier_key = a.supplier_key
        where c.contract_id is distinct from a.contract_id and c.cancelled_date < a.award_date
    """,
    "delivery_noncompliance": """
        select distinct a.award_key from awards a join lines l on l.contract_id = a.contract_id
        where not l.is_suspended
          and ((not l.is_percentage and l.quantity_due is not null and l.quantity_received is not null
                and ((l.due_date < date '{run_date}' and l.quantity_received < l.quantity_due)
                     or l.delivered_date > l.due_date + to_days({delivery_tolerance_days})))
               or (l.is_percentage and l.due_date < date '{run_date}' and l.real_progress < l.expected_progress))
    """,
    "barred_fines": """
        with standing as (
            select f.*, c.sup_doc as contract_doc, c.contract_id is not null as contract_found
            from fines f left join contracts c on c.contract_id = f.contract_id
            where not f.is_revoked
        ),
        matched as (
            select 'code' as route, sup_code as value, event_date from standing
            union all
            select 'document', contract_doc, event_date from standing
            union all
            select 'document', ltrim(sup_code, '0'), event_date from standing  -- the code read as a document
            union all
            select 'name', sup_name, event_date from standing where sup_code is null and not contract_found
        )
        select distinct a.award_key from awards a join matched m
          on (m.route = 'code' and m.value = a.sup_code) or (m.route = 'document' and m.value = a.sup_doc)
          or (m.route = 'name' and m.value = a.sup_name)
        where m.event_date < a.award_date and m.event_date >= a.award_date - to_years({fines_lookback_years})
    """,
    "barred_unfinished_works": """
        select distinct a.award_key from awards a join works w
          on (w.doc_key is not null and w.doc_key = a.sup_doc) or (w.doc_key is null and w.name_key = a.sup_name)
        where w.role in ({works_contractor_roles}) and w.act_date < a.award_date
    """,
    "barred_fiscal_liability": """
        select distinct a.award_key from awards a join bulletin b
          on (b.doc_key is not null and b.doc_key = a.sup_doc) or (b.doc_key is null and b.name_key = a.sup_name)
    """,
    "single_bidder": """
        select award_key from awards
        where modality not in ({non_competitive_modalities}) and coalesce(unique_bidders, responses) = 1
    """,
    "short_submission_period": """
        select award_key from awards
        where modality not in ({non_competitive_modalities})
          and date_diff('day', published, offers_due) < {min_days}
    """,
    "identical_bid_prices": """
        select distinct a.award_key from awards a
        join valid_offers o1 on o1.portfolio_id = a.portfolio_id
        join valid_offers o2 on o2.portfolio_id = a.portfolio_id
        where o1.offer_value = o2.offer_value and o1.supplier_key <> o2.supplier_key
    """,
    "award_close_to_base_price": """
        select award_key from awards
        where modality not in ({non_competitive_modalities}) and base_price > 0
          and process_value / base_price between {award_close_to_base_min_ratio} and {award_close_to_base_max_ratio}
    """,
    "direct_award_share": """
        with shares as (
            select entity_key, min(entity_order) as entity_order, count(*) as n,
                count(*) filter (where modality in ({non_competitive_modalities})) / count(*) as share
            from awards where modality is not null and entity_key is not null
            group by entity_key having count(*) >= {direct_award_share_min_awards}
        ),
        fences as (
            select entity_order,
                quantile_cont(share, 0.75) + 1.5 * (quantile_cont(share, 0.75) - quantile_cont(share, 0.25)) as fence
            from shares group by entity_order having count(*) >= {direct_award_share_min_peers}
        )
        select a.award_key from awards a
        join shares s on s.entity_key = a.entity_key join fences f on f.entity_order = s.entity_order
        where s.share > f.fence and a.modality in ({non_competitive_modalities})
    """,
    "contract_splitting": """
        with small as (
            select * from awards
            where award_value < {contract_splitting_threshold} and entity_key is not null
              and supplier_key is not null and award_date is not null
        )
        select s.award_key from small s join small t
          on t.entity_key = s.entity_key and t.supplier_key = s.supplier_key
         and abs(date_diff('day', s.award_date, t.award_date)) <= {contract_splitting_window_days}
        group by s.award_key
        having count(*) >= 2 and sum(t.award_value) > {contract_splitting_threshold}
    """,
    "value_additions": """
        select a.award_key from awards a
        where a.contract_id is not null and coalesce(a.lots, 1) <= 1
          and (select count(*) from contracts c where c.portfolio_id = a.portfolio_id and c.is_live) = 1
          and a.contract_value > (1 + {value_additions_max_pct}) * a.process_value
    """,
    "new_supplier_big_award": """
        select a.award_key from awards a
        join (select doc, min(registered) as first_registered from registrations group by doc) r
          on r.doc = a.sup_doc
        where a.award_value >= {new_supplier_min_value} and r.first_registered <= a.award_date
          and date_diff('day', r.first_registered, a.award_date) < {new_supplier_max_days}
    """,
    "sanctioned_supplier": """
        select distinct a.award_key from awards a join siri s on s.doc_key = a.sup_doc
        where s.years + s.months + s.days > 0 and s.effective <= a.award_date
          and a.award_date < s.effective + to_months(cast(12 * s.years + s.months as integer))
                             + to_days(cast(s.days as integer))
    """,
}


def rule_parameters(rules: Rules) -> dict[str, object]:
    """The values RULES' placeholders stand for under `rules`."""
    params = {k: getattr(rules, k) for k in rules.__dataclass_fields__}
    params["works_contractor_roles"] = sql_list(rules.works_contractor_roles)
    params["non_competitive_modalities"] = sql_list(rules.non_competitive_modalities)
    params["person_or_unknown_document_types"] = sql_list(PERSON_OR_UNKNOWN_DOCUMENT_TYPES)
    cases = " ".join(f"when '{m}' then {days}" for m, days in rules.short_submission_min_days_by_modality)
    default = rules.short_submission_min_days
    params["min_days"] = f"case modality {cases} else {default} end" if cases else str(default)
    return params
