"""The lake: zones as folders under `SECOP_LAKE_URI`, atomic file commits and the ingestion control log.

`control/ingestion_log/` is append-only: each status change of a batch (`written` → `committed` →
`applied`, or `aborted`) is one small parquet file written atomically; the current state of a file is
its latest entry. Readers only use files whose batch is committed, never a directory glob.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg
import pyarrow as pa
import pyarrow.parquet as pq

LOG_DIR = "control/ingestion_log"

LOG_SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("batch_id", pa.string()),
        ("file", pa.string()),
        ("rows", pa.int64()),
        ("sha256", pa.string()),
        ("min_watermark", pa.string()),
        ("max_watermark", pa.string()),
        ("status", pa.string()),
        ("created_at", pa.timestamp("ms", tz="UTC")),
        ("committed_at", pa.timestamp("ms", tz="UTC")),
    ]
)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def new_batch_id() -> str:
    """Sortable by creation time, unique across processes."""
    return f"{utc_now():%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class LogEntry:
    source: str
    batch_id: str
    file: str  # path relative to the lake root
    rows: int
    sha256: str
    min_watermark: str | None
    max_watermark: str | None
    status: str
    created_at: datetime
    committed_at: datetime | None = None


@dataclass(frozen=True)
class WrittenFile:
    relpath: str
    rows: int
    bytes: int
    sha256: str


class Lake(dg.ConfigurableResource):
    """The lake rooted at a local directory (`SECOP_LAKE_URI`)."""

    uri: str

    @property
    def root(self) -> Path:
        if "://" in self.uri and not self.uri.startswith("file://"):
            raise NotImplementedError(f"lake URI {self.uri!r}: only local directories are supported yet")
        return Path(self.uri.removeprefix("file://"))

    def path(self, relpath: str) -> Path:
        return self.root / relpath

    def write_parquet(self, table: pa.Table, relpath: str) -> WrittenFile:
        """Write under a hidden temporary name, then rename: readers never see a partial file."""
        buffer = io.BytesIO()
        pq.write_table(table, buffer, compression="zstd")
        data = buffer.getvalue()
        target = self.path(relpath)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        return WrittenFile(relpath, table.num_rows, len(data), hashlib.sha256(data).hexdigest())

    def delete(self, relpath: str) -> None:
        target = self.path(relpath)
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()

    # -- control log -------------------------------------------------------------------------------

    def append_log(self, entries: Iterable[LogEntry]) -> None:
        entries = list(entries)
        if not entries:
            return
        table = pa.Table.from_pylist([asdict(e) for e in entries], schema=LOG_SCHEMA)
        first = entries[0]
        self.write_parquet(table, f"{LOG_DIR}/{first.batch_id}-{first.status}-{uuid.uuid4().hex[:8]}.parquet")

    def log(self, source: str | None = None) -> list[LogEntry]:
        """Current state of every logged file (its latest entry), oldest batch first."""
        log_dir = self.path(LOG_DIR)
        if not log_dir.exists():
            return []
        latest: dict[tuple[str, str], LogEntry] = {}
        rank = {"written": 0, "committed": 1, "applied": 2, "aborted": 3}
        for part in sorted(log_dir.glob("*.parquet")):
            for row in pq.read_table(part).to_pylist():
                entry = LogEntry(**row)
                if source is not None and entry.source != source:
                    continue
                key = (entry.batch_id, entry.file)
                if key not in latest or rank[entry.status] > rank[latest[key].status]:
                    latest[key] = entry
        return sorted(latest.values(), key=lambda e: (e.batch_id, e.file))

    def committed(self, source: str) -> list[LogEntry]:
        """Files whose batch is committed (including those already applied downstream)."""
        return [e for e in self.log(source) if e.status in ("committed", "applied")]

    def watermark(self, source: str) -> str | None:
        marks = [e.max_watermark for e in self.committed(source) if e.max_watermark]
        return max(marks) if marks else None

    def abort_uncommitted(self, source: str) -> list[str]:
        """Remove the files of batches that were written but never committed (a crashed run)."""
        stale = [e for e in self.log(source) if e.status == "written"]
        for entry in stale:
            self.delete(entry.file)
        self.append_log(replace(e, status="aborted") for e in stale)
        return sorted({e.batch_id for e in stale})

    def mark_applied(self, entries: Iterable[LogEntry]) -> None:
        self.append_log(replace(e, status="applied") for e in entries if e.status == "committed")
