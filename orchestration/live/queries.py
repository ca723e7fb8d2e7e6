"""What the live path reads from the DuckDB warehouse: a run's figures, its alerts, the ones not yet posted."""

from dataclasses import dataclass
from datetime import datetime

import duckdb

NOTIFIED_TABLE = "live_alert_notifications"  # alerts already posted to the webhook


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


def record_notified(con: duckdb.DuckDBPyConnection, alerts: list[dict]) -> None:
    """Remember `alerts` as posted (after the webhook accepted them)."""
    con.executemany(
        f"insert into {NOTIFIED_TABLE} values (?, ?, current_timestamp)",
        [(a["award_key"], a["indicator_id"]) for a in alerts],
    )
