"""Ingestion against the replay server over real HTTP: paging, retries, increments, crash recovery."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from orchestration.catalogue import SECOP_II_PROCESOS
from orchestration.ingest import ingest_source
from orchestration.lake import Lake
from orchestration.socrata import PullStats, SocrataClient, SocrataError, keyset_where
from simulator.generator import generate_processes
from simulator.replay_server import FaultConfig, ReplayDataset, ReplayServer

SOURCE = SECOP_II_PROCESOS


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
        with pytest.raises(SocrataError, match="after 3 attempts"):
            list(client(server.url, max_retries=2).pages(SOURCE.dataset_id, None, PullStats()))


def test_incremental_pull_moves_only_the_change(lake, processes_file):
    dataset = ReplayDataset.from_file(processes_file)
    with ReplayServer([dataset]) as server:
        first = ingest_source(SOURCE, client(server.url), lake)
        ids = committed_rows(lake).column("_row_id").to_pylist()[:3]
        changed = dataset.upsert([{"id_del_proceso": f"CO1.REQ.9{i}", "adjudicado": "Si"} for i in range(3)], ids)
        added = dataset.upsert([{"id_del_proceso": "CO1.REQ.777"}, {"id_del_proceso": "CO1.REQ.778"}])
        second = ingest_source(SOURCE, client(server.url), lake)
        requests_before = server.requests_served
        third = ingest_source(SOURCE, client(server.url), lake)
        assert server.requests_served - requests_before == 1  # an unchanged dataset: metadata only
    assert first.rows == 1_000 and second.rows == 5 and third.rows == 0 and third.unchanged
    assert second.watermark_before == first.watermark_after < second.watermark_after
    pairs = committed_rows(lake)
    new_ids = set(
        pairs.filter(pc.greater(pairs.column("_source_updated_at"), first.watermark_after))
        .column("_row_id")
        .to_pylist()
    )
    assert new_ids == set(changed) | set(added)


class CrashingClient(SocrataClient):
    """Dies after a few pages, like a killed run."""

    crash_after_pages: int = 3

    def pages(self, dataset_id, since, stats):
        for number, page in enumerate(super().pages(dataset_id, since, stats)):
            if number == self.crash_after_pages:
                raise RuntimeError("killed")
            yield page


def test_a_crashed_run_leaves_nothing_visible_and_the_rerun_is_exact(lake, processes_file):
    with ReplayServer([ReplayDataset.from_file(processes_file)]) as server:
        with pytest.raises(RuntimeError, match="killed"):
            ingest_source(SOURCE, CrashingClient(base_url=server.url, page_size=150), lake, rows_per_file=100)
        written = [e for e in lake.log(SOURCE.name) if e.status == "written"]
        assert written and not lake.committed(SOURCE.name) and lake.watermark(SOURCE.name) is None
        result = ingest_source(SOURCE, client(server.url), lake)
    assert sorted(result.aborted_batches) == sorted({e.batch_id for e in written})
    assert not any(lake.exists(e.file) for e in written)
    table = committed_rows(lake)
    assert table.num_rows == pc.count_distinct(table.column("_row_id")).as_py() == 1_000


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
