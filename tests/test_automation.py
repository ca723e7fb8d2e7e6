"""The weekly schedule and the sensor on Socrata metadata (against the replay server)."""

import json
import os

import dagster as dg
import pytest

from catalogue import PACO_RESPONSABILIDAD_FISCAL, SECOP_II_PROCESOS
from orchestration.automation import has_changed, socrata_updates, watermark_epoch, weekly_refresh
from orchestration.ingest import ingest_source
from orchestration.lake import Lake
from orchestration.paco import PacoFiles
from orchestration.socrata import SocrataClient
from simulator.generator import generate_processes
from simulator.replay.dataset import ReplayDataset
from simulator.replay.server import ReplayServer

DATASET = SECOP_II_PROCESOS.dataset_id


def test_weekly_refresh_runs_on_sunday_mornings_in_bogota():
    assert weekly_refresh.cron_schedule == "0 3 * * 0"
    assert weekly_refresh.execution_timezone == "America/Bogota"


@pytest.mark.parametrize(
    ("updated", "seen", "committed", "changed"),
    [(100, None, None, True), (100, 100, None, False), (101, 100, 90, True), (100, None, 100, False)],
)
def test_has_changed(updated, seen, committed, changed):
    assert has_changed(updated, seen, committed) is changed


def test_watermark_epoch():
    assert watermark_epoch("1970-01-01T00:01:40.999Z") == 100 and watermark_epoch(None) is None


def tick(url: str, lake: Lake, cursor: str | None) -> dg.SensorResult:
    resources = {
        "socrata": SocrataClient(base_url=url),
        "paco": PacoFiles(base_url=f"{url}/paco-pulic-info"),
        "lake": lake,
    }
    context = dg.build_sensor_context(cursor=cursor, resources=resources)
    return socrata_updates(context)


def test_sensor_requests_a_run_only_when_the_dataset_changed(tmp_path):
    dataset = ReplayDataset.from_file(generate_processes(1_000, tmp_path / "gen", seed=5).path)
    lake = Lake(uri=str(tmp_path / "lake"))
    with ReplayServer([dataset]) as server:
        first = tick(server.url, lake, None)  # never ingested
        [request] = first.run_requests
        assert request.job_name == "refresh_secop_ii_procesos"
        assert request.run_key == f"{DATASET}:{dataset.rows_updated_at}"

        ingest_source(SECOP_II_PROCESOS, SocrataClient(base_url=server.url), lake)
        assert not tick(server.url, lake, first.cursor).run_requests
        assert not tick(server.url, lake, None).run_requests  # a lost cursor: the lake's watermark decides

        dataset.upsert([{"id_del_proceso": "CO1.REQ.1"}])
        [changed] = tick(server.url, lake, first.cursor).run_requests
        assert changed.run_key == f"{DATASET}:{dataset.rows_updated_at}"
        assert json.loads(tick(server.url, lake, first.cursor).cursor) == {DATASET: dataset.rows_updated_at}


def test_sensor_follows_a_paco_file_by_last_modified(tmp_path):
    folder = tmp_path / "paco"
    folder.mkdir()
    bulletin = folder / PACO_RESPONSABILIDAD_FISCAL.dataset_id
    bulletin.write_text("Responsable Fiscal,TR\nPERSONA,I\n", encoding="utf-8")
    os.utime(bulletin, (1_700_000_000, 1_700_000_000))
    lake = Lake(uri=str(tmp_path / "lake"))
    with ReplayServer([], files_dir=folder) as server:
        first = tick(server.url, lake, None)
        [request] = [r for r in first.run_requests if r.job_name == "refresh_paco_responsabilidad_fiscal"]
        assert request.run_key == f"{PACO_RESPONSABILIDAD_FISCAL.dataset_id}:1700000000"
        assert not tick(server.url, lake, first.cursor).run_requests
        os.utime(bulletin, (1_700_086_400, 1_700_086_400))
        [changed] = tick(server.url, lake, first.cursor).run_requests
        assert changed.run_key.endswith(":1700086400")
