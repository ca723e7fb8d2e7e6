"""The one warehouse reader: DuckDB read-only (released when idle, so a build can write), Redshift's errors."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from warehouse.reader import (
    DuckDBReader,
    RedshiftReader,
    RedshiftSettings,
    WarehouseUnavailable,
    open_reader,
)


@pytest.fixture
def warehouse(tmp_path: Path) -> str:
    path = str(tmp_path / "warehouse.duckdb")
    with duckdb.connect(path) as con:
        con.execute("create table marts as select range as n, 'row ' || range as label from range(2500)")
    return path


def test_rows_bind_every_value_as_a_parameter(warehouse: str) -> None:
    reader = DuckDBReader(warehouse)
    hostile = "x' or '1'='1"
    assert reader.rows("select count(*) as rows from marts where label = ?", [hostile]) == [{"rows": 0}]
    assert reader.rows("select n, label from marts where n between ? and ? order by n", [3, 4]) == [
        {"n": 3, "label": "row 3"},
        {"n": 4, "label": "row 4"},
    ]
    reader.close()


def test_batches_stream_every_row_once_in_bounded_batches(warehouse: str) -> None:
    reader = DuckDBReader(warehouse)
    with reader.batches("select n from marts order by n", size=1000) as batches:
        sizes = []
        seen = []
        for batch in batches.rows:
            sizes.append(len(batch))
            seen += [row[0] for row in batch]
    assert batches.columns == ["n"]
    assert sizes == [1000, 1000, 500]
    assert seen == list(range(2500))
    reader.close()


def test_arrow_copies_a_whole_result_with_its_types(warehouse: str) -> None:
    reader = DuckDBReader(warehouse)
    table = reader.arrow("select n, label from marts where n < ? order by n", [3])
    assert table.to_pylist() == [{"n": n, "label": f"row {n}"} for n in range(3)]
    assert str(table.schema.field("label").type) == "string"
    reader.close()


def _write_from_another_process(path: str) -> subprocess.CompletedProcess:
    """What a build does: open the file for writing from its own process (DuckDB locks files per process)."""
    code = "import duckdb, sys; duckdb.connect(sys.argv[1]).execute(\"insert into marts values (2500, 'build')\")"
    return subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True, timeout=60)


def test_the_file_is_released_when_queries_stop_so_a_build_can_write(warehouse: str) -> None:
    reader = DuckDBReader(warehouse, keep_open_seconds=3)
    reader.rows("select 1 as one")
    held = _write_from_another_process(warehouse)  # while queries come, the file is open: a writer waits
    assert held.returncode != 0 and "lock" in held.stderr.lower()
    time.sleep(3.5)
    released = _write_from_another_process(warehouse)
    assert released.returncode == 0, released.stderr
    assert reader.rows("select label from marts where n = ?", [2500]) == [{"label": "build"}]
    reader.close()


def test_concurrent_queries_share_one_open_file(warehouse: str) -> None:
    reader = DuckDBReader(warehouse)
    results: list[int] = []
    errors: list[BaseException] = []

    def query(n: int) -> None:
        try:
            results.append(reader.rows("select count(*) as c from marts where n >= ?", [n])[0]["c"])
        except BaseException as error:  # noqa: BLE001  (reported below)
            errors.append(error)

    threads = [threading.Thread(target=query, args=(n,)) for n in range(0, 2000, 100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert sorted(results) == sorted(2500 - n for n in range(0, 2000, 100))
    reader.close()


def test_a_mart_the_build_did_not_make_is_a_clear_error(warehouse: str) -> None:
    reader = DuckDBReader(warehouse)
    with pytest.raises(WarehouseUnavailable, match=f"{warehouse} lacks what a query reads.*fct_flag_details"):
        reader.rows("select * from fct_flag_details")
    assert reader.rows("select count(*) as n from marts") == [{"n": 2500}]  # the reader still works
    reader.close()


def test_a_missing_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WarehouseUnavailable, match="cannot be read"):
        DuckDBReader(str(tmp_path / "absent.duckdb")).rows("select 1")


def test_redshift_errors_name_the_host_never_the_credentials() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = RedshiftSettings("127.0.0.1", port, "auditor", "s3cr3t-pass", "dev", "secop", timeout_seconds=2)
    reader = RedshiftReader(settings)
    with pytest.raises(WarehouseUnavailable) as raised:
        reader.rows("select 1")
    assert "127.0.0.1" in str(raised.value)
    assert "s3cr3t-pass" not in str(raised.value) and "auditor" not in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [("REDSHIFT_SCHEMA", "secop; drop table x", "REDSHIFT_SCHEMA"), ("REDSHIFT_PORT", "5439x", "REDSHIFT_PORT")],
)
def test_redshift_settings_refuse_values_that_would_reach_sql(monkeypatch, variable, value, message) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=message):
        RedshiftSettings.from_env()


def test_the_target_chooses_the_engine(monkeypatch, warehouse: str) -> None:
    monkeypatch.setenv("REDSHIFT_SCHEMA", "secop")
    assert open_reader("local", warehouse).dialect == "duckdb"
    assert open_reader("redshift", warehouse).dialect == "redshift"
    with pytest.raises(ValueError, match="DBT_TARGET"):
        open_reader("snowflake", warehouse)
