"""What the risk report shows, read from the warehouse marts (DuckDB) of one run date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

REPORT_MARTS = ("fct_indicator_summary", "fct_contract_risk", "fct_contract_flags", "dim_entity", "dim_supplier")
MAX_CONTRACTS = 5_000  # the riskiest flagged contracts listed; the others stay in fct_contract_risk
TOP = 15  # entities and suppliers shown


@dataclass(frozen=True)
class ReportData:
    run_date: date
    awards: int  # every award evaluated
    flagged_awards: int  # awards with at least one flag
    flagged_value: float  # their award values, each counted once
    indicators: list[dict]  # one per indicator: id, name, group, unit, flagged, amount, evaluated, share
    entities: list[dict]  # the entities with the most flagged value
    suppliers: list[dict]  # the suppliers with the most flagged awards
    months: list[dict]  # per award month: flagged awards and their value
    contracts: list[dict]  # the riskiest flagged contracts, each with its flags and reasons

    @property
    def listed_all(self) -> bool:
        return len(self.contracts) == self.flagged_awards


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
    indicators = _records(
        con,
        """select indicator_id, indicator_name, indicator_group, unit, flagged_awards, flagged_units,
                  cast(flagged_amount as double) as flagged_amount, total_awards,
                  flagged_awards / nullif(total_awards, 0) as share
           from fct_indicator_summary where run_date = ? order by flagged_awards desc, indicator_id""",
        [run_date],
    )
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
    return ReportData(
        run_date, awards, flagged, float(flagged_value), indicators, entities, suppliers, months, contracts
    )
