"""The weekly schedule and the sensor on each source's change time, ticked through a real Dagster instance
with the code location's own definitions, against the replay server over HTTP.

The runs the sensor requests are created in the instance as the daemon creates them (the request's job,
config, tags and run key) and then move as a run worker and the run monitor report them (started,
failed, succeeded); the lake's watermark comes from a real ingestion.
"""

import json
import os
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.remote_origin import InProcessCodeLocationOrigin, RemoteJobOrigin, RemoteRepositoryOrigin
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
from dagster._utils.schedules import cron_string_iterator  # the tick times the scheduler daemon uses

from catalogue import PACO_RESPONSABILIDAD_FISCAL, SECOP_II_PROCESOS
from orchestration.automation import has_changed, watermark_epoch
from orchestration.ingest import ingest_source
from orchestration.lake import Lake
from orchestration.socrata import SocrataClient
from simulator.generator import generate_processes
from simulator.replay.dataset import ReplayDataset
from simulator.replay.server import ReplayServer

DATASET = SECOP_II_PROCESOS.dataset_id
BOGOTA = "America/Bogota"


@pytest.mark.parametrize(
    ("updated", "seen", "committed", "changed"),
    [(100, None, None, True), (100, 100, None, False), (101, 100, 90, True), (100, None, 100, False)],
)
def test_has_changed(updated, seen, committed, changed):
    assert has_changed(updated, seen, committed) is changed


def test_watermark_epoch():
    assert watermark_epoch("1970-01-01T00:01:40.999Z") == 100 and watermark_epoch(None) is None


def code_location(monkeypatch: pytest.MonkeyPatch, server: ReplayServer, root: Path) -> dg.Definitions:
    """The code location's definitions, configured from the environment for this server and lake."""
    from orchestration.definitions import defs

    monkeypatch.setenv("SECOP_SOCRATA_URL", server.url)
    monkeypatch.setenv("SECOP_PACO_URL", server.paco_url)
    monkeypatch.setenv("SECOP_LAKE_URI", str(root / "lake"))
    monkeypatch.setenv("SECOP_DUCKDB_PATH", str(root / "warehouse.duckdb"))
    return defs()


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.DagsterInstance.ephemeral() as instance:
        yield instance


def tick(defs: dg.Definitions, instance: dg.DagsterInstance, cursor: str | None):
    """One evaluation of `socrata_updates` as the code server runs it for the daemon (with the code location's
    resources it needs): its run requests and new cursor."""
    repository = defs.get_repository_def()
    sensor = repository.get_sensor_def("socrata_updates")
    resources = {key: repository.get_top_level_resources()[key] for key in sensor.required_resource_keys}
    with dg.build_sensor_context(
        instance=instance, cursor=cursor, repository_def=repository, sensor_name=sensor.name, resources=resources
    ) as context:
        return sensor.evaluate_tick(context)


def report(instance: dg.DagsterInstance, run: dg.DagsterRun, event: dg.DagsterEventType) -> dg.DagsterRunStatus:
    """Record what the run coordinator (enqueued), the run worker (start, success) or the run monitor
    (failure) records for the run; the run's status in the instance after it."""
    instance.report_dagster_event(dg.DagsterEvent(event_type_value=event.value, job_name=run.job_name), run.run_id)
    return instance.get_run_by_id(run.run_id).status


def launch(defs: dg.Definitions, instance: dg.DagsterInstance, request: dg.RunRequest) -> dg.DagsterRun:
    """The run the sensor daemon creates for a request (the request's job, config, tags and run key, the job's
    origin in workspace.yaml's code location), queued."""
    tags = {**request.tags, "dagster/run_key": request.run_key, "dagster/sensor_name": "socrata_updates"}
    location = InProcessCodeLocationOrigin(LoadableTargetOrigin(module_name="orchestration.definitions"))
    origin = RemoteJobOrigin(RemoteRepositoryOrigin(location, defs.get_repository_def().name), request.job_name)
    job = defs.resolve_job_def(request.job_name)
    run = instance.create_run_for_job(job, run_config=request.run_config, tags=tags, remote_job_origin=origin)
    assert report(instance, run, dg.DagsterEventType.RUN_ENQUEUED) == dg.DagsterRunStatus.QUEUED
    return run


@pytest.fixture
def processes(tmp_path) -> ReplayDataset:
    return ReplayDataset.from_file(generate_processes(1_000, tmp_path / "gen", seed=5).path)


def test_weekly_refresh_ticks_on_sunday_mornings_in_bogota_and_requests_refresh_all(monkeypatch, tmp_path, instance):
    with ReplayServer([]) as server:
        defs = code_location(monkeypatch, server, tmp_path)
    schedule = defs.get_repository_def().get_schedule_def("weekly_refresh")
    saturday_night = datetime(2026, 3, 7, 23, 0, tzinfo=timezone(timedelta(hours=-5)))  # Bogotá, UTC-5
    ticks = cron_string_iterator(saturday_night.timestamp(), schedule.cron_schedule, schedule.execution_timezone)
    upcoming = [next(ticks) for _ in range(3)]
    assert [t.astimezone(timezone.utc) for t in upcoming] == [
        datetime(2026, 3, day, 8, 0, tzinfo=timezone.utc) for day in (8, 15, 22)
    ]  # Sundays 03:00 in Bogotá (no daylight saving), never 03:00 UTC or another day
    assert all(str(t.tzinfo) == BOGOTA for t in upcoming)

    context = dg.build_schedule_context(instance=instance, scheduled_execution_time=upcoming[0])
    [request] = schedule.evaluate_tick(context).run_requests
    assert request.job_name in (None, "refresh_all") and schedule.job_name == "refresh_all"
    job = defs.resolve_job_def(schedule.job_name)
    assert dg.validate_run_config(job, request.run_config) is not None  # raises on a config the job refuses
    run = instance.create_run_for_job(job, run_config=request.run_config, tags=request.tags)  # plans every step
    assert run.job_name == "refresh_all"
    assert job.asset_layer.executable_asset_keys == defs.resolve_asset_graph().materializable_asset_keys


