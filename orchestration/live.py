"""The near-real-time path (spec/indicators.md §11.4): alerts on newly published SECOP II contracts.

The sensor `live_contracts` polls the contracts dataset every `SECOP_POLL_SECONDS` for rows after its
cursor (the last seen `:updated_at` and `:id`). When there are some, and no live run is still ingesting
or cleaning (a run past its Spark step overlaps the next; dbt steps take the `duckdb_writer` pool in
turn), it requests a `live_alerts` run:
ingest the delta (`raw/secop_ii_contratos`, the batch asset and its watermark), clean it
(`trusted/secop_ii_contratos`, the batch Spark job; on a warm Spark Connect server when
`SECOP_SPARK_REMOTE` is set), evaluate the streaming indicators for just the new contract versions
(the dbt models LIVE_MODELS), then notify (`alert_notifications`).

Exactly once: the dbt evaluation log keeps its own high-water mark and skips the versions it already
holds, and `fct_contract_alerts` keeps the first firing of each (contract, indicator); so repeated
polls, overlapping windows, updates and retried runs add no alert twice and lose none. The first
tick only places the cursor on the newest row: alerts start with what is published after it.
"""

import hashlib
import json
import statistics
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit

import dagster as dg
import duckdb

from catalogue import SECOP_II_CONTRATOS
from orchestration.assets.trusted import trusted_zone
from orchestration.assets.warehouse import Warehouse, warehouse_models
from orchestration.dbt_project import dbt_project
from orchestration.http import PortalError, PullStats, RetryingHttpResource, checked_url
from orchestration.socrata import SocrataClient

LIVE_JOB = "live_alerts"
LIVE_MODELS = ("fct_contract_evaluations", "fct_contract_alerts", "t_result_indicadores_stream")
NOTIFIED_TABLE = "live_alert_notifications"  # alerts already posted to the webhook


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


# The staging view links the trusted table to the live models in the job's graph: without it nothing
# orders dbt after the Spark step. The indicators' status is built again so that an alert never rests on a
# source this run found failed, stale or empty.
STATUS_MODELS = ("stg_trusted_sources", "int_indicator_status")
LIVE_DBT_MODELS = [
    dg.AssetKey(f"stg_{SECOP_II_CONTRATOS.name}"),
    *(dg.AssetKey(m) for m in (*STATUS_MODELS, *LIVE_MODELS)),
]

live_alerts_job = dg.define_asset_job(
    LIVE_JOB,
    # The dbt data tests of these models are left to the batch builds and CI (3-5 s a run otherwise):
    # the models themselves keep each alert once.
    selection=(
        dg.AssetSelection.assets(["raw", SECOP_II_CONTRATOS.name], ["trusted", SECOP_II_CONTRATOS.name])
        | dg.AssetSelection.assets(*LIVE_DBT_MODELS, "alert_notifications")
    )
    - dg.AssetSelection.checks_for_assets(*LIVE_DBT_MODELS),
    executor_def=dg.in_process_executor,  # one process: no per-step start-up on the latency path
    description="Alerts on new SECOP II contracts: ingest the delta, clean it, evaluate it, notify.",
)


IN_FLIGHT = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]
SPARK_STEP = trusted_zone.node_def.name
DBT_STEP = warehouse_models.node_def.name


def in_flight(instance: dg.DagsterInstance) -> bool:
    """A live_alerts run has not finished its Spark step yet: the next one waits, so two never ingest or
    clean the same rows. One that is past it (evaluating, notifying) does not hold the next back: their
    Spark steps overlap its dbt step, and the next dbt step waits for the `duckdb_writer` pool."""
    runs = instance.get_runs(filters=dg.RunsFilter(job_name=LIVE_JOB, statuses=IN_FLIGHT))
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


WEBHOOK_VARIABLE = "SECOP_ALERT_WEBHOOK_URL"
DELIVERED = frozenset(range(200, 300))


def alert_id(alert: dict) -> str:
    """An alert's idempotency key: the sha256 of its identity (a contract fires an indicator once)."""
    return hashlib.sha256(f"{alert['award_key']}\x1f{alert['indicator_id']}".encode()).hexdigest()


class AlertWebhook(RetryingHttpResource):
    """Where new alerts are posted (JSON over HTTP); no URL, no notification. The URL may hold a token:
    it comes from `SECOP_ALERT_WEBHOOK_URL` (https, or http on this machine) and is never logged.

    Exactly once in effect: each alert carries `alert_id`, and each POST an `Idempotency-Key` header (the
    sha256 of its alert ids), so a receiver recognises a POST retried after a timeout, or alerts posted
    again after a crash between posting and recording, and keeps them once. Any answer but 2xx, a
    redirect included, is a failure: the alerts stay pending for the next run.
    """

    url: str | None = None
    timeout_seconds: float = 10.0
    deadline_seconds: float = 30.0
    max_retries: int = 2

    def secrets(self) -> tuple[str, ...]:
        parts = urlsplit(self.url or "")
        return tuple(p for p in (self.url, parts.netloc.rpartition("@")[0], parts.path, parts.query) if p.strip("/"))

    def post(self, payload: dict) -> None:
        """POST `payload` (`alerts` and anything else), each alert with its `alert_id`; dg.Failure on failure."""
        if not self.url:
            return
        url = checked_url(self.url, WEBHOOK_VARIABLE, secret=True)
        alerts = [{**alert, "alert_id": alert_id(alert)} for alert in payload.get("alerts", [])]
        key = hashlib.sha256("\n".join(alert["alert_id"] for alert in alerts).encode()).hexdigest()
        try:
            self.request(
                "POST",
                url,
                lambda response: None,  # the answer's status is all we need: its body is not read
                "the alert webhook",
                PullStats(),
                payload={**payload, "alerts": alerts},
                headers={"Idempotency-Key": key},
                accept=DELIVERED,
                follow_redirects=False,
            )
        except PortalError as exc:
            raise dg.Failure(f"{exc}; the alerts stay pending") from None


