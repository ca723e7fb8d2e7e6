"""Rows the publisher deleted: found by a cheap key reconciliation, kept in the lake as deletions.

Incremental pulls by `:updated_at` never see a deleted row. For a current register (catalogue
`register`) and for any dataset whose rows have no key but their `:id`, that matters: a person removed
from the PEP list must leave it here too, and a publisher's full replace (every `:id` new) would
otherwise double every row. After each pull of such a source the client asks for the row count (one
request); only when the lake holds more live rows than the portal lists does it read every `:id` (pages
of `$select=:id`, no values) and commit the `:id`s that are gone as a batch of kind `deletions`. The
trusted job then rebuilds the table without them (spark_jobs/trusted_table.py). Rows the portal lists
but the lake never pulled (a publisher's back-dated edit) are reported, not fetched.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pyarrow as pa

from catalogue import Source
from orchestration.http import PullStats
from orchestration.lake import DELETIONS, Lake, LogEntry, new_batch_id, utc_now
from orchestration.socrata import SocrataClient


def reconciles(source: Source) -> bool:
    """Sources whose deleted rows must leave the trusted zone: current registers, and rows keyed by `:id`."""
    return not source.is_file and (source.register or source.key == ("_row_id",))


@dataclass(frozen=True)
class Reconciliation:
    listed: int  # rows the portal lists now
    held: int  # live rows the lake held before
    deleted: int = 0  # of those, rows the portal no longer lists: committed as deletions
    unseen: int = 0  # rows the portal lists that no pull ever brought (reported only)
    pages: int = 0  # pages of `:id`s read (0: the counts agreed)


def live_row_ids(lake: Lake, source: Source) -> set[str]:
    """`_row_id`s of the rows the lake holds for `source`: every committed row, minus committed deletions."""
    held: set[str] = set()
    deleted: set[str] = set()
    for entry in lake.committed(source.name):
        ids = lake.read_parquet(entry.file, columns=["_row_id"]).column("_row_id").to_pylist()
        (deleted if entry.kind == DELETIONS else held).update(ids)
    return held - deleted


def commit_deletions(lake: Lake, source: Source, row_ids: list[str], rows_updated_at: int | None) -> None:
    """One committed batch listing the deleted `:id`s (written, then committed, as any raw batch)."""
    batch_id = new_batch_id()
    relpath = f"raw/{source.name}/batch={batch_id}/deleted-00000.parquet"
    table = pa.table({"_row_id": pa.array(sorted(row_ids), pa.string())})
    table = table.append_column("_deleted_at", pa.array([utc_now().isoformat()] * table.num_rows, pa.string()))
    written = lake.write_parquet(table, relpath)
    entry = LogEntry(
        source=source.name,
        batch_id=batch_id,
        file=relpath,
        rows=written.rows,
        sha256=written.sha256,
        min_watermark=None,
        max_watermark=None,
        status="written",
        created_at=utc_now(),
        source_rows_updated_at=rows_updated_at,
        kind=DELETIONS,
    )
    lake.append_log([entry])
    lake.append_log([replace(entry, status="committed", committed_at=utc_now())])


def reconcile(
    source: Source, client: SocrataClient, lake: Lake, stats: PullStats, rows_updated_at: int | None = None
) -> Reconciliation:
    """Compare the portal's row count with the lake's live rows; list the `:id`s only when they differ."""
    listed = client.count(source.dataset_id, stats=stats)
    held = live_row_ids(lake, source)
    if len(held) <= listed:
        return Reconciliation(listed, len(held), unseen=listed - len(held))
    pages_before = stats.pages
    current: set[str] = set()
    for page in client.row_ids(source.dataset_id, stats):
        current.update(page)
    gone = held - current
    if gone:
        commit_deletions(lake, source, list(gone), rows_updated_at)
    return Reconciliation(listed, len(held), len(gone), len(current - held), stats.pages - pages_before)
