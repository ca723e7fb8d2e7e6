"""The refined zone: the real asset on a small DuckDB warehouse, into a local lake and one on moto S3; the
UNLOAD that Redshift runs instead, checked like the dbt models (tests/redshift_sql.py) and carried out by a
stand-in engine on moto to check the staging and publishing around it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import boto3
import dagster as dg
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration.assets.refined import refined_zone
from orchestration.lake import Lake
from orchestration.refined import (
    REFINED_MARTS,
    UNLOAD_ROLE_VARIABLE,
    refined_select,
    unload_statement,
    write_refined_zone,
)
from orchestration.resources import Warehouse
from simulator.truth import RUN_DATE
from tests.redshift_sql import REDSHIFT_FUNCTIONS, called_functions, constructs_redshift_lacks, parse
from warehouse.reader import DuckDBReader

ROLE = "arn:aws:iam::123456789012:role/secop-redshift-unload"
FIRST, SECOND = date(2026, 1, 15), date(2026, 1, 22)
MART_TABLES = """
create table fct_contract_flags (award_key varchar, indicator_id varchar, evidence varchar, award_date date,
    award_value decimal(30, 3), run_date date);
insert into fct_contract_flags values
    ('A1', 'single_bidder', '{"offers": 1}', '2025-03-01', 1000.5, '2026-01-08'),
    ('A2', 'pep_supplier', '{"post": "Concejal de Chía"}', '2025-04-02', 20.0, '2026-01-15');
create table fct_contract_risk (award_key varchar, entity_name varchar, award_value decimal(30, 3),
    flag_count integer, risk_score double, run_date date);
insert into fct_contract_risk values
    ('A1', 'Alcaldía de O''Higgins', 1000.5, 1, 0.5, '2026-01-08'),
    ('A2', 'Gobernación del Chocó', 20.0, 1, 0.25, '2026-01-15'),
    ('A3', null, null, 0, 0.0, '2026-01-15');
create table fct_indicator_summary (indicator_id varchar, flagged_awards integer, run_date date);
insert into fct_indicator_summary values
    ('single_bidder', 3, '2026-01-08'), ('single_bidder', 1, '2026-01-15'), ('pep_supplier', 1, '2026-01-15');
create table dim_entity (entity_key varchar, entity_name varchar, awards bigint);
insert into dim_entity values ('899999061', 'Alcaldía de Sopó', 2);
create table dim_supplier (supplier_key varchar, supplier_name varchar, awards bigint);
insert into dim_supplier values ('1073312971', 'Natalia Marín Díaz', 1), ('900123456', 'Obras ''El Río'' S.A.S.', 2);
"""


def small_warehouse(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute(MART_TABLES)
    return path


def sql(path: Path, statement: str) -> list[tuple]:
    with duckdb.connect(str(path)) as con:
        return con.execute(statement).fetchall()


def materialize(lake: Lake, warehouse: Path) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [refined_zone],
        resources={"lake": lake, "warehouse": Warehouse(duckdb_path=str(warehouse))},
        raise_on_error=False,
    )


def files(lake: Lake) -> set[str]:
    return set(lake.list("refined/"))


def partition(lake: Lake, mart: str, day: date) -> pa.Table:
    [part] = [f for f in files(lake) if f.startswith(f"refined/{mart}/run_date={day}/")]
    return lake.read_parquet(part)


def expected(warehouse: Path, mart: str, day: date) -> pa.Table:
    """The mart as the partition of `day` should hold it: its own `run_date` left to the path."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = [row[0] for row in con.execute(f"describe {mart}").fetchall()]
        return con.sql(refined_select(mart, columns, day, with_run_date=False)).to_arrow_table()


def assert_partition_is_the_mart(lake: Lake, warehouse: Path, mart: str, day: date) -> None:
    written, wanted = partition(lake, mart, day), expected(warehouse, mart, day)
    assert written.schema.names == wanted.schema.names and "run_date" not in written.schema.names
    assert len(written) == len(wanted)
    order = [(name, "ascending") for name in wanted.schema.names]
    assert written.sort_by(order).to_pylist() == wanted.sort_by(order).to_pylist()


