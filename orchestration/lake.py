"""The lake: zones as folders under `SECOP_LAKE_URI` (a local directory or S3), atomic file commits
and the ingestion control log.

`control/ingestion_log/` is append-only: each status change of a batch (`written` → `committed` →
`applied`, or `aborted`) is one small parquet file written atomically; the current state of a file is
its latest entry. Past `LOG_PARTS_TO_COMPACT` parts, the writer merges them into one part holding each
file's latest entry, then deletes the parts it merged, so that reading the log costs a few requests
however long the lake's history (a part deleted while a reader lists is found again in the merged part,
written before the deletion). Readers only use files whose batch is committed, never a directory glob. A file holds
served rows (`kind` `rows`) or the `:id`s of rows the publisher deleted (`deletions`,
orchestration/reconcile.py).
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlparse

import boto3
import dagster as dg
import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import PrivateAttr

from catalogue.lake_layout import INGESTION_LOG

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
        ("source_rows_updated_at", pa.int64()),
        ("kind", pa.string()),
    ]
)
ROWS, DELETIONS = "rows", "deletions"  # what a logged file holds
STATUS_RANK = {"written": 0, "committed": 1, "applied": 2, "aborted": 3}  # a file's latest entry: the highest
LOG_PARTS_TO_COMPACT = 64  # log parts past which a writer merges them
COMPACTED_LOG_PART = "0-compacted"  # listed before every batch's part ("2026..."), as the entries it replaced


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
    source_rows_updated_at: int | None = None  # the dataset's rowsUpdatedAt, read before the pull
    kind: str = ROWS  # served rows, or the `_row_id`s of deleted rows (log parts before this field: rows)


def _latest_rows(rows: Iterable[dict]) -> dict[tuple[str, str], dict]:
    """Each logged file's latest entry (the highest status; the first listed of equal ones), by (batch, file)."""
    latest: dict[tuple[str, str], dict] = {}
    for row in rows:
        key = (row["batch_id"], row["file"])
        if key not in latest or STATUS_RANK[row["status"]] > STATUS_RANK[latest[key]["status"]]:
            latest[key] = row
    return latest


def _row_order(row: dict) -> tuple[str, str]:
    return row["batch_id"], row["file"]


@dataclass(frozen=True)
class WrittenFile:
    relpath: str
    rows: int
    bytes: int
    sha256: str


class LocalStore:
    """Files under a local directory; a write is a temporary file renamed into place."""

    def __init__(self, root: Path):
        self.root = root

    def uri(self, relpath: str) -> str:
        return str(self.root / relpath)

    def put(self, relpath: str, data: bytes) -> None:
        with self._replacing(relpath) as tmp, open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())

    @contextmanager
    def _replacing(self, relpath: str) -> Iterator[Path]:
        """A hidden temporary path beside `relpath`, renamed onto it once the block wrote it."""
        target = self.root / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            yield tmp
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)

    def upload(self, relpath: str, path: Path) -> None:
        with self._replacing(relpath) as tmp:
            shutil.copyfile(path, tmp)
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())

    def copy(self, source: str, relpath: str) -> None:
        self.upload(relpath, self.root / source)

    def get(self, relpath: str) -> bytes:
        return (self.root / relpath).read_bytes()

    def exists(self, relpath: str) -> bool:
        return (self.root / relpath).exists()

    def delete(self, relpath: str) -> None:
        (self.root / relpath).unlink(missing_ok=True)

    def list(self, prefix: str) -> list[str]:
        return [relpath for relpath, _ in self.sizes(prefix)]

    def sizes(self, prefix: str) -> list[tuple[str, int]]:
        folder = self.root / prefix
        if not folder.exists():
            return []
        found = (p for p in folder.rglob("*") if p.is_file() and p.name[0] != ".")
        return sorted((str(p.relative_to(self.root)), p.stat().st_size) for p in found)


