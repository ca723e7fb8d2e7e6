"""Warehouse rows as the API shows them: reasons rendered in the request's language, evidence parsed,
SECOP links checked, decimals as numbers. The JSON pages and the downloads are made of the same items."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import orjson

from api.queries import Party
from orchestration.report.data import secop_link
from texts import group_name, indicator_name, not_evaluated_reasons, render_not_evaluated, render_reason, unit_name

# An award's parties, date and value, as every item shows them.
PARTIES_AND_DATE_VALUE = ("entity_key", "entity_name", "supplier_key", "supplier_name", "award_date", "award_value")
# A flag's columns in a download, in order (`evidence` as JSON text there).
FLAG_FIELDS = (
    "award_key",
    "indicator_id",
    "indicator_name",
    "indicator_group",
    "group_name",
    "reason",
    *PARTIES_AND_DATE_VALUE,
    "excess_amount",
    "risk_score",
    "department",
    "municipality",
    "match_method",
    "unit_key",
    "secop_url",
    "evidence",
)
ALERT_FIELDS = (*FLAG_FIELDS[: FLAG_FIELDS.index("risk_score")], *FLAG_FIELDS[FLAG_FIELDS.index("match_method") :])
ALERT_FIELDS += ("published_at", "detected_at", "lag_seconds")


def plain(value: Any) -> Any:
    """A warehouse value as JSON carries it: decimals as numbers, dates as ISO text."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def plain_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {name: plain(value) for name, value in row.items() if name != "sort_value"}


def award_item(row: Mapping[str, Any]) -> dict[str, Any]:
    """An award (a fct_contract_risk row or part of one) with its SECOP link checked."""
    item = plain_row(row)
    if "secop_url" in item:
        item["secop_url"] = secop_link(item["secop_url"])
    return item


def flag_item(row: Mapping[str, Any], lang: str, fields: tuple[str, ...] = FLAG_FIELDS) -> dict[str, Any]:
    """A flag (or an alert): its reason in `lang`, its evidence parsed, its labels, its award's link."""
    evidence = row["evidence"]
    derived = {
        "reason": render_reason(row, lang),
        "evidence": orjson.loads(evidence) if isinstance(evidence, str) else evidence,
        "indicator_name": indicator_name(row["indicator_id"], lang),
        "group_name": group_name(row["indicator_group"], lang),
        "secop_url": secop_link(row.get("secop_url")),
    }
    return {name: derived[name] if name in derived else plain(row.get(name)) for name in fields}


def alert_item(row: Mapping[str, Any], lang: str) -> dict[str, Any]:
    return flag_item(row, lang, ALERT_FIELDS)


# The columns of a profile's lines (macro party_profile) in each section, after the party's key.
PROFILE_SECTIONS = {
    "indicator": ("indicator_id", "flags", "flagged_awards", "flagged_value"),
    "award": (
        "award_key",
        *PARTIES_AND_DATE_VALUE,
        "flag_count",
        "risk_score",
        "secop_url",
    ),
    "counterpart": (
        "{other}_key",
        "{other}_name",
        "awards",
        "awarded_value",
        "flagged_awards",
        "flagged_value",
        "flags",
    ),
}


def profile_lines(party: Party, rows: list[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """A party's profile lines (fct_entity_profile or fct_supplier_profile rows) by section, in order, each
    with its section's columns: the award lines name both parties, the counterparts the other one."""
    sections: dict[str, list[dict[str, Any]]] = {section: [] for section in PROFILE_SECTIONS}
    for row in sorted(rows, key=lambda row: row["position"]):
        fields = [name.format(other=party.other) for name in PROFILE_SECTIONS[row["section"]]]
        sections[row["section"]].append({name: plain(row[name]) for name in fields})
    return sections


def indicator_item(row: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """A fct_indicator_summary row with the indicator's, its group's and its unit's names in `lang`, and why it
    was not evaluated: rendered in `lang` (`not_evaluated_reason`) from its reason records
    (`not_evaluated_evidence`, null for a row of an older build, whose English sentence is shown as it is)."""
    item = plain_row(row)
    item["indicator_name"] = indicator_name(row["indicator_id"], lang)
    item["group_name"] = group_name(row["indicator_group"], lang)
    item["unit"] = unit_name(row["indicator_id"], lang)
    item["not_evaluated_evidence"] = not_evaluated_reasons(row["not_evaluated_reason"])
    item["not_evaluated_reason"] = render_not_evaluated(row["not_evaluated_reason"], lang)
    return item