def test_each_build_writes_a_partition_per_mart_and_a_rerun_replaces_only_its_own(lake, tmp_path):
    warehouse = small_warehouse(tmp_path / "warehouse.duckdb")
    result = materialize(lake, warehouse)
    assert result.success
    assert files(lake) == {f"refined/{mart}/run_date={FIRST}/part-00000.parquet" for mart in REFINED_MARTS}
    for mart in REFINED_MARTS:
        assert_partition_is_the_mart(lake, warehouse, mart, FIRST)
    # Every current flag and award, with the date its content was written (an older build's) as
    # flag_run_date and risk_run_date.
    flags = partition(lake, "fct_contract_flags", FIRST).to_pylist()
    assert {(f["award_key"], f["flag_run_date"]) for f in flags} == {("A1", date(2026, 1, 8)), ("A2", FIRST)}
    risk = partition(lake, "fct_contract_risk", FIRST).to_pylist()
    assert [(r["award_key"], r["risk_run_date"]) for r in risk] == [
        ("A1", date(2026, 1, 8)),
        ("A2", FIRST),
        ("A3", FIRST),
    ]
    assert [r["flagged_awards"] for r in partition(lake, "fct_indicator_summary", FIRST).to_pylist()] == [1, 1]
    [event] = result.get_asset_materialization_events()
    metadata = {key: value.value for key, value in event.materialization.metadata.items()}
    assert metadata["run_date"] == str(FIRST) and metadata["fct_contract_risk_rows"] == 3
    assert metadata["fct_indicator_summary_rows"] == 2 and metadata["dim_supplier_rows"] == 2
    assert metadata["dim_entity_path"] == lake.uri_of(f"refined/dim_entity/run_date={FIRST}")
    first_risk = partition(lake, "fct_contract_risk", FIRST)

    # The next build (its date: the indicator summary's): a new partition, the first stays as it was.
    sql(
        warehouse,
        f"update fct_contract_risk set run_date = '{SECOND}' where award_key = 'A2';"
        " delete from fct_contract_risk where award_key = 'A3'",
    )
    sql(warehouse, f"insert into fct_indicator_summary values ('single_bidder', 2, '{SECOND}')")
    assert materialize(lake, warehouse).success
    assert len(files(lake)) == 2 * len(REFINED_MARTS)
    assert partition(lake, "fct_contract_risk", FIRST).equals(first_risk)
    for mart in REFINED_MARTS:
        assert_partition_is_the_mart(lake, warehouse, mart, SECOND)

    # The same run date again, after a flag stopped firing: its partition is replaced.
    sql(warehouse, "delete from fct_contract_flags where award_key = 'A1'")
    assert materialize(lake, warehouse).success
    assert len(files(lake)) == 2 * len(REFINED_MARTS)
    assert [f["award_key"] for f in partition(lake, "fct_contract_flags", SECOND).to_pylist()] == ["A2"]
    assert len(partition(lake, "fct_contract_flags", FIRST)) == 2
    assert partition(lake, "fct_contract_risk", FIRST).equals(first_risk)


def test_a_failed_write_leaves_the_previous_partition(lake, tmp_path):
    warehouse = small_warehouse(tmp_path / "warehouse.duckdb")
    assert materialize(lake, warehouse).success
    before = partition(lake, "dim_supplier", FIRST)
    # dim_supplier now fails while DuckDB writes it (a value that does not cast), after its file was begun.
    sql(warehouse, "alter table dim_supplier rename to supplier_rows")
    sql(
        warehouse,
        "create view dim_supplier as "
        "select supplier_key, supplier_name, cast(supplier_name as integer) as awards from supplier_rows",
    )
    result = materialize(lake, warehouse)
    assert not result.success
    assert partition(lake, "dim_supplier", FIRST).equals(before)
    assert files(lake) == {f"refined/{mart}/run_date={FIRST}/part-00000.parquet" for mart in REFINED_MARTS}
    if lake.is_local:  # no temporary file left behind
        assert [p.name for p in Path(lake.uri).rglob("*") if p.name.startswith(".")] == []


def test_pandas_and_duckdb_read_the_zone_with_its_run_dates(tmp_path):
    lake = Lake(uri=str(tmp_path / "lake"))
    warehouse = small_warehouse(tmp_path / "warehouse.duckdb")
    assert materialize(lake, warehouse).success
    sql(warehouse, f"insert into fct_indicator_summary values ('single_bidder', 2, '{SECOND}')")
    assert materialize(lake, warehouse).success
    import pandas as pd

    frame = pd.read_parquet(tmp_path / "lake" / "refined" / "fct_contract_risk")
    assert sorted(frame["run_date"].astype(str).unique()) == [str(FIRST), str(SECOND)] and len(frame) == 6
    folder = tmp_path / "lake" / "refined" / "fct_contract_risk"
    [(day, rows)] = duckdb.sql(
        f"select max(run_date), count(*) from read_parquet('{folder}/*/*.parquet', hive_partitioning = true) "
        "where entity_name like '%Chocó%'"
    ).fetchall()
    assert (day, rows) == (SECOND, 2)