class S3Store:
    """Objects under `s3://bucket/prefix`; a PUT is atomic, so readers never see a partial object."""

    def __init__(self, bucket: str, prefix: str, client):
        self.bucket, self.prefix, self.client = bucket, prefix.strip("/"), client

    def key(self, relpath: str) -> str:
        return f"{self.prefix}/{relpath}" if self.prefix else relpath

    def uri(self, relpath: str) -> str:
        return f"s3://{self.bucket}/{self.key(relpath)}"

    def put(self, relpath: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self.key(relpath), Body=data)

    def upload(self, relpath: str, path: Path) -> None:
        """A multipart upload for a large file: the object appears whole when it completes."""
        self.client.upload_file(str(path), self.bucket, self.key(relpath))

    def copy(self, source: str, relpath: str) -> None:
        self.client.copy({"Bucket": self.bucket, "Key": self.key(source)}, self.bucket, self.key(relpath))

    def get(self, relpath: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.key(relpath))["Body"].read()
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(f"{self.uri(relpath)}: no such object") from None

    def exists(self, relpath: str) -> bool:
        found = self.client.list_objects_v2(Bucket=self.bucket, Prefix=self.key(relpath), MaxKeys=1)
        return any(item["Key"] == self.key(relpath) for item in found.get("Contents", []))

    def delete(self, relpath: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key(relpath))

    def list(self, prefix: str) -> list[str]:
        return [relpath for relpath, _ in self.sizes(prefix)]

    def sizes(self, prefix: str) -> list[tuple[str, int]]:
        start = len(self.key("")) if self.prefix else 0
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.key(prefix))
        return sorted((item["Key"][start:], item["Size"]) for page in pages for item in page.get("Contents", []))


