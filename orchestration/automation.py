"""What keeps the warehouse fresh: a weekly refresh and a sensor on each source's change time.

The sensor asks every source when it last changed (one request each: Socrata's `/api/views/<id>.json`
`rowsUpdatedAt`, or a HEAD of a PACO file for its `Last-Modified`) and requests a run of
`refresh_<source>` (the raw asset and everything downstream) only for sources that changed since the
last tick and since the lake's committed watermark. Its cursor is `{dataset_id: epoch seconds}`; the
run key `<id>:<epoch>` makes a request idempotent. The runs of both leave dbt's unit tests to CI
(`DbtBuildConfig.unit_tests`); the data tests run.

The sensor reads its own runs back from the Dagster instance (job `refresh_<source>`, tag
`secop/dataset`), so that a change it requested is refreshed once and only once:
- while its newest run of a source is queued or in progress, or a `refresh_all` run is, it requests
  nothing for that source and leaves the source's cursor where it was (a change meanwhile is asked for
  once the run is over): never two refreshes of one source at a time;
- when that run failed or was canceled (and no `refresh_all` succeeded since), it requests the source
  again with a new run key `<id>:<epoch>:retry-<failed run id>`, one retry per failed run; a source
  whose refresh keeps failing is retried every tick, one run at a time;
- when that run succeeded, only a new change requests the source again.
A cursor that advanced on the request alone (or one that waited for the lake's watermark) would lose a
change whose run failed after its raw step: run keys are idempotent, and the watermark was committed.
"""

import json
from datetime import datetime

import dagster as dg

from catalogue import SOURCES, Source
from orchestration.http import PortalError
from orchestration.lake import Lake
from orchestration.paco import PacoFiles
from orchestration.run_states import FAILED, UNFINISHED
from orchestration.settings import TIMEZONE
from orchestration.socrata import SocrataClient

WEEKLY_CRON = "0 3 * * 0"  # Sundays 03:00, as the reference architecture's DAG
POLL_SECONDS = 3600  # SECOP II datasets change daily, RUES monthly

refresh_all_job = dg.define_asset_job(
    "refresh_all",
    selection=dg.AssetSelection.all(),
    description="Pull every source incrementally, clean it with Spark, rebuild and test the dbt models.",
)


def source_job_name(source: Source) -> str:
    return f"refresh_{source.name}"


source_jobs = [
    dg.define_asset_job(
        source_job_name(source),
        selection=dg.AssetSelection.assets(dg.AssetKey(["raw", source.name])).downstream(),
        description=f"Pull {source.dataset_id} and rebuild what depends on it.",
    )
    for source in SOURCES
]

weekly_refresh = dg.ScheduleDefinition(
    name="weekly_refresh",
    job=refresh_all_job,
    cron_schedule=WEEKLY_CRON,
    execution_timezone=TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)


def watermark_epoch(watermark: str | None) -> int | None:
    """A committed `:updated_at` watermark in whole epoch seconds (the unit of `rowsUpdatedAt`)."""
    return int(datetime.fromisoformat(watermark).timestamp()) if watermark else None


def changed_at(source: Source, socrata: SocrataClient, paco: PacoFiles) -> int:
    """When the source last changed upstream, in epoch seconds."""
    if source.is_file:
        return paco.last_modified(source.dataset_id)
    return int(socrata.metadata(source.dataset_id)["rowsUpdatedAt"])


def has_changed(rows_updated_at: int, last_seen: int | None, committed: int | None) -> bool:
    """Changed since the previous tick, and newer than what the lake already holds."""
    newer_than_seen = last_seen is None or rows_updated_at > last_seen
    newer_than_lake = committed is None or rows_updated_at > committed
    return newer_than_seen and newer_than_lake


DATASET_TAG = "secop/dataset"


def source_run_request(source: Source, rows_updated_at: int, retry_of: str | None = None) -> dg.RunRequest:
    """A refresh of `source` for its change at `rows_updated_at`; again after the failed run `retry_of`."""
    run_key = f"{source.dataset_id}:{rows_updated_at}"
    tags = {DATASET_TAG: source.dataset_id, "secop/rows_updated_at": str(rows_updated_at)}
    if retry_of:
        run_key, tags = f"{run_key}:retry-{retry_of}", {**tags, "secop/retry_of": retry_of}
    return dg.RunRequest(run_key=run_key, job_name=source_job_name(source), tags=tags)


def last_request(instance: dg.DagsterInstance, source: Source) -> dg.RunRecord | None:
    """The newest run the sensor requested for `source` (or a re-execution of one: it keeps the tags)."""
    filters = dg.RunsFilter(job_name=source_job_name(source), tags={DATASET_TAG: source.dataset_id})
    records = instance.get_run_records(filters=filters, limit=1)
    return records[0] if records else None


def refreshing_all(instance: dg.DagsterInstance) -> bool:
    """A `refresh_all` run is queued or in progress: it pulls every source."""
    filters = dg.RunsFilter(job_name=refresh_all_job.name, statuses=UNFINISHED)
    return bool(instance.get_run_ids(filters=filters, limit=1))


def needs_retry(instance: dg.DagsterInstance, record: dg.RunRecord) -> bool:
    """The run failed or was canceled, and no `refresh_all` succeeded after it was created."""
    if record.dagster_run.status not in FAILED:
        return False
    succeeded = [dg.DagsterRunStatus.SUCCESS]
    filters = dg.RunsFilter(job_name=refresh_all_job.name, statuses=succeeded, created_after=record.create_timestamp)
    return not instance.get_run_ids(filters=filters, limit=1)


@dg.sensor(
    name="socrata_updates",
    jobs=source_jobs,
    minimum_interval_seconds=POLL_SECONDS,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Requests a refresh of each source whose Socrata rowsUpdatedAt (or PACO file) moved, and "
    "again after its requested refresh failed; never while one is queued or running.",
)
def socrata_updates(
    context: dg.SensorEvaluationContext, socrata: SocrataClient, paco: PacoFiles, lake: Lake
) -> dg.SensorResult:
    cursor: dict[str, int] = json.loads(context.cursor) if context.cursor else {}
    if refreshing_all(context.instance):
        return dg.SensorResult(skip_reason="a refresh_all run is queued or in progress", cursor=context.cursor)
    requests = []
    for source in SOURCES:
        last = last_request(context.instance, source)
        if last is not None and last.dagster_run.status in UNFINISHED:
            context.log.info(f"{source.dataset_id}: run {last.dagster_run.run_id} is not finished; waiting for it")
            continue
        try:
            rows_updated_at = changed_at(source, socrata, paco)
        except (PortalError, KeyError, ValueError) as exc:
            context.log.warning(f"{source.dataset_id}: change time unavailable ({exc}); trying again next tick")
            continue
        if last is not None and needs_retry(context.instance, last):
            requests.append(source_run_request(source, rows_updated_at, retry_of=last.dagster_run.run_id))
        elif has_changed(rows_updated_at, cursor.get(source.dataset_id), watermark_epoch(lake.watermark(source.name))):
            requests.append(source_run_request(source, rows_updated_at))
        cursor[source.dataset_id] = rows_updated_at
    return dg.SensorResult(
        run_requests=requests,
        skip_reason=None if requests else "no dataset changed since the last check, and no refresh to retry",
        cursor=json.dumps(cursor, sort_keys=True),
    )