# -- Redshift: the UNLOAD statement ------------------------------------------------------------------------


def unloads(warehouse: Path, folder: str) -> dict[str, str]:
    """The UNLOAD of every refined mart of the small warehouse, as the redshift target renders it."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = {mart: [row[0] for row in con.execute(f"describe {mart}").fetchall()] for mart in REFINED_MARTS}
    return {
        mart: unload_statement(refined_select(mart, cols, FIRST, True), folder, ROLE) for mart, cols in columns.items()
    }


UNLOAD = re.compile(
    r"unload \('(?P<select>(?:[^']|'')*)'\) to '(?P<folder>[^']*)' iam_role '(?P<role>[^']*)' "
    r"format parquet partition by \(run_date\) parallel off allowoverwrite"
)


def test_the_end_to_end_build_writes_every_mart_to_the_refined_zone(pipeline):
    """The session's whole graph wrote the zone after its build: each partition equals its mart."""
    lake, run_date = Lake(uri=str(pipeline.lake)), date.fromisoformat(RUN_DATE)
    assert files(lake) == {f"refined/{mart}/run_date={run_date}/part-00000.parquet" for mart in REFINED_MARTS}
    for mart in REFINED_MARTS:
        assert_partition_is_the_mart(lake, pipeline.warehouse, mart, run_date)
    [event] = [e for e in pipeline.result.get_asset_materialization_events() if e.asset_key.path == ["refined_zone"]]
    metadata = event.materialization.metadata
    assert (
        metadata["fct_contract_risk_rows"].value
        == sql(pipeline.warehouse, "select count(*) from fct_contract_risk")[0][0]
    )
    assert metadata["fct_contract_flags_rows"].value > 0


def test_the_zone_follows_the_marts_in_every_refresh():
    from orchestration.definitions import defs

    definitions = defs()
    graph = definitions.resolve_asset_graph()
    key = dg.AssetKey("refined_zone")
    assert graph.get(key).parent_keys == {dg.AssetKey(mart) for mart in REFINED_MARTS}
    assert graph.get(key).group_name == "reports"
    for job in ("refresh_all", "refresh_secop_ii_contratos"):
        assert key in definitions.resolve_job_def(job).asset_layer.selected_asset_keys, job
    assert key not in definitions.resolve_job_def("live_alerts").asset_layer.selected_asset_keys


def test_the_unload_statements_are_redshift_sql(tmp_path):
    warehouse = small_warehouse(tmp_path / "warehouse.duckdb")
    for mart, statement in unloads(warehouse, "s3://lake/secop/tmp/refined/x/").items():
        match = UNLOAD.fullmatch(statement)
        assert match, statement
        select = match["select"].replace("''", "'")  # the query, as Redshift reads it from the literal
        parse(select)
        assert called_functions(select) <= REDSHIFT_FUNCTIONS and not constructs_redshift_lacks(select), mart
        assert f"cast('{FIRST}' as date) as run_date from {mart}" in select
        assert select.endswith(f"where run_date = cast('{FIRST}' as date)") == (mart == "fct_indicator_summary")
        renamed = {"fct_contract_flags": "flag_run_date", "fct_contract_risk": "risk_run_date"}.get(mart)
        assert ("run_date as " in select) == bool(renamed) and (not renamed or f"run_date as {renamed}" in select)
        assert (match["folder"], match["role"]) == ("s3://lake/secop/tmp/refined/x/", ROLE)


@pytest.mark.parametrize(
    ("folder", "role"),
    [
        ("s3://lake/x'; drop table fct_contract_risk; --/", ROLE),
        ("/tmp/refined/", ROLE),
        ("s3://lake/no-trailing-slash", ROLE),
        ("s3://lake/x/", "arn:aws:iam::123456789012:role/x' iam_role 'y"),
        ("s3://lake/x/", "secop-redshift-unload"),
    ],
)
def test_an_unload_goes_only_to_an_s3_folder_with_a_role_arn(folder, role):
    with pytest.raises(ValueError):
        unload_statement("select 1 as run_date", folder, role)