def test_sensor_retries_a_failed_run_once_and_never_while_one_is_in_flight(monkeypatch, tmp_path, instance, processes):
    with ReplayServer([processes]) as server:
        defs = code_location(monkeypatch, server, tmp_path)
        first = tick(defs, instance, None)  # never ingested
        [request] = first.run_requests
        assert (request.job_name, request.run_key) == (
            "refresh_secop_ii_procesos",
            f"{DATASET}:{processes.rows_updated_at}",
        )
        assert json.loads(first.cursor)[DATASET] == processes.rows_updated_at

        run = launch(defs, instance, request)
        for moved_to in (None, dg.DagsterEventType.RUN_START):  # queued, then started
            if moved_to:
                assert report(instance, run, moved_to) == dg.DagsterRunStatus.STARTED
            for cursor in (first.cursor, None):  # with its cursor or with none, the run in flight holds it
                waiting = tick(defs, instance, cursor)
                assert not waiting.run_requests and json.loads(waiting.cursor or "{}").get(DATASET) == (
                    processes.rows_updated_at if cursor else None
                )

        instance.report_run_failed(run)  # a step failed, or the run monitor found the worker dead
        assert instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.FAILURE
        [again] = tick(defs, instance, first.cursor).run_requests
        assert again.job_name == request.job_name
        assert again.run_key == f"{request.run_key}:retry-{run.run_id}" != request.run_key
        assert again.tags["secop/retry_of"] == run.run_id
        assert tick(defs, instance, first.cursor).run_requests[0].run_key == again.run_key  # one retry per failure

        retry = launch(defs, instance, again)
        assert not tick(defs, instance, first.cursor).run_requests  # the retry is queued: no storm
        assert report(instance, retry, dg.DagsterEventType.RUN_START) == dg.DagsterRunStatus.STARTED
        assert not tick(defs, instance, first.cursor).run_requests
        ingest_source(SECOP_II_PROCESOS, SocrataClient(base_url=server.url), Lake(uri=str(tmp_path / "lake")))
        assert report(instance, retry, dg.DagsterEventType.RUN_SUCCESS) == dg.DagsterRunStatus.SUCCESS
        done = tick(defs, instance, first.cursor)
        assert not done.run_requests and json.loads(done.cursor)[DATASET] == processes.rows_updated_at
        assert not tick(defs, instance, None).run_requests  # a lost cursor: the lake's watermark decides

        processes.upsert([{"id_del_proceso": "CO1.REQ.1"}])
        [changed] = tick(defs, instance, done.cursor).run_requests
        assert changed.run_key == f"{DATASET}:{processes.rows_updated_at}"


def test_sensor_leaves_sources_to_a_refresh_all_in_flight_or_succeeded(monkeypatch, tmp_path, instance, processes):
    with ReplayServer([processes]) as server:
        defs = code_location(monkeypatch, server, tmp_path)
        first = tick(defs, instance, None)
        failed = launch(defs, instance, first.run_requests[0])
        instance.report_run_failed(failed)
        weekly = instance.create_run_for_job(defs.resolve_job_def("refresh_all"))
        assert report(instance, weekly, dg.DagsterEventType.RUN_START) == dg.DagsterRunStatus.STARTED
        held = tick(defs, instance, first.cursor)
        assert not held.run_requests and held.cursor == first.cursor
        assert (
            report(instance, weekly, dg.DagsterEventType.RUN_SUCCESS) == dg.DagsterRunStatus.SUCCESS
        )  # it pulled every source after the failure
        assert not tick(defs, instance, first.cursor).run_requests


def test_sensor_follows_a_paco_file_by_last_modified(monkeypatch, tmp_path, instance):
    folder = tmp_path / "paco"
    folder.mkdir()
    bulletin = folder / PACO_RESPONSABILIDAD_FISCAL.dataset_id
    bulletin.write_text("Responsable Fiscal,TR\nPERSONA,I\n", encoding="utf-8")
    os.utime(bulletin, (1_700_000_000, 1_700_000_000))
    with ReplayServer([], files_dir=folder) as server:
        defs = code_location(monkeypatch, server, tmp_path)
        first = tick(defs, instance, None)
        [request] = [r for r in first.run_requests if r.job_name == "refresh_paco_responsabilidad_fiscal"]
        assert request.run_key == f"{PACO_RESPONSABILIDAD_FISCAL.dataset_id}:1700000000"
        assert not tick(defs, instance, first.cursor).run_requests
        os.utime(bulletin, (1_700_086_400, 1_700_086_400))
        [changed] = tick(defs, instance, first.cursor).run_requests
        assert changed.run_key.endswith(":1700086400")
