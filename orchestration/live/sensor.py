"""The `live_contracts` sensor: polls the contracts dataset and requests a `live_alerts` run for new rows."""

import json
from dataclasses import dataclass

import dagster as dg

from catalogue import SECOP_II_CONTRATOS
from orchestration.assets.trusted import trusted_zone
from orchestration.live.job import LIVE_JOB, live_alerts_job
from orchestration.run_states import UNFINISHED
from orchestration.socrata import SocrataClient


@dataclass(frozen=True)
class LiveCursor:
    """The newest contract row seen: its `:updated_at` and `:id`."""

    updated_at: str
    row_id: str

    @classmethod
    def parse(cls, cursor: str | None) -> "LiveCursor | None":
        return cls(**json.loads(cursor)) if cursor else None

    def dump(self) -> str:
        return json.dumps({"updated_at": self.updated_at, "row_id": self.row_id})


SPARK_STEP = trusted_zone.node_def.name


def in_flight(instance: dg.DagsterInstance) -> bool:
    """A live_alerts run has not finished its Spark step yet: the next one waits, so two never ingest or
    clean the same rows. One that is past it (evaluating, notifying) does not hold the next back: their
    Spark steps overlap its dbt step, and the next dbt step waits for the `duckdb_writer` pool."""
    runs = instance.get_runs(filters=dg.RunsFilter(job_name=LIVE_JOB, statuses=UNFINISHED))
    for run in runs:
        if run.status != dg.DagsterRunStatus.STARTED:
            return True
        steps = instance.get_run_step_stats(run.run_id, step_keys=[SPARK_STEP])
        if not any(step.end_time for step in steps):
            return True
    return False


def live_run_request(before: LiveCursor, newest: LiveCursor, rows: int) -> dg.RunRequest:
    """A `live_alerts` run for the window (before, newest]; the run key makes a repeated poll a no-op."""
    window = {"live_window_start": before.updated_at, "live_window_end": newest.updated_at}
    dbt = {**window, "alerts_since": before.updated_at, "unit_tests": False, "target_folder": LIVE_JOB}
    return dg.RunRequest(
        run_key=f"{SECOP_II_CONTRATOS.dataset_id}:{newest.updated_at}:{newest.row_id}",
        job_name=LIVE_JOB,
        run_config={
            "ops": {
                "trusted_zone": {"config": {"compact_ratio": None}},  # increments only; batch runs compact
                "warehouse_models": {"config": dbt},
            }
        },
        tags={
            "secop/dataset": SECOP_II_CONTRATOS.dataset_id,
            "secop/new_rows": str(rows),
            **{f"secop/{name}": value for name, value in window.items()},
        },
    )


def poll_contracts(cursor: str | None, socrata: SocrataClient, instance: dg.DagsterInstance) -> dg.SensorResult:
    """One poll: place the cursor (first tick), skip, or request a run for the rows after it."""
    before = LiveCursor.parse(cursor)
    dataset = SECOP_II_CONTRATOS.dataset_id
    if before is None:
        _, newest = socrata.changes_after(dataset, None)
        start = LiveCursor(*newest) if newest else LiveCursor("1970-01-01T00:00:00.000Z", "")
        return dg.SensorResult(
            skip_reason=f"alerts start after {start.updated_at}: the newest contract published so far",
            cursor=start.dump(),
        )
    if in_flight(instance):  # the cursor stays: the next run takes these rows with the ones to come
        return dg.SensorResult(skip_reason="a live_alerts run is still cleaning", cursor=before.dump())
    rows, newest = socrata.changes_after(dataset, (before.updated_at, before.row_id))
    if not newest:
        return dg.SensorResult(skip_reason=f"no contract published after {before.updated_at}", cursor=before.dump())
    position = LiveCursor(*newest)
    return dg.SensorResult(run_requests=[live_run_request(before, position, rows)], cursor=position.dump())


def live_contracts_sensor(poll_seconds: int, running: bool = False) -> dg.SensorDefinition:
    """The sensor, every `poll_seconds`; on from the start when `running` (`SECOP_LIVE_ALERTS=on`)."""

    @dg.sensor(
        name="live_contracts",
        job=live_alerts_job,
        minimum_interval_seconds=poll_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING if running else dg.DefaultSensorStatus.STOPPED,
        description=f"Every {poll_seconds} s: new or updated SECOP II contracts since the cursor start a "
        "live_alerts run for just them.",
    )
    def live_contracts(context: dg.SensorEvaluationContext, socrata: SocrataClient) -> dg.SensorResult:
        return poll_contracts(context.cursor, socrata, context.instance)

    return live_contracts
