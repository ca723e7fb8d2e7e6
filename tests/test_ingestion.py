"""Ingestion against the replay server over real HTTP: paging, retries, increments, crash recovery."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from catalogue import PACO_RESPONSABILIDAD_FISCAL, SECOP_II_PROCESOS
from orchestration.assets.raw import build_raw_asset
from orchestration.http import PortalError, PullStats
from orchestration.ingest import ingest_file_source, ingest_source
from orchestration.lake import Lake, LogEntry
from orchestration.paco import PacoFiles, read_delimited
from orchestration.socrata import SocrataClient, keyset_where
from simulator.generator import generate_processes
from simulator.replay.dataset import ReplayDataset
from simulator.replay.server import FaultConfig, ReplayServer

SOURCE = SECOP_II_PROCESOS
REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def processes_file(tmp_path_factory):
    return generate_processes(1_000, tmp_path_factory.mktemp("gen"), seed=3).path


def committed_rows(lake: Lake) -> pa.Table:
    files = [e.file for e in lake.committed(SOURCE.name)]
    return pa.concat_tables(lake.read_parquet(f, columns=["_row_id", "_source_updated_at"]) for f in files)


def client(url: str, **kwargs) -> SocrataClient:
    return SocrataClient(base_url=url, **{"page_size": 150, "backoff_seconds": 0.01, **kwargs})


def test_keyset_where():
    assert keyset_where(None, None) is None
    assert keyset_where("2024-01-01T00:00:00.000Z", None) == ":updated_at >= '2024-01-01T00:00:00.000Z'"
    assert keyset_where(None, ("T", "row-'1")) == "(:updated_at > 'T' OR (:updated_at = 'T' AND :id > 'row-''1'))"


def test_full_pull_gets_every_row_once(lake, processes_file):
    with ReplayServer([ReplayDataset.from_file(processes_file)]) as server:
        result = ingest_source(SOURCE, client(server.url), lake, rows_per_file=400)
    table = committed_rows(lake)
    assert result.rows == table.num_rows == 1_000
    assert pc.count_distinct(table.column("_row_id")).as_py() == 1_000
    assert result.stats.pages == 7 and len(result.files) == 3
    assert result.watermark_after == pc.max(table.column("_source_updated_at")).as_py()
    raw = lake.read_parquet(result.files[0].relpath)
    assert all(pa.types.is_string(field.type) for field in raw.schema)
    assert raw.column("urlproceso")[0].as_py().startswith('{"url":')


def test_retries_through_throttling_errors_and_truncated_bodies(tmp_path, processes_file):
    faults = FaultConfig(error_rate=0.2, throttle_rate=0.2, truncate_rate=0.2, seed=11)
    with ReplayServer([ReplayDataset.from_file(processes_file)], faults=faults) as server:
        result = ingest_source(SOURCE, client(server.url, max_retries=30), Lake(uri=str(tmp_path)))
    assert result.rows == 1_000 and result.stats.retries > 0


def test_gives_up_with_a_clear_error(tmp_path, processes_file):
    with ReplayServer([ReplayDataset.from_file(processes_file)], faults=FaultConfig(error_rate=1.0)) as server:
        with pytest.raises(PortalError, match="after 3 attempts"):
            list(client(server.url, max_retries=2).pages(SOURCE.dataset_id, None, PullStats()))


def test_incremental_pull_moves_only_the_change(lake, processes_file):
    dataset = ReplayDataset.from_file(processes_file)
    with ReplayServer([dataset]) as server:
        first = ingest_source(SOURCE, client(server.url), lake)
        ids = committed_rows(lake).column("_row_id").to_pylist()
        changed = dataset.upsert(
            [{"id_del_proceso": f"CO1.REQ.9{i}", "adjudicado": "Si"} for i in range(10)], ids[::100]
        )
        added = dataset.upsert([{"id_del_proceso": "CO1.REQ.777"}, {"id_del_proceso": "CO1.REQ.778"}])
        second = ingest_source(SOURCE, client(server.url), lake)
        requests_before = server.requests_served
        third = ingest_source(SOURCE, client(server.url), lake)
        assert server.requests_served - requests_before == 1  # an unchanged dataset: metadata only
    assert first.rows == first.rows_new == 1_000 and third.rows == 0 and third.unchanged
    # 1% of rows updated plus two new ones: only those are fetched (and the one row at the watermark).
    assert second.rows == 12 and (second.rows_updated, second.rows_new) == (10, 2)
    assert second.stats.rows - second.skipped_duplicates == 12 and second.skipped_duplicates <= 1
    assert second.watermark_before == first.watermark_after < second.watermark_after
    pairs = committed_rows(lake)
    new_ids = set(
        pairs.filter(pc.greater(pairs.column("_source_updated_at"), first.watermark_after))
        .column("_row_id")
        .to_pylist()
    )
    assert new_ids == set(changed) | set(added)
    # The lake holds every served version exactly once: 1,000 originals, 10 updates, 2 new rows.
    versions = set(
        zip(pairs.column("_row_id").to_pylist(), pairs.column("_source_updated_at").to_pylist(), strict=True)
    )
    assert len(versions) == pairs.num_rows == 1_012


def lake_content(lake: Lake) -> pa.Table:
    """Every committed row, without the per-run columns, in a stable order."""
    files = [e.file for e in lake.committed(SOURCE.name)]
    table = pa.concat_tables(lake.read_parquet(f) for f in files).drop_columns(["_batch_id", "_ingested_at"])
    return table.sort_by([("_row_id", "ascending"), ("_source_updated_at", "ascending")])


def test_faults_do_not_change_what_lands(tmp_path, processes_file):
    dataset = ReplayDataset.from_file(processes_file)
    clean, faulty = Lake(uri=str(tmp_path / "clean")), Lake(uri=str(tmp_path / "faulty"))
    with ReplayServer([dataset]) as server:
        ingest_source(SOURCE, client(server.url), clean)
    # 10% of requests fail: throttled (429 + Retry-After), 5xx, truncated bodies, dropped connections.
    faults = FaultConfig(error_rate=0.03, throttle_rate=0.03, truncate_rate=0.02, drop_rate=0.02, seed=5, retry_after=0)
    with ReplayServer([dataset], faults=faults) as server:
        result = ingest_source(SOURCE, client(server.url, page_size=50, max_retries=10), faulty)
    assert result.stats.retries > 0
    assert lake_content(faulty).equals(lake_content(clean))


def test_bad_token_and_unknown_dataset_fail_with_clear_errors(tmp_path, processes_file):
    lake = Lake(uri=str(tmp_path / "lake"))
    with ReplayServer([ReplayDataset.from_file(processes_file)], app_tokens=frozenset({"good-token"})) as server:
        with pytest.raises(PortalError, match="403.*Invalid app_token.*SECOP_APP_TOKEN") as refused:
            ingest_source(SOURCE, client(server.url, app_token="secret-bad-token"), lake)
        assert "secret-bad-token" not in str(refused.value)
        with pytest.raises(PortalError, match="nope-0000.*404"):
            ingest_source(replace(SOURCE, default_id="nope-0000"), client(server.url), lake)
        assert ingest_source(SOURCE, client(server.url, app_token="good-token"), lake).rows == 1_000


def test_schema_drift_is_kept_and_reported(tmp_path, processes_file):
    """Upstream adds `nuevo_campo` and stops publishing `estado_resumen`: the row lands whole, both are said."""
    drifted = tmp_path / "zzzz-0000.parquet"
    table = pq.read_table(processes_file).drop_columns(["estado_resumen"])
    pq.write_table(table.append_column("nuevo_campo", pa.array(["x"] * table.num_rows)), drifted)
    source = replace(SOURCE, default_id="zzzz-0000")  # served without the catalogue's column list
    with ReplayServer([ReplayDataset.from_file(drifted)]) as server:
        resources = {
            "socrata": client(server.url),
            "paco": PacoFiles(base_url=server.url),
            "lake": Lake(uri=str(tmp_path / "lake")),
        }
        result = dg.materialize([build_raw_asset(source)], resources=resources)
    [event] = result.get_asset_materialization_events()
    metadata = {k: v.value for k, v in event.materialization.metadata.items()}
    assert metadata["new_columns"] == ["nuevo_campo"] and metadata["missing_columns"] == ["estado_resumen"]
    checks = {c.check_name: c for c in result.get_asset_check_evaluations()}
    assert checks["source_available"].passed and checks["source_fresh"].passed
    drift = checks["expected_columns_published"]
    assert not drift.passed and drift.severity == dg.AssetCheckSeverity.WARN  # no indicator needs estado_resumen
    [entry] = resources["lake"].committed(SOURCE.name)
    assert set(resources["lake"].read_parquet(entry.file).column("nuevo_campo").to_pylist()) == {"x"}


KILLED_PULL = """
import sys
from catalogue import PACO_RESPONSABILIDAD_FISCAL, SECOP_II_PROCESOS
from orchestration.ingest import ingest_file_source, ingest_source
from orchestration.lake import Lake
from orchestration.socrata import SocrataClient

