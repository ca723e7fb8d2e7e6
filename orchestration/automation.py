"""What keeps the warehouse fresh: a weekly refresh and a sensor on each source's change time.

The sensor asks every source when it last changed (one request each: Socrata's `/api/views/<id>.json`
`rowsUpdatedAt`, or a HEAD of a PACO file for its `Last-Modified`) and requests a run of
`refresh_<source>` (the raw asset and everything downstream) only for sources that changed since the
last tick and since the lake's committed watermark. Its cursor is `{dataset_id: epoch seconds}`; the
run key `<id>:<epoch>` makes a request idempotent. The runs of both leave dbt's unit tests to CI
(`DbtBuildConfig.unit_tests`); the data tests run.
"""

import json
from datetime import datetime

import dagster as dg

from catalogue import SOURCES, Source
from orchestration.http import PortalError
from orchestration.lake import Lake
from orchestration.paco import PacoFiles
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


@dg.sensor(
    name="socrata_updates",
    jobs=source_jobs,
    minimum_interval_seconds=POLL_SECONDS,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Requests a refresh of each source whose Socrata rowsUpdatedAt (or PACO file) moved.",
)
def socrata_updates(
    context: dg.SensorEvaluationContext, socrata: SocrataClient, paco: PacoFiles, lake: Lake
) -> dg.SensorResult:
    cursor: dict[str, int] = json.loads(context.cursor) if context.cursor else {}
    requests = []
    for source in SOURCES:
        try:
            rows_updated_at = changed_at(source, socrata, paco)
        except (PortalError, KeyError, ValueError) as exc:
            context.log.warning(f"{source.dataset_id}: change time unavailable ({exc}); trying again next tick")
            continue
        committed = watermark_epoch(lake.watermark(source.name))
        if has_changed(rows_updated_at, cursor.get(source.dataset_id), committed):
            requests.append(
                dg.RunRequest(
                    run_key=f"{source.dataset_id}:{rows_updated_at}",
                    job_name=source_job_name(source),
                    tags={"secop/dataset": source.dataset_id, "secop/rows_updated_at": str(rows_updated_at)},
                )
            )
        cursor[source.dataset_id] = rows_updated_at
    return dg.SensorResult(
        run_requests=requests,
        skip_reason=None if requests else "no dataset changed since the last check",
        cursor=json.dumps(cursor, sort_keys=True),
    )
