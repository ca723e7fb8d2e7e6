"""The live path's last asset: post each new alert once and report what the run checked and raised."""

import statistics
from datetime import datetime, timezone

import dagster as dg
import duckdb

from orchestration.assets.warehouse import WAREHOUSE_STEP
from orchestration.dbt_project import dbt_project
from orchestration.live.queries import Window, alerts_detected_in, pending_alerts, record_notified, run_figures
from orchestration.resources import Warehouse
from orchestration.webhook import AlertWebhook


def evaluation_window(context: dg.AssetExecutionContext) -> Window:
    """When this run's dbt step ran: its evaluations' detected_at fall in it, and those of an overlapping
    run's do not (dbt steps hold the `duckdb_writer` pool in turn). From the run's start to now if it
    had no dbt step."""
    [step] = context.instance.get_run_step_stats(context.run.run_id, step_keys=[WAREHOUSE_STEP]) or [None]
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
            record_notified(con, posted)
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
