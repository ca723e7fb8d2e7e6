"""The warehouse's flags, risk scores and summary counts against the oracle's Findings (simulator.truth).

Each function returns its differences as readable lines (empty: agreement). Figures compare exactly, except
where the SQL rounds (TOLERANCES). A flag's evidence carries each oracle figure under its name, or, for the
figures the evidence lists record by record, as DERIVED says; its reason, rendered from the evidence in each
language (texts.render_reason), must quote the figures of REASON_FIGURES as that language writes them (amounts
of MONEY in whole pesos): its wording is not checked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import duckdb

from simulator.dbt_vars import INDICATORS
from simulator.truth import Findings, award_risks, indicator_summaries
from texts import LANGUAGES, money, number, render_reason

ROW_COLUMNS = ("unit_key", "match_method", "excess_amount")  # compared with the flag row's columns
# Shares and quartiles are decimal(18, 6) in the SQL (the fence is computed from rounded shares), doubles here.
TOLERANCES = {
    "direct_share": Decimal("1e-6"),
    "q1": Decimal("1e-6"),
    "q3": Decimal("1e-6"),
    "upper_fence": Decimal("5e-6"),
    "lower_fence": Decimal("5e-6"),
    "supplier_share": Decimal("1e-6"),
}
RISK_TOLERANCE = Fraction(1, 10**6)  # risk_score is decimal(9, 6)


def count_of(records: str) -> Callable[[dict], Any]:
    return lambda evidence: len(evidence[records])


def latest(records: str, field: str) -> Callable[[dict], Any]:
    return lambda evidence: max(record[field] for record in evidence[records])


DERIVED: dict[str, dict[str, Callable[[dict], Any]]] = {
    "pep_supplier": {"pep_records": count_of("pep_records"), "latest_post_start": latest("pep_records", "start_date")},
    "sensitive_post_supplier": {
        "sensitive_posts": count_of("posts"),
        "latest_post_start": latest("posts", "start_date"),
    },
}

REASON_FIGURES: dict[str, tuple[str, ...]] = {
    "repeat_awards": ("group_awards", "award_year"),
    "costly_offers": ("valid_offers", "gap", "cheapest_offer_value"),
    "inactive_supplier": ("last_cancelled_date",),
    "pep_supplier": ("latest_post_start",),
    "sensitive_post_supplier": ("latest_post_start",),
    "supplier_cancelled_contracts": ("cancelled_count", "last_cancelled_date"),
    "delivery_noncompliance": ("failing_lines", "plan_lines", "short_lines", "late_lines", "behind_lines"),
    "barred_fines": ("fines", "latest_event_date"),
    "barred_unfinished_works": ("works", "latest_act_date"),
    "barred_fiscal_liability": ("listings",),
    "sanctioned_supplier": ("sanctions", "latest_end_date"),
    "single_bidder": (),  # its reason names the modality only
    "short_submission_period": ("submission_days", "published_date", "offers_due_date", "minimum_days"),
    "identical_bid_prices": ("tied_value",),
    "award_close_to_base_price": ("process_awarded_value", "base_price"),
    "direct_award_share": ("direct_awards", "counted_awards", "peer_entities"),
    "contract_splitting": ("window_awards", "window_value", "threshold", "threshold_smmlv", "smmlv_year"),
    "value_additions": ("contract_value", "increase_amount", "increase_pct", "process_awarded_value"),
    "new_supplier_big_award": ("days_registered", "first_registered_date", "award_date"),
    "close_to_winning_bid": ("winning_offer_value", "runner_up_offer_value", "population"),
    "heavily_discounted_bid": ("winning_offer_value", "runner_up_offer_value", "population"),
    "excessive_unsuccessful_bids": ("wins", "population"),
    "winner_share_of_buyer": (
        "supplier_window_awards",
        "entity_window_awards",
        "supplier_window_value",
        "entity_window_value",
        "window_start",
        "window_end",
    ),
    "heterogeneous_supplier": ("supplier_awards", "segments", "population_suppliers", "segment"),
}
MONEY = {"gap", "cheapest_offer_value", "process_awarded_value", "base_price", "window_value", "contract_value",
         "increase_amount", "tied_value", "winning_offer_value", "runner_up_offer_value", "supplier_window_value",
         "entity_window_value", "threshold"}  # fmt: skip
DECIMALS = {"increase_pct": 2}  # figures quoted with decimals (a percentage: the sign follows)
PLAIN = {"award_year", "smmlv_year"}  # figures quoted as they are (a year is not grouped)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def agree(expected: Any, actual: Any, tolerance: Decimal = Decimal(0)) -> bool:
    """The oracle's value and the warehouse's agree: numbers within `tolerance`, dates as ISO text, lists item
    by item."""
    if isinstance(expected, list) and isinstance(actual, list):
        pairs = zip(expected, actual, strict=False)  # lengths compared first
        return len(expected) == len(actual) and all(agree(e, a, tolerance) for e, a in pairs)
    if is_number(expected) and is_number(actual):
        return abs(Decimal(str(expected)) - Decimal(str(actual))) <= tolerance
    return (expected.isoformat() if isinstance(expected, date) else expected) == actual


def rendered(figure: str, value: Any, lang: str) -> str:
    """The oracle's `value` of `figure` as a reason in `lang` writes it."""
    if isinstance(value, date):
        return value.isoformat()
    if figure in MONEY:
        return money(value, lang)
    if figure in PLAIN or not is_number(value):
        return str(value)
    return number(value, lang, DECIMALS.get(figure, 0))