url, uri, endpoint = sys.argv[1:4]
lake = Lake(uri=uri, s3_endpoint_url=endpoint or None)
ingest_source(SECOP_II_PROCESOS, SocrataClient(base_url=url, page_size=100), lake, rows_per_file=100)
"""


def test_a_run_killed_mid_pull_leaves_nothing_visible_and_the_rerun_is_exact(lake, processes_file):
    dataset = ReplayDataset.from_file(processes_file)
    with ReplayServer([dataset], faults=FaultConfig(delay_seconds=0.3)) as server:
        args = [server.url, lake.uri, lake.s3_endpoint_url or ""]
        child = subprocess.Popen([sys.executable, "-c", KILLED_PULL, *args], cwd=REPO_ROOT)
        try:
            deadline = time.monotonic() + 60
            while len(lake.log(SOURCE.name)) < 2 and time.monotonic() < deadline and child.poll() is None:
                time.sleep(0.1)
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
        written = [e for e in lake.log(SOURCE.name) if e.status == "written"]
        assert len(written) >= 2 and not lake.committed(SOURCE.name) and lake.watermark(SOURCE.name) is None
        result = ingest_source(SOURCE, client(server.url), lake)
        served = {row[":id"] for page in client(server.url).pages(SOURCE.dataset_id, None, PullStats()) for row in page}
    assert result.aborted_batches == sorted({e.batch_id for e in written})
    assert not any(lake.exists(e.file) for e in written)
    table = committed_rows(lake)
    assert table.num_rows == pc.count_distinct(table.column("_row_id")).as_py() == 1_000
    assert set(table.column("_row_id").to_pylist()) == served


def test_the_log_reads_each_part_once_and_sees_every_new_one(tmp_path, monkeypatch):
    lake = Lake(uri=str(tmp_path))
    entry = LogEntry("s", "b1", "raw/s/batch=b1/part-00000.parquet", 5, "x", "a", "b", "written", datetime.now(UTC))
    lake.append_log([entry])
    reads: list[str] = []
    read = Lake.read_parquet
    monkeypatch.setattr(Lake, "read_parquet", lambda self, path, **kw: reads.append(path) or read(self, path, **kw))
    assert [e.status for e in lake.log()] == ["written"]
    lake.append_log([replace(entry, status="committed")])
    assert [e.status for e in lake.log()] == ["committed"] == [e.status for e in lake.log("s")]
    assert len(reads) == len(set(reads)) == 2  # two parts, each read once


def test_lake_uri_must_be_local_or_s3():
    with pytest.raises(ValueError, match="expected a local path"):
        Lake(uri="gs://bucket/lake").exists("x")


def test_local_spark_refuses_an_s3_lake(moto_s3):
    import dagster as dg

    from orchestration.assets.trusted import trusted_assets
    from orchestration.spark import LocalSparkRunner

    lake = Lake(uri="s3://lake/refuse", s3_endpoint_url=moto_s3)
    with pytest.raises(dg.Failure, match="SECOP_SPARK=emr"):
        dg.materialize(trusted_assets, resources={"lake": lake, "spark": LocalSparkRunner()})


FISCAL = PACO_RESPONSABILIDAD_FISCAL


def write_bulletin(path: Path, rows: list[list[str]], modified: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([[c.display_name for c in FISCAL.columns], *rows])
    os.utime(path, (modified, modified))


def bulletin_row(number: int) -> list[str]:
    return [f"PERSONA {number}", f"CC {10_000_000 + number}", "MUNICIPIO DE X", "I", "1", "CGR", "ANTIOQUIA", ""]


def test_a_paco_file_lands_as_snapshots(lake, tmp_path):
    folder = tmp_path / "paco"
    folder.mkdir()
    rows = [bulletin_row(i) for i in range(300)] + [bulletin_row(0)]  # a repeated line is kept, not merged
    write_bulletin(folder / FISCAL.dataset_id, rows, modified=1_700_000_000)
    faults = FaultConfig(truncate_rate=0.3, drop_rate=0.3, seed=2)
    with ReplayServer([], files_dir=folder, faults=faults) as server:
        paco = PacoFiles(base_url=server.paco_url, backoff_seconds=0.01, max_retries=20)
        first = ingest_file_source(FISCAL, paco, lake, rows_per_file=100)
        before = server.requests_served
        unchanged = ingest_file_source(FISCAL, paco, lake)
        assert server.requests_served - before == 1 and unchanged.unchanged and unchanged.rows == 0  # one HEAD
        write_bulletin(folder / FISCAL.dataset_id, [*rows[1:], bulletin_row(999)], modified=1_700_086_400)
        second = ingest_file_source(FISCAL, paco, lake)
    assert (first.rows, first.rows_new, len(first.files)) == (301, 301, 4) and not first.missing_columns
    assert (second.rows, second.rows_new, second.rows_removed) == (301, 1, 1)
    assert (first.watermark_after, second.watermark_after) == ("2023-11-14T22:13:20.000Z", "2023-11-15T22:13:20.000Z")
    table = pa.concat_tables(lake.read_parquet(e.file) for e in lake.committed(FISCAL.name))
    assert table.num_rows == 602 and pc.count_distinct(table.column("_row_id")).as_py() == 302
    assert set(table.column("tipo_y_num_docuemento").to_pylist()) >= {"CC 10000000", "CC 10000999"}
    assert table.column("municipio").null_count == 602  # empty fields are nulls, as Socrata omits them


def test_read_delimited_sniffs_latin1_semicolons_and_refuses_a_binary_workbook(tmp_path):
    latin = tmp_path / "boletin.csv"
    latin.write_bytes("Responsable Fiscal;TR\nJOSÉ PEÑA;I\n".encode("latin-1"))
    header, rows = read_delimited(latin, "paco_responsabilidad_fiscal")
    assert header == ["Responsable Fiscal", "TR"] and list(rows) == [["JOSÉ PEÑA", "I"]]
    workbook = tmp_path / "MD-2000-2011.xls"
    workbook.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    with pytest.raises(ValueError, match="paco_obras_inconclusas: MD-2000-2011.xls is a binary Excel workbook"):
        read_delimited(workbook, "paco_obras_inconclusas")
