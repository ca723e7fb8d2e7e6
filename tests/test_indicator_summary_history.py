"""fct_indicator_summary keeps one set of rows per run date: a rerun of a day replaces that day's rows,
the rows of other days stay (delete+insert on indicator_id, run_date).

Fast: no Spark, one dbt run of the summary alone on a small DuckDB whose upstream tables (the catalogue,
statuses, flags, risk rows, delivery units) are written here with the columns the summary reads, beside
a summary table holding an earlier day and an earlier run of the same day. The counts themselves are
the model's unit test (fct_indicator_summary.yml).
"""

from __future__ import annotations

import json

import duckdb

from simulator.dbt_vars import INDICATORS
from tests.conftest import run_dbt

RUN_DATE, EARLIER = "2026-01-15", "2026-01-14"
SUMMARY_COLUMNS = (
    "indicator_id varchar, indicator_group varchar, indicator_name varchar, run_date date, flagged_units bigint,"
    " flagged_awards bigint, flagged_amount decimal(30, 3), flagged_excess_amount decimal(30, 3),"
    " total_awards bigint, unit varchar, is_evaluated boolean, not_evaluated_reason varchar"
)


def write_upstream_and_history(con: duckdb.DuckDBPyConnection) -> None:
    """Today: pep_supplier flags awards A1 and A2 of 3 evaluated awards, barred_fines is not evaluated,
    the other indicators evaluate the 3 awards and flag none. History: every indicator on the earlier
    day, and an earlier run of today whose counts (99) no longer hold."""
    ids = ", ".join(f"('{i}')" for i in INDICATORS)
    con.execute(
        "create table indicators as select indicator_id, 'group' as indicator_group, 'name' as indicator_name,"
        f" 'unit' as unit from (values {ids}) t(indicator_id)"
    )
    con.execute(
        "create table int_indicator_status as select indicator_id, indicator_id <> 'barred_fines' as is_evaluated,"
        " case when indicator_id = 'barred_fines' then 'raw/secop_ii_multas failed' end as not_evaluated_reason"
        " from indicators"
    )
    con.execute(
        "create table fct_contract_flags as select award_key, 'pep_supplier' as indicator_id, 'S1' as unit_key,"
        " cast(1000 as decimal(30, 3)) as award_value, cast(null as decimal(30, 3)) as excess_amount"
        " from (values ('A1'), ('A2')) t(award_key)"
    )
    flags = ", ".join(
        f"cast(null as integer) as flag_{i}"
        if i == "barred_fines"
        else f"cast(award_key in ('A1', 'A2') and '{i}' = 'pep_supplier' as integer) as flag_{i}"
        for i in INDICATORS
    )
    con.execute(
        f"create table fct_contract_risk as select award_key, {flags} from (values ('A1'), ('A2'), ('A3')) t(award_key)"
    )
    con.execute(
        "create table int_units__delivery_noncompliance as select 'A1' as award_key, 'L1' as unit_key where false"
    )
    con.execute(f"create table fct_indicator_summary ({SUMMARY_COLUMNS})")
    for run_date, count in ((EARLIER, 7), (RUN_DATE, 99)):
        con.execute(
            "insert into fct_indicator_summary select indicator_id, indicator_group, indicator_name,"
            f" cast('{run_date}' as date), {count}, {count}, {count}, null, {count}, unit, true, null from indicators"
        )


def test_a_rerun_of_a_day_replaces_its_rows_and_keeps_the_other_days(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        write_upstream_and_history(con)
    (tmp_path / "lake").mkdir()

    output = run_dbt(
        "run",
        "--target",
        "local",
        "--select",
        "fct_indicator_summary",
        "--vars",
        json.dumps({"run_date": RUN_DATE}),
        SECOP_LAKE_URI=str(tmp_path / "lake"),
        SECOP_DUCKDB_PATH=str(warehouse),
        DBT_TARGET_PATH=str(tmp_path / "target"),
        DBT_LOG_PATH=str(tmp_path / "logs"),
    )

    assert "incremental model main.fct_indicator_summary" in output
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.sql(
            "select cast(run_date as varchar), indicator_id, flagged_awards, total_awards, is_evaluated"
            " from fct_indicator_summary"
        ).fetchall()
    earlier = sorted(r for r in rows if r[0] == EARLIER)
    today = {r[1]: r[2:] for r in rows if r[0] == RUN_DATE}
    assert earlier == sorted((EARLIER, i, 7, 7, True) for i in INDICATORS)  # kept as they were
    assert len(rows) == 2 * len(INDICATORS)  # today's earlier rows are gone, not kept beside the new ones
    assert today.pop("pep_supplier") == (2, 3, True)
    assert today.pop("barred_fines") == (None, None, False)
    assert today == {i: (0, 3, True) for i in INDICATORS if i not in ("pep_supplier", "barred_fines")}