def quotes(reason: str, text: str) -> bool:
    """`reason` holds `text` as a whole figure (not inside a longer number, in either language's marks)."""
    return re.search(rf"(?<![\d.,]){re.escape(text)}(?![\d]|[.,]\d)", reason) is not None


def flag_differences(findings: Findings, con: duckdb.DuckDBPyConnection) -> list[str]:
    """fct_contract_flags against the oracle's flags: the same awards per indicator, and for each flag the same
    row columns, evidence figures and, in its reason rendered in each language, the quoted figures."""
    rows = flag_rows(con)
    flags: dict[str, dict[str, dict]] = {indicator: {} for indicator in INDICATORS}
    for row in rows:
        flags[row["indicator_id"]][row["award_key"]] = {
            "unit_key": row["unit_key"],
            "match_method": row["match_method"],
            "excess_amount": row["excess_amount"],
            "reasons": {lang: render_reason(row, lang) for lang in LANGUAGES},
            "evidence": json.loads(row["evidence"], parse_float=Decimal),
        }
    out = []
    for indicator in INDICATORS:
        expected, found = findings.flags[indicator], flags[indicator]
        out += [f"{indicator} {award}: flagged by the oracle only" for award in sorted(expected.keys() - found)]
        out += [f"{indicator} {award}: flagged by the warehouse only" for award in sorted(found.keys() - expected)]
        derived = DERIVED.get(indicator, {})
        for award in sorted(expected.keys() & found.keys()):
            figures, flag = expected[award], found[award]
            for name, value in figures.items():
                if name in ROW_COLUMNS:
                    actual = flag[name]
                elif name in derived:
                    actual = derived[name](flag["evidence"])
                else:
                    actual = flag["evidence"].get(name, "<not in the evidence>")
                if not agree(value, actual, TOLERANCES.get(name, Decimal(0))):
                    out.append(f"{indicator} {award} {name}: oracle {value!r}, warehouse {actual!r}")
            if "excess_amount" not in figures and flag["excess_amount"] is not None:
                out.append(f"{indicator} {award} excess_amount: oracle none, warehouse {flag['excess_amount']!r}")
            for name in REASON_FIGURES[indicator]:
                for lang, reason in flag["reasons"].items():
                    text = rendered(name, figures[name], lang)
                    if not quotes(reason, text):
                        out.append(f"{indicator} {award} reason ({lang}) lacks {name} = {text}: {reason}")
    return out


def flag_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every row of fct_contract_flags with its award's names (fct_contract_risk), as texts.render_reason takes it."""
    relation = con.sql(
        "select flags.*, risk.entity_name, risk.supplier_name from fct_contract_flags as flags "
        "left join fct_contract_risk as risk on flags.award_key = risk.award_key"
    )
    return [dict(zip(relation.columns, values, strict=True)) for values in relation.fetchall()]


def risk_differences(
    findings: Findings, con: duckdb.DuckDBPyConnection, weights: Mapping[str, float] | None = None
) -> list[str]:
    """fct_contract_risk against the oracle: the same awards, and per award the same flag_<indicator> (1, 0 or
    null), flag_count and risk_score (within RISK_TOLERANCE) under `weights`."""
    flag_columns = ", ".join(f"flag_{indicator}" for indicator in INDICATORS)
    rows = con.sql(f"select award_key, flag_count, risk_score, {flag_columns} from fct_contract_risk").fetchall()
    found = {award: (count, score, dict(zip(INDICATORS, flags, strict=True))) for award, count, score, *flags in rows}
    expected = award_risks(findings, weights)
    out = [f"risk {award}: award of the oracle only" for award in sorted(expected.keys() - found)]
    out += [f"risk {award}: award of the warehouse only" for award in sorted(found.keys() - expected)]
    for award in sorted(expected.keys() & found.keys()):
        risk, (count, score, flags) = expected[award], found[award]
        out += [
            f"risk {award} flag_{indicator}: oracle {risk.flags[indicator]}, warehouse {flags[indicator]}"
            for indicator in INDICATORS
            if risk.flags[indicator] != flags[indicator]
        ]
        if risk.flag_count != count:
            out.append(f"risk {award} flag_count: oracle {risk.flag_count}, warehouse {count}")
        if abs(risk.risk_score - Fraction(score)) > RISK_TOLERANCE:
            out.append(f"risk {award} risk_score: oracle {float(risk.risk_score):.6f}, warehouse {score}")
    return out


def summary_differences(findings: Findings, con: duckdb.DuckDBPyConnection, run_date: str) -> list[str]:
    """fct_indicator_summary of `run_date` against the oracle's counts; every indicator must be evaluated."""
    rows = con.execute(
        "select indicator_id, is_evaluated, flagged_units, flagged_awards, flagged_amount, flagged_excess_amount, "
        "total_awards from fct_indicator_summary where run_date = cast(? as date)",
        [run_date],
    ).fetchall()
    found = {indicator: (evaluated, counts) for indicator, evaluated, *counts in rows}
    out = []
    for indicator, summary in indicator_summaries(findings).items():
        if indicator not in found or not found[indicator][0]:
            out.append(f"summary {indicator}: not evaluated in the warehouse")
            continue
        expected = (summary.flagged_units, summary.flagged_awards, summary.flagged_amount,
                    summary.flagged_excess_amount, summary.total_awards)  # fmt: skip
        for name, value, actual in zip(
            ("flagged_units", "flagged_awards", "flagged_amount", "flagged_excess_amount", "total_awards"),
            expected,
            found[indicator][1],
            strict=True,
        ):
            if not agree(value, actual):
                out.append(f"summary {indicator} {name}: oracle {value!r}, warehouse {actual!r}")
    return out
