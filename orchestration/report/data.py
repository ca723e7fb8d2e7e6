"""What the risk report shows, read from the warehouse marts (DuckDB) of one run date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote, urlsplit

import duckdb

REPORT_MARTS = ("fct_indicator_summary", "fct_contract_risk", "fct_contract_flags", "dim_entity", "dim_supplier")
MAX_CONTRACTS = 5_000  # the riskiest flagged contracts listed; the others stay in fct_contract_risk
TOP = 15  # entities and suppliers shown
# The official domains of SECOP and Colombia Compra Eficiente, and their subdomains: the only hosts a contract's
# link may point to (SECOP II community.secop.gov.co, SECOP I www.contratos.gov.co, www.colombiacompra.gov.co).
SECOP_DOMAINS = ("secop.gov.co", "contratos.gov.co", "colombiacompra.gov.co")
# Kept as they are in a link; anything else (parentheses, quotes, brackets, angle brackets, `|`, non-ASCII) is
# percent-encoded, so a link cannot end early, nor a second one start, in markdown or HTML.
_URL_SAFE = "/?:@&=+$,;%#-._~"


@dataclass(frozen=True)
class ReportData:
    run_date: date
    awards: int  # every award evaluated
    flagged_awards: int  # awards with at least one flag
    flagged_value: float  # their award values, each counted once
    indicators: list[dict]  # one per evaluated indicator: id, name, group, unit, flagged, amount, evaluated, share
    entities: list[dict]  # the entities with the most flagged value
    suppliers: list[dict]  # the suppliers with the most flagged awards
    months: list[dict]  # per award month: flagged awards and their value
    contracts: list[dict]  # the riskiest flagged contracts with their flags and reasons; secop_url: secop_link's
    not_evaluated: list[dict] = field(default_factory=list)  # indicators this build could not evaluate, and why

    @property
    def listed_all(self) -> bool:
        return len(self.contracts) == self.flagged_awards


def secop_link(url: str | None) -> str | None:
    """`url` as a safe link when it is an https URL of an official SECOP host, else None (shown as plain text).

    Refused: other schemes (`javascript:`, `data:`, `http:`), other hosts, user info, a port other than 443,
    whitespace, control characters and backslashes (which browsers read as `/`, moving the host).
    """
    if not url or any(char <= " " or char in "\x7f\\" for char in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname or ""
    official = any(host == domain or host.endswith(f".{domain}") for domain in SECOP_DOMAINS)
    if parts.scheme.lower() != "https" or not official or "@" in parts.netloc or port not in (None, 443):
        return None
    return quote(url, safe=_URL_SAFE)


def _records(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def read_report_data(con: duckdb.DuckDBPyConnection, max_contracts: int = MAX_CONTRACTS) -> ReportData:
    """The marts of the latest run date (fct_indicator_summary keeps the earlier ones too)."""
    [(run_date,)] = con.execute("select max(run_date) from fct_contract_risk").fetchall()
    if run_date is None:
        raise ValueError("fct_contract_risk is empty: build the warehouse before the report")
    [(awards, flagged, flagged_value)] = con.execute(
        "select count(*), count(*) filter (where flag_count > 0), "
        "coalesce(sum(award_value) filter (where flag_count > 0), 0) from fct_contract_risk where run_date = ?",
        [run_date],
    ).fetchall()
    summary = _records(
        con,
        """select indicator_id, indicator_name, indicator_group, unit, flagged_awards, flagged_units,
                  cast(flagged_amount as double) as flagged_amount, total_awards,
                  flagged_awards / nullif(total_awards, 0) as share, is_evaluated, not_evaluated_reason
           from fct_indicator_summary where run_date = ? order by flagged_awards desc, indicator_id""",
        [run_date],
    )
    indicators = [row for row in summary if row["is_evaluated"] is not False]
    entities = _records(
        con,
        """select entity_key, entity_name, awards, flagged_awards, cast(awarded_value as double) as awarded_value,
                  cast(flagged_value as double) as flagged_value, flags
           from dim_entity where flagged_awards > 0
           order by flagged_value desc, flagged_awards desc, entity_key limit ?""",
        [TOP],
    )
    suppliers = _records(
        con,
        """select supplier_key, supplier_name, awards, entities, flagged_awards, indicators_fired,
                  cast(awarded_value as double) as awarded_value
           from dim_supplier where flagged_awards > 0
           order by flagged_awards desc, indicators_fired desc, awarded_value desc, supplier_key limit ?""",
        [TOP],
    )
    months = _records(
        con,
        """select strftime(date_trunc('month', award_date), '%Y-%m') as month, count(*) as flagged_awards,
                  cast(sum(award_value) as double) as flagged_value
           from fct_contract_risk where run_date = ? and flag_count > 0 and award_date is not null
           group by 1 order by 1""",
        [run_date],
    )
    contracts = _records(
        con,
        """with riskiest as (
               select * from fct_contract_risk where run_date = ? and flag_count > 0
               order by risk_score desc, flag_count desc, award_value desc nulls last, award_key limit ?
           )
           select riskiest.award_key, riskiest.entity_name, riskiest.supplier_name,
                  cast(riskiest.award_date as varchar) as award_date,
                  cast(riskiest.award_value as double) as award_value,
                  round(riskiest.risk_score, 3) as risk_score, riskiest.flag_count, riskiest.secop_url,
                  list({'indicator': flags.indicator_id, 'reason': flags.reason} order by flags.indicator_id)
                      as flags
           from riskiest
           inner join fct_contract_flags flags
               on flags.award_key = riskiest.award_key and flags.run_date = riskiest.run_date
           group by all
           order by risk_score desc, flag_count desc, award_value desc nulls last, award_key""",
        [run_date, max_contracts],
    )
    for contract in contracts:
        contract["secop_url"] = secop_link(contract["secop_url"])
    not_evaluated = [row for row in summary if row["is_evaluated"] is False]
    return ReportData(
        run_date,
        awards,
        flagged,
        float(flagged_value),
        indicators,
        entities,
        suppliers,
        months,
        contracts,
        not_evaluated,
    )
