"""The oracle: the rules of the warehouse run in DuckDB on the generated files."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from simulator.dbt_vars import INDICATORS, dbt_vars
from simulator.truth.load import raw_tables
from simulator.truth.rules import DEFAULT_RULES, RULES, UNIVERSES, Rules, rule_parameters
from simulator.truth.sql import sql_list
from simulator.truth.staging import STAGED, macros

# The award sources each indicator evaluates (var `indicators`, `award_sources`; dbt macro evaluated_awards).
AWARD_SOURCES = {i: sql_list(spec["award_sources"]) for i, spec in dbt_vars()["indicators"].items()}


@dataclass(frozen=True)
class Findings:
    """What the rules find on the generated files: every award's value, the awards each indicator evaluated,
    and each flag's columns (RULES: unit_key, match_method, excess_amount where the indicator has one, figures)."""

    award_values: dict[str, Decimal | None]
    universes: dict[str, frozenset[str]]
    flags: dict[str, dict[str, dict[str, Any]]]  # indicator -> award_key -> column -> value


def evaluating(con: duckdb.DuckDBPyConnection, indicator: str) -> duckdb.DuckDBPyConnection:
    """`con` with the view `awards` holding the awards of `all_awards` whose source `indicator` evaluates."""
    con.execute(
        f"create or replace view awards as select * from all_awards where award_source in ({AWARD_SOURCES[indicator]})"
    )
    return con


def connect(out_dir: Path, rules: Rules, processes_path: Path | None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the staged tables of the generated files (`all_awards`: int_awards) and the
    universe of each indicator that evaluates fewer awards (`universe__<id>`)."""
    con = duckdb.connect()
    for name, table in raw_tables(Path(out_dir), processes_path).items():
        con.register(name, table)
    con.execute(macros(int(rules.run_date[:4])))
    con.execute(STAGED)
    params = rule_parameters(rules)
    for indicator, universe in UNIVERSES.items():
        evaluating(con, indicator).execute(
            f"create or replace table universe__{indicator} as {universe.format(**params)}"
        )
    return con


def award_universe(out_dir: Path, processes_path: Path | None = None) -> pa.Table:
    """The award universe (int_awards) of the generated files: award_key, contract_id, entity_key,
    supplier_key, award_date, award_value, modality (folded) and the process fields the rules read."""
    with connect(out_dir, DEFAULT_RULES, processes_path) as con:
        return con.sql("select * from all_awards order by award_key").to_arrow_table()


def compute_findings(out_dir: Path, rules: Rules = DEFAULT_RULES, processes_path: Path | None = None) -> Findings:
    """The Findings of the rules on the files generated under `out_dir` (the processes file: `processes_path`,
    default `out_dir/p6dx-8zbt.parquet`)."""
    params = rule_parameters(rules)
    with connect(out_dir, rules, processes_path) as con:
        award_values = dict(con.execute("select award_key, award_value from all_awards").fetchall())
        everything = frozenset(award_values)
        universes, flags = {}, {}
        for indicator in INDICATORS:
            universes[indicator] = (
                frozenset(k for (k,) in con.execute(f"select award_key from universe__{indicator}").fetchall())
                if indicator in UNIVERSES
                else everything
            )
            cursor = evaluating(con, indicator).execute(RULES[indicator].format(**params))
            columns = [d[0] for d in cursor.description]
            flags[indicator] = {row[0]: dict(zip(columns[1:], row[1:], strict=True)) for row in cursor.fetchall()}
    return Findings(award_values, universes, flags)


def compute_flags(
    out_dir: Path, rules: Rules = DEFAULT_RULES, processes_path: Path | None = None
) -> dict[str, frozenset[str]]:
    """{indicator_id: award keys its rule flags} on the files generated under `out_dir` (the processes
    file: `processes_path`, default `out_dir/p6dx-8zbt.parquet`)."""
    flags = compute_findings(out_dir, rules, processes_path).flags
    return {indicator: frozenset(flags[indicator]) for indicator in INDICATORS}