@dataclass(frozen=True)
class RunFigures:
    contracts_checked: int
    alerts_raised: int
    lags: list[float]  # seconds from publication to detection, per contract version checked


Window = tuple[datetime, datetime]  # UTC, without a time zone, like detected_at


def run_figures(con: duckdb.DuckDBPyConnection, window: Window) -> RunFigures:
    """What the evaluations detected in `window` (this run's dbt step) checked and raised."""
    checked = con.execute(
        "select award_key, published_at, max(detected_at) - published_at from fct_contract_evaluations "
        "where detected_at between ? and ? group by award_key, published_at",
        list(window),
    ).fetchall()
    [(raised,)] = con.execute(
        "select count(*) from fct_contract_alerts where detected_at between ? and ?", list(window)
    ).fetchall()
    return RunFigures(len(checked), raised, [lag.total_seconds() for _, _, lag in checked])


ALERT_FIELDS = ("award_key", "indicator_id", "reason", "award_value", "secop_url", "published_at", "detected_at")
ALERT_COLUMNS = (
    "award_key, indicator_id, reason, cast(award_value as double), secop_url, "
    "cast(published_at as varchar), cast(detected_at as varchar)"
)


def _alerts(con: duckdb.DuckDBPyConnection, where: str, params: list) -> list[dict]:
    rows = con.execute(
        f"select {ALERT_COLUMNS} from fct_contract_alerts alerts where {where} "
        "order by detected_at, award_key, indicator_id",
        params,
    ).fetchall()
    return [dict(zip(ALERT_FIELDS, row, strict=True)) for row in rows]


def alerts_detected_in(con: duckdb.DuckDBPyConnection, window: Window) -> list[dict]:
    return _alerts(con, "detected_at between ? and ?", list(window))


def pending_alerts(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Alerts not yet posted, oldest first (a run that failed to post leaves them for the next)."""
    con.execute(
        f"create table if not exists {NOTIFIED_TABLE} (award_key varchar, indicator_id varchar, notified_at timestamp)"
    )
    unsent = f"""not exists (select 1 from {NOTIFIED_TABLE} sent
                 where sent.award_key = alerts.award_key and sent.indicator_id = alerts.indicator_id)"""
    return _alerts(con, unsent, [])


def evaluation_window(context: dg.AssetExecutionContext) -> Window:
    """When this run's dbt step ran: its evaluations' detected_at fall in it, and those of an overlapping
    run's do not (dbt steps hold the `duckdb_writer` pool in turn). From the run's start to now if it
    had no dbt step."""
    [step] = context.instance.get_run_step_stats(context.run.run_id, step_keys=[DBT_STEP]) or [None]
    start, end = (step.start_time, step.end_time) if step else (None, None)
    start = start or context.instance.get_run_stats(context.run.run_id).start_time or 0
    return _utc(start), _utc(end or datetime.now(timezone.utc).timestamp())


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, timezone.utc).replace(tzinfo=None)


def _markdown(alerts: list[dict]) -> str:
    lines = ["| contract | indicator | reason |", "|---|---|---|"]
    lines += [f"| {a['award_key']} | {a['indicator_id']} | {a['reason']} |" for a in alerts[:20]]
    return "\n".join(lines)


@dg.asset(
    key="alert_notifications",
    deps=[dg.AssetKey("fct_contract_alerts")],
    group_name="live",
    kinds={"webhook"},
    pool="duckdb_writer",
    description="Posts each new alert once to the webhook of SECOP_ALERT_WEBHOOK_URL (when set) and reports "
    "what the live run checked, raised and how long publication took to reach an alert.",
)
def alert_notifications(
    context: dg.AssetExecutionContext, warehouse: Warehouse, webhook: AlertWebhook
) -> dg.MaterializeResult:
    if dbt_project.target != "local":  # the figures and the pending alerts are read from DuckDB
        context.log.warning(f"alert notifications read the DuckDB warehouse; target {dbt_project.target} is not")
        return dg.MaterializeResult(metadata={"skipped": f"dbt target {dbt_project.target}"})
    window = evaluation_window(context)
    posted: list[dict] = []
    with duckdb.connect(warehouse.duckdb_path) as con:
        figures = run_figures(con, window)
        raised = alerts_detected_in(con, window)
        if webhook.url:
            posted = pending_alerts(con)
        if posted:  # posted first, recorded after: a crash in between posts them again (at least once)
            webhook.post({"run_id": context.run.run_id, "alerts": posted})
            con.executemany(
                f"insert into {NOTIFIED_TABLE} values (?, ?, current_timestamp)",
                [(a["award_key"], a["indicator_id"]) for a in posted],
            )
    lags = figures.lags
    metadata: dict = {
        "contracts_checked": figures.contracts_checked,
        "alerts_raised": figures.alerts_raised,
        "alerts_posted": len(posted),
        "lag_seconds_p50": round(statistics.median(lags), 1) if lags else 0.0,
        "lag_seconds_max": round(max(lags), 1) if lags else 0.0,
    }
    if raised:
        metadata["alerts"] = dg.MetadataValue.md(_markdown(raised))
    context.log.info(f"{figures.contracts_checked} contract versions checked, {figures.alerts_raised} alerts raised")
    return dg.MaterializeResult(metadata=metadata)
