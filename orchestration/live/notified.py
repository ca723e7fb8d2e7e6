"""Which live alerts were already posted: files in the lake's control area (`control/alert_notifications/`),
not a warehouse table, since the notifying step only reads the warehouse (DuckDB or Redshift).

Append-only like the ingestion log (orchestration/lake.py): each run that posted alerts adds one small
Parquet file of their keys, written at once (a temporary file renamed into place; an S3 PUT), after the
webhook accepted them. A crash between posting and recording posts them again (at least once; each alert
carries its `alert_id` for the receiver to keep it once). When the files reach MERGE_AT they are merged
into one, written before the merged ones are deleted: a crash in between leaves keys twice, read once.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from catalogue.lake_layout import ALERT_NOTIFICATIONS
from orchestration.lake import Lake, new_batch_id, utc_now
from orchestration.live.queries import AlertKey
from orchestration.webhook import alert_id

NOTIFIED_SCHEMA = pa.schema(
    [
        ("award_key", pa.string()),
        ("indicator_id", pa.string()),
        ("alert_id", pa.string()),
        ("notified_at", pa.timestamp("ms", tz="UTC")),
        ("run_id", pa.string()),
    ]
)
MERGE_AT = 100  # files: a live run every 30 s that posts adds one


def notified_alerts(lake: Lake) -> set[AlertKey]:
    """The (award_key, indicator_id) of every alert recorded as posted."""
    notified: set[AlertKey] = set()
    for part in lake.list(f"{ALERT_NOTIFICATIONS}/"):
        table = lake.read_parquet(part, columns=["award_key", "indicator_id"])
        notified.update(zip(table["award_key"].to_pylist(), table["indicator_id"].to_pylist(), strict=True))
    return notified


def record_notified(lake: Lake, alerts: Sequence[dict], run_id: str) -> str:
    """Remember `alerts` as posted (after the webhook accepted them); the file's lake path."""
    now = utc_now()
    rows = [
        {"award_key": a["award_key"], "indicator_id": a["indicator_id"], "alert_id": alert_id(a), "notified_at": now}
        for a in alerts
    ]
    relpath = f"{ALERT_NOTIFICATIONS}/{new_batch_id()}.parquet"
    lake.write_parquet(
        pa.Table.from_pylist([{**row, "run_id": run_id} for row in rows], schema=NOTIFIED_SCHEMA), relpath
    )
    return relpath


def merge_notified(lake: Lake, at_least: int = MERGE_AT) -> int:
    """Merge the files into one once there are `at_least`; how many were merged (0: none)."""
    parts = lake.list(f"{ALERT_NOTIFICATIONS}/")
    if len(parts) < at_least:
        return 0
    merged = pa.concat_tables(lake.read_parquet(part).cast(NOTIFIED_SCHEMA) for part in parts)
    lake.write_parquet(merged, f"{ALERT_NOTIFICATIONS}/{new_batch_id()}.parquet")
    for part in parts:
        lake.delete(part)
    return len(parts)