class Lake(dg.ConfigurableResource):
    """The lake at `SECOP_LAKE_URI`: a local directory or `s3://bucket/prefix`."""

    uri: str
    s3_endpoint_url: str | None = None  # SECOP_S3_ENDPOINT_URL: a moto server in tests, unset on AWS
    _store: LocalStore | S3Store | None = PrivateAttr(default=None)
    # Log parts already read, by name: a part is written once and never changed, so a process reads each
    # part once however often it looks at the log (the log grows with every file the lake holds).
    _log_parts: dict[str, list[dict]] = PrivateAttr(default_factory=dict)

    @property
    def store(self) -> LocalStore | S3Store:
        if self._store is None:
            self._store = self._open_store()
        return self._store

    def _open_store(self) -> LocalStore | S3Store:
        parsed = urlparse(self.uri)
        if parsed.scheme == "s3":
            client = boto3.client("s3", endpoint_url=self.s3_endpoint_url)
            return S3Store(parsed.netloc, parsed.path, client)
        if parsed.scheme in ("", "file"):
            return LocalStore(Path(parsed.path if parsed.scheme else self.uri))
        raise ValueError(f"SECOP_LAKE_URI {self.uri!r}: expected a local path, file:// or s3://")

    @property
    def is_local(self) -> bool:
        return isinstance(self.store, LocalStore)

    def uri_of(self, relpath: str) -> str:
        """Where a lake file lives, for engines that read it themselves (Spark, DuckDB)."""
        return self.store.uri(relpath)

    def write_parquet(self, table: pa.Table, relpath: str) -> WrittenFile:
        buffer = io.BytesIO()
        pq.write_table(table, buffer, compression="zstd")
        data = buffer.getvalue()
        self.store.put(relpath, data)
        return WrittenFile(relpath, table.num_rows, len(data), hashlib.sha256(data).hexdigest())

    def write_bytes(self, relpath: str, data: bytes) -> str:
        """Store a file (a report, say) and return its URI."""
        self.store.put(relpath, data)
        return self.uri_of(relpath)

    def upload(self, relpath: str, path: Path) -> str:
        """Store a local file under `relpath`, replacing it at once (readers see the old or the new file)."""
        self.store.upload(relpath, path)
        return self.uri_of(relpath)

    def copy(self, source: str, relpath: str) -> None:
        """Copy a lake file onto `relpath`, replacing it at once."""
        self.store.copy(source, relpath)

    def list(self, prefix: str) -> list[str]:
        """Every file below `prefix` (hidden `.`-files of a local lake skipped)."""
        return self.store.list(prefix)

    def read_bytes(self, relpath: str) -> bytes:
        return self.store.get(relpath)

    def read_parquet(self, relpath: str, columns: list[str] | None = None) -> pa.Table:
        return pq.read_table(io.BytesIO(self.store.get(relpath)), columns=columns)

    def exists(self, relpath: str) -> bool:
        return self.store.exists(relpath)

    def sizes(self, prefix: str) -> list[tuple[str, int]]:
        """Every file below `prefix` with its size in bytes (hidden `.`-files of a local lake skipped)."""
        return self.store.sizes(prefix)

    def delete(self, relpath: str) -> None:
        self.store.delete(relpath)

    # -- control log -------------------------------------------------------------------------------

    def append_log(self, entries: Iterable[LogEntry]) -> None:
        entries = list(entries)
        if not entries:
            return
        table = pa.Table.from_pylist([asdict(e) for e in entries], schema=LOG_SCHEMA)
        first = entries[0]
        self.write_parquet(table, f"{INGESTION_LOG}/{first.batch_id}-{first.status}-{uuid.uuid4().hex[:8]}.parquet")
        if len(self.store.list(INGESTION_LOG)) > LOG_PARTS_TO_COMPACT:
            self.compact_log()

    def compact_log(self) -> int:
        """Merge the log's parts into one holding each file's latest entry, then delete the merged parts (the
        merged part is written first: a reader never misses an entry). Returns how many parts were merged."""
        parts = self._read_log_parts(self.store.list(INGESTION_LOG))
        latest = _latest_rows(row for rows in parts.values() for row in rows)
        table = pa.Table.from_pylist(sorted(latest.values(), key=_row_order), schema=LOG_SCHEMA)
        self.write_parquet(table, f"{INGESTION_LOG}/{COMPACTED_LOG_PART}-{new_batch_id()}.parquet")
        for part in parts:
            self.store.delete(part)
            self._log_parts.pop(part, None)
        return len(parts)

    def log(self, source: str | None = None) -> list[LogEntry]:
        """Current state of every logged file (its latest entry), oldest batch first."""
        for _ in range(3):
            listed = self.store.list(INGESTION_LOG)
            parts = self._read_log_parts(listed)
            if len(parts) == len(listed):
                break
            # Parts merged by a writer meanwhile: listed again, their merged part is there.
        else:
            raise RuntimeError(f"{INGESTION_LOG}: parts kept vanishing while read (three listings)")
        rows = (row for part_rows in parts.values() for row in part_rows)
        latest = _latest_rows(row for row in rows if source is None or row["source"] == source)
        entries = [LogEntry(**{**row, "kind": row.get("kind") or ROWS}) for row in latest.values()]
        return sorted(entries, key=lambda e: (e.batch_id, e.file))

    def _read_log_parts(self, listed: list[str]) -> dict[str, list[dict]]:
        """The rows of each listed log part still there (each part read once per process: never changed)."""
        found = {}
        for part in listed:
            if part not in self._log_parts:
                try:
                    self._log_parts[part] = self.read_parquet(part).to_pylist()
                except FileNotFoundError:
                    continue  # merged into another part and deleted since it was listed
            found[part] = self._log_parts[part]
        return found

    def committed(self, source: str, log: list[LogEntry] | None = None) -> list[LogEntry]:
        """Files whose batch is committed (including those already applied downstream).

        `log` is a `log()` already read, so that a caller looking at several sources reads it once.
        """
        entries = self.log(source) if log is None else [e for e in log if e.source == source]
        return [e for e in entries if e.status in ("committed", "applied")]

    def pulled_rows_updated_at(self, source: str) -> int | None:
        """The dataset's `rowsUpdatedAt` as read before the latest committed pull."""
        marks = [e.source_rows_updated_at for e in self.committed(source) if e.source_rows_updated_at is not None]
        return max(marks) if marks else None

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
