"""What the risk report shows, read from the warehouse marts of one run date through the warehouse reader.

Every query is written once in the SQL both DuckDB and Redshift run (warehouse/reader.py); none takes a
user-supplied value. Figures are language-free here: the rendering names and formats them (texts/).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import quote, urlsplit

from warehouse.reader import WarehouseReader

REPORT_MARTS = ("fct_indicator_summary", "fct_contract_risk", "fct_contract_flags", "dim_entity", "dim_supplier")
MAX_CONTRACTS = 5_000  # the riskiest flagged contracts listed; the others stay in fct_contract_risk
TOP = 15  # entities and suppliers ranked in the charts
PROFILE_CONTRACTS = 5  # the riskiest contracts shown in each profile
# The official domains of SECOP and Colombia Compra Eficiente, and their subdomains: the only hosts a contract's
# link may point to (SECOP II community.secop.gov.co, SECOP I www.contratos.gov.co, www.colombiacompra.gov.co).
SECOP_DOMAINS = ("secop.gov.co", "contratos.gov.co", "colombiacompra.gov.co")
# Kept as they are in a link; anything else (parentheses, quotes, brackets, angle brackets, `|`, non-ASCII) is
# percent-encoded, so a link cannot end early, nor a second one start, in markdown or HTML.
_URL_SAFE = "/?:@&=+$,;%#-._~"
_UNSAFE_CHAR = re.compile(r"[\x00-\x20\x7f\\]")  # whitespace, control characters, backslash
_UNQUOTED = re.compile(r"[^A-Za-z0-9/?:@&=+$,;%#\-._~]+")  # what quote(url, safe=_URL_SAFE) encodes
# How nearly every link starts: https, an official host and nothing else before its path (no user, no port).
_PLAIN_START = re.compile(rf"https://(?:[a-z0-9-]+\.)*(?:{'|'.join(map(re.escape, SECOP_DOMAINS))})(?=[/?#]|\Z)")
# A flag's columns that `texts.render_reason` reads (with the award's entity_name and supplier_name).
FLAG_COLUMNS = """flags.award_key, flags.indicator_id, flags.unit_key, flags.entity_key, flags.supplier_key,
    flags.award_date, cast(flags.award_value as double precision) as award_value,
    cast(flags.excess_amount as double precision) as excess_amount, flags.match_method, flags.evidence"""
# The profiled parties: per kind its dimension (where its peers are), its key and name columns, its own figures.
PROFILE_KINDS = {
    "entity": ("dim_entity", "entity_key", "entity_name", "flags, department, municipality"),
    "supplier": ("dim_supplier", "supplier_key", "supplier_name", "entities, indicators_fired"),
}
PROFILE_FIGURES = """awards, flagged_awards, cast(awarded_value as double precision) as awarded_value,
    cast(flagged_value as double precision) as flagged_value, cast(risk_score as double precision) as risk_score,
    risk_rank, peers, cast(flagged_value_share as double precision) as flagged_value_share"""


@dataclass(frozen=True)
class ReportData:
    run_date: date
    awards: int  # every award evaluated
    flagged_awards: int  # awards with at least one flag
    flagged_value: float  # their award values, each counted once
    indicators: list[dict]  # one per evaluated indicator: id, group, unit, flagged, amount, evaluated, share
    entities: list[dict]  # the entities with the most flagged value
    suppliers: list[dict]  # the suppliers with the most flagged awards
    months: list[dict]  # per award month: flagged awards and their value
    contracts: list[dict]  # the riskiest flagged contracts with their flags (fct_contract_flags rows)
    not_evaluated: list[dict] = field(default_factory=list)  # indicators this build could not evaluate, and why
    departments: list[dict] = field(default_factory=list)  # per department: awards, flagged awards and value
    profiles: dict[str, dict[str, dict]] = field(default_factory=dict)  # kind -> key -> profile (listed contracts')

    @property
    def listed_all(self) -> bool:
        return len(self.contracts) == self.flagged_awards

    @property
    def groups(self) -> dict[str, list[dict]]:
        """The evaluated indicators per group, each with its share of the group's flagged contracts."""
        grouped: dict[str, list[dict]] = defaultdict(list)
        for row in self.indicators:
            grouped[row["indicator_group"]].append(row)
        shares = {}
        for group, rows in sorted(grouped.items()):
            total = sum(row["flagged_awards"] for row in rows)
            shares[group] = [
                {**row, "group_share": row["flagged_awards"] / total if total else 0.0}
                for row in sorted(rows, key=lambda r: (-r["flagged_awards"], r["indicator_id"]))
            ]
        return shares


