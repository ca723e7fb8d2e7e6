"""What the live path reads from the warehouse through the one reader (DuckDB locally, Redshift on AWS): a
run's figures, its alerts, the alerts not yet posted. The SQL is the subset both engines run."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from warehouse.reader import WarehouseReader


@dataclass(frozen=True)
class RunFigures:
    contracts_checked: int
    alerts_raised: int
    lags: list[float]  # seconds from publication to detection, per contract version checked


Window = tuple[datetime, datetime]  # UTC, without a time zone, like detected_at
AlertKey = tuple[str, str]  # (award_key, indicator_id): a contract fires an indicator once

# An alert's row: the flag (for its sentence, texts.render_reason), the award's parties by name, the timing.
ALERT_COLUMNS = (
    "award_key, indicator_id, indicator_group, unit_key, entity_key, entity_name, supplier_key, supplier_name, "
    "award_date, award_value, excess_amount, match_method, evidence, secop_url, published_at, detected_at"
)


def run_figures(reader: WarehouseReader, window: Window) -> RunFigures:
    """What the evaluations detected in `window` (this run's dbt step) checked and raised."""
    checked = reader.rows(
        "select award_key, published_at, max(detected_at) as detected_at from fct_contract_evaluations "
        "where detected_at between ? and ? group by award_key, published_at",
        list(window),
    )
    [raised] = reader.rows(
        "select count(*) as alerts from fct_contract_alerts where detected_at between ? and ?", list(window)
    )
    lags = [(row["detected_at"] - row["published_at"]).total_seconds() for row in checked]
    return RunFigures(len(checked), int(raised["alerts"]), lags)


def _alerts(reader: WarehouseReader, where: str, params: list) -> list[dict]:
    return reader.rows(
        f"select {ALERT_COLUMNS} from fct_contract_alerts where {where} order by detected_at, award_key, indicator_id",
        params,
    )


def alerts_detected_in(reader: WarehouseReader, window: Window) -> list[dict]:
    return _alerts(reader, "detected_at between ? and ?", list(window))


def pending_alerts(reader: WarehouseReader, notified: Collection[AlertKey]) -> list[dict]:
    """Alerts not in `notified`, oldest first (a run that failed to post leaves them for the next). The keys
    are read first; the rows only from the oldest pending alert's detection on."""
    keys = reader.rows("select award_key, indicator_id, detected_at from fct_contract_alerts")
    pending = [key for key in keys if (key["award_key"], key["indicator_id"]) not in notified]
    if not pending:
        return []
    since = min(key["detected_at"] for key in pending)
    rows = _alerts(reader, "detected_at >= ?", [since])
    return [row for row in rows if (row["award_key"], row["indicator_id"]) not in notified]