def test_the_role_comes_from_its_variable_checked_before_anything_is_written(monkeypatch, tmp_path):
    reader = DuckDBReader(str(small_warehouse(tmp_path / "warehouse.duckdb")))
    reader.dialect = "redshift"
    lake = Lake(uri=str(tmp_path / "lake"))
    for value in (None, "", "arn:aws:iam::123:role/short-account"):
        monkeypatch.delenv(UNLOAD_ROLE_VARIABLE, raising=False) if value is None else monkeypatch.setenv(
            UNLOAD_ROLE_VARIABLE, value
        )
        with pytest.raises(ValueError, match=UNLOAD_ROLE_VARIABLE):
            write_refined_zone(reader, lake)
    monkeypatch.setenv(UNLOAD_ROLE_VARIABLE, ROLE)
    with pytest.raises(ValueError, match="s3://"):  # UNLOAD writes to S3 only
        write_refined_zone(reader, lake)
    assert files(lake) == set()
    reader.close()


class UnloadOnMoto(DuckDBReader):
    """A stand-in for Redshift (none runs here): reads like the DuckDB reader, and carries out the UNLOAD
    statement it is given as Redshift would, writing the query's rows by run date into the S3 folder the
    statement names (moto), `run_date` left to the path. It checks the statement's form, not Redshift."""

    dialect = "redshift"

    def __init__(self, path: str, endpoint: str) -> None:
        super().__init__(path)
        self.s3 = boto3.client("s3", endpoint_url=endpoint)
        self.statements: list[str] = []
        self.fail_after_writing = False  # a cluster that dies mid-UNLOAD: some files written, then an error

    def execute(self, sql: str) -> None:
        match = UNLOAD.fullmatch(sql)
        assert match and match["role"] == ROLE, sql
        self.statements.append(sql)
        bucket, _, prefix = match["folder"].removeprefix("s3://").partition("/")
        table = pa.Table.from_pylist(self.rows(match["select"].replace("''", "'")))
        for day in sorted(set(table.column("run_date").to_pylist())):
            rows = table.filter(pa.compute.equal(table["run_date"], pa.scalar(day))).drop_columns(["run_date"])
            sink = pa.BufferOutputStream()
            pq.write_table(rows, sink)
            key = f"{prefix}run_date={day}/0000_part_00.parquet"
            self.s3.put_object(Bucket=bucket, Key=key, Body=sink.getvalue().to_pybytes())
        if self.fail_after_writing:
            raise RuntimeError("the UNLOAD failed")


def test_on_redshift_the_unloaded_files_are_published_and_the_staging_removed(monkeypatch, moto_s3, tmp_path):
    monkeypatch.setenv(UNLOAD_ROLE_VARIABLE, ROLE)
    warehouse = small_warehouse(tmp_path / "warehouse.duckdb")
    lake = Lake(uri=f"s3://lake/{tmp_path.name}/secop", s3_endpoint_url=moto_s3)
    reader = UnloadOnMoto(str(warehouse), moto_s3)
    run_date, written = write_refined_zone(reader, lake)
    assert run_date == FIRST and len(reader.statements) == len(REFINED_MARTS)
    assert all(f"to '{lake.uri_of('tmp/refined/')}" in statement for statement in reader.statements)
    assert set(lake.list("")) == {f"refined/{mart}/run_date={FIRST}/part-00000.parquet" for mart in REFINED_MARTS}
    assert [m.rows for m in written] == [2, 3, 2, 1, 2]
    for mart in REFINED_MARTS:
        assert_partition_is_the_mart(lake, warehouse, mart, FIRST)
    # An UNLOAD that fails after writing some files: the previous partition stays, the staging is emptied.
    before = partition(lake, "fct_contract_flags", FIRST)
    reader.close()  # the file is released for the change below
    sql(warehouse, "delete from fct_contract_flags where award_key = 'A1'")
    reader.fail_after_writing = True
    with pytest.raises(RuntimeError, match="UNLOAD failed"):
        write_refined_zone(reader, lake)
    reader.close()
    assert partition(lake, "fct_contract_flags", FIRST).equals(before)
    assert set(lake.list("")) == {f"refined/{mart}/run_date={FIRST}/part-00000.parquet" for mart in REFINED_MARTS}
