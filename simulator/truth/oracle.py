"""The oracle: the rules of the warehouse run in DuckDB on the generated files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from simulator.dbt_vars import INDICATORS
from simulator.truth.load import raw_tables
from simulator.truth.rules import DEFAULT_RULES, RULES, Rules, rule_parameters
from simulator.truth.staging import STAGED, macros


def connect(out_dir: Path, rules: Rules, processes_path: Path | None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the staged tables of the generated files (`awards`: int_awards)."""
    con = duckdb.connect()
    for name, table in raw_tables(Path(out_dir), processes_path).items():
        con.register(name, table)
    con.execute(macros(int(rules.run_date[:4])))
    con.execute(STAGED)
    return con


def award_universe(out_dir: Path, processes_path: Path | None = None) -> pa.Table:
    """The award universe (int_awards) of the generated files: award_key, contract_id, entity_key,
    supplier_key, award_date, award_value, modality (folded) and the process fields the rules read."""
    with connect(out_dir, DEFAULT_RULES, processes_path) as con:
        return con.sql("select * from awards order by award_key").to_arrow_table()


def compute_flags(
    out_dir: Path, rules: Rules = DEFAULT_RULES, processes_path: Path | None = None
) -> dict[str, frozenset[str]]:
    """{indicator_id: award keys its rule flags} on the files generated under `out_dir` (the processes
    file: `processes_path`, default `out_dir/p6dx-8zbt.parquet`)."""
    params = rule_parameters(rules)
    with connect(out_dir, rules, processes_path) as con:
        return {
            indicator: frozenset(r[0] for r in con.execute(RULES[indicator].format(**params)).fetchall())
            for indicator in INDICATORS
        }
