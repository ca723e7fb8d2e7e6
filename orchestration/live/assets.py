"""The live path's last asset: post each new alert once and report what the run checked and raised.

It reads the warehouse through the one reader (DuckDB locally, Redshift on AWS) and keeps which alerts it
posted in the lake's control area (orchestration/live/notified.py). Each alert's reason is the sentence
texts.render_reason makes of its evidence, in the webhook's language (Spanish by default).
"""

import statistics
from datetime import datetime, timezone

import dagster as dg

from orchestration.assets.warehouse import WAREHOUSE_STEP
from orchestration.lake import Lake
from orchestration.live.notified import merge_notified, notified_alerts, record_notified
from orchestration.live.queries import Window, alerts_detected_in, pending_alerts, run_figures
from orchestration.resources import Warehouse
from orchestration.webhook import AlertWebhook
from texts import render_reason


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


def alert_message(alert: dict, lang: str) -> dict:
    """What the webhook receives of one alert: its keys, the reason in `lang`, the parties, the award."""
    value = alert["award_value"]
    return {
        "award_key": alert["award_key"],
        "indicator_id": alert["indicator_id"],
        "reason": render_reason(alert, lang),
        "entity_name": alert["entity_name"],
        "supplier_name": alert["supplier_name"],
        "award_value": None if value is None else float(value),
        "secop_url": alert["secop_url"],
        "published_at": str(alert["published_at"]),
        "detected_at": str(alert["detected_at"]),
    }


def _markdown(alerts: list[dict], lang: str) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| contract | indicator | reason |", "|---|---|---|"]
    lines += [f"| {a['award_key']} | {a['indicator_id']} | {cell(render_reason(a, lang))} |" for a in alerts[:20]]
    return "\n".join(lines)


@dg.asset(
    key="alert_notifications",
    deps=[dg.AssetKey("fct_contract_alerts")],
    group_name="live",
    kinds={"webhook"},
    pool="duckdb_writer",  # reads the DuckDB file: not while dbt writes it
    description="Posts each new alert once to the webhook of SECOP_ALERT_WEBHOOK_URL (when set), with its reason "
    "in Spanish (the webhook's language), and reports what the live run checked, raised and how long "
    "publication took to reach an alert.",
)
def alert_notifications(
    context: dg.AssetExecutionContext, lake: Lake, warehouse: Warehouse, webhook: AlertWebhook
) -> dg.MaterializeResult:
    window = evaluation_window(context)
    with warehouse.reader() as reader:
        figures = run_figures(reader, window)
        raised = alerts_detected_in(reader, window)
        pending = pending_alerts(reader, notified_alerts(lake)) if webhook.url else []
    if pending:  # posted first, recorded after: a crash in between posts them again (at least once)
        messages = [alert_message(alert, webhook.language) for alert in pending]
        webhook.post({"run_id": context.run.run_id, "alerts": messages})
        record_notified(lake, pending, context.run.run_id)
        merge_notified(lake)
    lags = figures.lags
    metadata: dict = {
        "contracts_checked": figures.contracts_checked,
        "alerts_raised": figures.alerts_raised,
        "alerts_posted": len(pending),
        "lag_seconds_p50": round(statistics.median(lags), 1) if lags else 0.0,
        "lag_seconds_max": round(max(lags), 1) if lags else 0.0,
    }
    if raised:
        metadata["alerts"] = dg.MetadataValue.md(_markdown(raised, webhook.language))
    context.log.info(f"{figures.contracts_checked} contract versions checked, {figures.alerts_raised} alerts raised")
    return dg.MaterializeResult(metadata=metadata)