def secop_link(url: str | None) -> str | None:
    """`url` as a safe link when it is an https URL of an official SECOP host, else None (shown as plain text).

    Refused: other schemes (`javascript:`, `data:`, `http:`), other hosts, user info, a port other than 443,
    whitespace, control characters and backslashes (which browsers read as `/`, moving the host).
    """
    if not url or _UNSAFE_CHAR.search(url):
        return None
    if not _PLAIN_START.match(url) and not _official_https(url):
        return None
    return _UNQUOTED.sub(lambda unsafe: quote(unsafe.group(), safe=""), url)  # quote(url, safe=_URL_SAFE), faster


def _official_https(url: str) -> bool:
    """Whether `url`, parsed, is https on an official SECOP host, without user info, on port 443 if any."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    host = parts.hostname or ""
    official = any(host == domain or host.endswith(f".{domain}") for domain in SECOP_DOMAINS)
    return parts.scheme.lower() == "https" and official and "@" not in parts.netloc and port in (None, 443)


CONTRACT_COLUMNS = """award_key, entity_key, entity_name, supplier_key, supplier_name,
    cast(award_date as varchar(10)) as award_date, cast(award_value as double precision) as award_value,
    cast(risk_score as double precision) as risk_score, flag_count, secop_url"""
CONTRACT_ORDER = "risk_score desc, flag_count desc, award_value desc nulls last, award_key"
RISK_ORDER = "risk.risk_score desc, risk.flag_count desc, risk.award_value desc nulls last, risk.award_key"


def _riskiest(limit: int) -> str:
    """A CTE `riskiest`: the `limit` riskiest flagged awards."""
    return f"""riskiest as (
        select award_key, entity_key, entity_name, supplier_key, supplier_name, award_date, award_value,
               risk_score, flag_count, secop_url
        from fct_contract_risk where flag_count > 0
        order by {CONTRACT_ORDER} limit {int(limit)}
    )"""


def _iso_month(value: date | datetime) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def read_contracts(reader: WarehouseReader, limit: int) -> list[dict]:
    """The `limit` riskiest flagged contracts, each with its flags: fct_contract_risk and fct_contract_flags
    hold the current rows (an unchanged row keeps the run date that wrote it), so they are joined on the
    award alone."""
    contracts = reader.rows(
        f"with {_riskiest(limit)} select {CONTRACT_COLUMNS} from riskiest order by {CONTRACT_ORDER}"
    )
    flags = reader.rows(
        f"""with {_riskiest(limit)}
            select {FLAG_COLUMNS}
            from fct_contract_flags flags inner join riskiest on flags.award_key = riskiest.award_key
            order by flags.award_key, flags.indicator_id"""
    )
    by_award: dict[str, list[dict]] = defaultdict(list)
    for flag in flags:
        by_award[flag["award_key"]].append(flag)
    for contract in contracts:
        contract["secop_url"] = secop_link(contract["secop_url"])
        names = {"entity_name": contract["entity_name"], "supplier_name": contract["supplier_name"]}
        contract["flags"] = [{**flag, **names} for flag in by_award[contract["award_key"]]]
    return contracts


def read_profiles(reader: WarehouseReader, limit: int) -> dict[str, dict[str, dict]]:
    """The profile of each entity and supplier of the `limit` riskiest contracts: its figures and rank among
    its peers (dim_entity, dim_supplier), its flags by indicator and its riskiest contracts."""
    profiles: dict[str, dict[str, dict]] = {}
    for kind, (table, key, name, figures) in PROFILE_KINDS.items():
        listed = f"{_riskiest(limit)}, listed as (select distinct {key} from riskiest)"
        rows = reader.rows(
            f"""with {listed}
                select peer.{key} as profile_key, peer.{name} as name, {figures}, {PROFILE_FIGURES}
                from {table} peer inner join listed on peer.{key} = listed.{key}
                order by peer.{key}"""
        )
        found = {row.pop("profile_key"): {**row, "indicators": [], "contracts": []} for row in rows}
        by_indicator = reader.rows(
            f"""with {listed}
                select flags.{key} as profile_key, flags.indicator_id,
                       count(distinct flags.award_key) as flagged_awards,
                       cast(sum(flags.award_value) as double precision) as flagged_value
                from fct_contract_flags flags inner join listed on flags.{key} = listed.{key}
                group by flags.{key}, flags.indicator_id
                order by flags.{key}, flagged_awards desc, flags.indicator_id"""
        )
        for row in by_indicator:
            if row["profile_key"] in found:
                found[row.pop("profile_key")]["indicators"].append(row)
        contracts = reader.rows(
            f"""with {listed}, ranked as (
                    select risk.*, row_number() over (partition by risk.{key} order by {RISK_ORDER}) as place
                    from fct_contract_risk risk inner join listed on risk.{key} = listed.{key}
                    where risk.flag_count > 0
                )
                select {key} as profile_key, {CONTRACT_COLUMNS} from ranked
                where place <= {PROFILE_CONTRACTS} order by {key}, place"""
        )
        for row in contracts:
            row["secop_url"] = secop_link(row["secop_url"])
            if row["profile_key"] in found:
                found[row.pop("profile_key")]["contracts"].append(row)
        profiles[kind] = found
    return profiles


def read_report_data(reader: WarehouseReader, max_contracts: int = MAX_CONTRACTS) -> ReportData:
    """The marts as the latest build left them, and its run date's indicator summary (fct_indicator_summary
    keeps the earlier ones too; the other marts hold the current rows, each with the run date that last wrote
    it)."""
    [latest] = reader.rows("select max(run_date) as run_date from fct_indicator_summary")
    run_date = latest["run_date"]
    [totals] = reader.rows(
        """select count(*) as awards, sum(case when flag_count > 0 then 1 else 0 end) as flagged_awards,
                  cast(coalesce(sum(case when flag_count > 0 then award_value end), 0) as double precision)
                      as flagged_value
           from fct_contract_risk"""
    )
    if run_date is None or not totals["awards"]:
        raise ValueError("fct_contract_risk is empty: build the warehouse before the report")
    summary = reader.rows(
        """select indicator_id, indicator_name, indicator_group, unit, flagged_awards, flagged_units,
                  cast(flagged_amount as double precision) as flagged_amount, total_awards, is_evaluated,
                  not_evaluated_reason
           from fct_indicator_summary where run_date = ? order by flagged_awards desc, indicator_id""",
        [run_date],
    )
    for row in summary:
        row["share"] = row["flagged_awards"] / row["total_awards"] if row["total_awards"] else None
    entities = reader.rows(
        f"""select entity_key, entity_name, awards, flagged_awards,
                   cast(awarded_value as double precision) as awarded_value,
                   cast(flagged_value as double precision) as flagged_value, flags
            from dim_entity where flagged_awards > 0
            order by flagged_value desc, flagged_awards desc, entity_key limit {TOP}"""
    )
    suppliers = reader.rows(
        f"""select supplier_key, supplier_name, awards, entities, flagged_awards, indicators_fired,
                   cast(awarded_value as double precision) as awarded_value
            from dim_supplier where flagged_awards > 0
            order by flagged_awards desc, indicators_fired desc, awarded_value desc, supplier_key limit {TOP}"""
    )
    months = reader.rows(
        """select date_trunc('month', award_date) as month, count(*) as flagged_awards,
                  cast(sum(award_value) as double precision) as flagged_value
           from fct_contract_risk where flag_count > 0 and award_date is not null
           group by date_trunc('month', award_date) order by 1"""
    )
    for month in months:
        month["month"] = _iso_month(month["month"])
    departments = reader.rows(
        """select department, count(*) as awards, sum(case when flag_count > 0 then 1 else 0 end) as flagged_awards,
                  cast(coalesce(sum(case when flag_count > 0 then award_value end), 0) as double precision)
                      as flagged_value
           from fct_contract_risk
           group by department order by flagged_value desc, flagged_awards desc, department"""
    )
    return ReportData(
        run_date,
        int(totals["awards"]),
        int(totals["flagged_awards"] or 0),
        float(totals["flagged_value"]),
        [row for row in summary if row["is_evaluated"] is not False],
        entities,
        suppliers,
        months,
        read_contracts(reader, max_contracts),
        [row for row in summary if row["is_evaluated"] is False],
        departments,
        read_profiles(reader, max_contracts),
    )
