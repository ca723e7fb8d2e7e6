"""Pull one source from Socrata into `raw/<source>/batch=<id>/` and commit it in the control log.

Rows are kept as served: every value a string (non-string JSON values as compact JSON text), plus
`_row_id` (`:id`), `_source_updated_at` (`:updated_at`), `_batch_id` and `_ingested_at`. The pull
re-reads rows at the watermark itself (`>=`) and drops (`_row_id`, `_source_updated_at`) pairs already
committed, so rows sharing the watermark's timestamp are neither lost nor duplicated.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field, replace

import pyarrow as pa
import pyarrow.compute as pc

from orchestration.catalogue import Source
from orchestration.lake import Lake, LogEntry, WrittenFile, new_batch_id, utc_now
from orchestration.socrata import PullStats, SocrataClient

ROWS_PER_FILE = 200_000


def raw_value(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def string_column(rows: list[dict], name: str) -> pa.Array:
    """One field of every row as strings; non-string JSON values (objects, booleans) as compact JSON."""
    values = [row.get(name) for row in rows]
    try:
        return pa.array(values, pa.string())
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        return pa.array([raw_value(v) for v in values], pa.string())


@dataclass
class IngestResult:
    source: str
    batch_id: str
    watermark_before: str | None
    watermark_after: str | None
    stats: PullStats
    files: list[WrittenFile] = field(default_factory=list)
    new_columns: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)
    skipped_duplicates: int = 0
    aborted_batches: list[str] = field(default_factory=list)
    unchanged: bool = False  # the dataset's rowsUpdatedAt had not moved: nothing was pulled
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def bytes(self) -> int:
        return sum(f.bytes for f in self.files)


class RawBatch:
    """Buffers rows and writes them as parquet files of bounded size, logged as `written`."""

    def __init__(
        self,
        source: Source,
        lake: Lake,
        batch_id: str,
        rows_per_file: int = ROWS_PER_FILE,
        rows_updated_at: int | None = None,
    ):
        self.source, self.lake, self.batch_id = source, lake, batch_id
        self.rows_per_file, self.rows_updated_at = rows_per_file, rows_updated_at
        self.ingested_at = utc_now().isoformat(timespec="milliseconds")
        self.buffer: list[dict] = []
        self.entries: list[LogEntry] = []
        self.files: list[WrittenFile] = []
        self.fields_seen: set[str] = set()  # every key served, system fields included

    def add(self, rows: list[dict]) -> None:
        """Keep the served dicts as they are; columns are built once per file in `flush`."""
        self.buffer.extend(rows)
        self.fields_seen.update(*rows)
        if len(self.buffer) >= self.rows_per_file:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        served = sorted({k for k in self.fields_seen if not k.startswith(":")} - set(self.source.field_names))
        columns = {name: string_column(self.buffer, name) for name in [*self.source.field_names, *served]}
        columns["_row_id"] = string_column(self.buffer, ":id")
        columns["_source_updated_at"] = string_column(self.buffer, ":updated_at")
        columns["_batch_id"] = pa.array([self.batch_id] * len(self.buffer), pa.string())
        columns["_ingested_at"] = pa.array([self.ingested_at] * len(self.buffer), pa.string())
        table = pa.table(columns)
        relpath = f"raw/{self.source.name}/batch={self.batch_id}/part-{len(self.files):05d}.parquet"
        written = self.lake.write_parquet(table, relpath)
        marks = table.column("_source_updated_at")
        entry = LogEntry(
            source=self.source.name,
            batch_id=self.batch_id,
            file=relpath,
            rows=written.rows,
            sha256=written.sha256,
            min_watermark=pc.min(marks).as_py(),
            max_watermark=pc.max(marks).as_py(),
            status="written",
            created_at=utc_now(),
            source_rows_updated_at=self.rows_updated_at,
        )
        self.lake.append_log([entry])
        self.entries.append(entry)
        self.files.append(written)
        self.buffer = []

    def commit(self) -> None:
        """One log file marks every file of the batch committed: the batch appears atomically."""
        self.flush()
        now = utc_now()
        self.lake.append_log(replace(e, status="committed", committed_at=now) for e in self.entries)


def _pairs_at(lake: Lake, source: Source, watermark: str | None) -> set[tuple[str, str]]:
    """(`_row_id`, `_source_updated_at`) pairs already committed at exactly the watermark."""
    if watermark is None:
        return set()
    pairs: set[tuple[str, str]] = set()
    for entry in lake.committed(source.name):
        if entry.max_watermark == watermark:
            table = lake.read_parquet(entry.file, columns=["_row_id", "_source_updated_at"])
            table = table.filter(pc.equal(table.column("_source_updated_at"), watermark))
            row_ids, marks = table.column("_row_id").to_pylist(), table.column("_source_updated_at").to_pylist()
            pairs.update(zip(row_ids, marks, strict=True))
    return pairs


def ingest_source(
    source: Source, client: SocrataClient, lake: Lake, rows_per_file: int = ROWS_PER_FILE
) -> IngestResult:
    """Pull every row changed since the committed watermark into one new committed batch.

    A dataset whose `rowsUpdatedAt` has not moved since it was read before the last committed pull
    costs one request (the metadata) and no batch.
    """
    started = time.monotonic()
    metadata = client.metadata(source.dataset_id)
    published = {c["fieldName"] for c in metadata.get("columns", [])}
    rows_updated_at = int(metadata["rowsUpdatedAt"]) if metadata.get("rowsUpdatedAt") is not None else None
    aborted = lake.abort_uncommitted(source.name)
    watermark = lake.watermark(source.name)
    unchanged = rows_updated_at is not None and rows_updated_at == lake.pulled_rows_updated_at(source.name)
    already = _pairs_at(lake, source, watermark) if not unchanged else set()
    batch = RawBatch(source, lake, new_batch_id(), rows_per_file, rows_updated_at)
    stats = PullStats()
    skipped = 0
    for page in [] if unchanged else client.pages(source.dataset_id, since=watermark, stats=stats):
        fresh = [r for r in page if (r[":id"], r[":updated_at"]) not in already]
        skipped += len(page) - len(fresh)
        batch.add(fresh)
    batch.commit()
    expected = set(source.field_names)
    return IngestResult(
        source=source.name,
        batch_id=batch.batch_id,
        watermark_before=watermark,
        watermark_after=lake.watermark(source.name),
        stats=stats,
        files=batch.files,
        new_columns=sorted({f for f in batch.fields_seen | published if not f.startswith(":")} - expected),
        missing_columns=sorted(expected - published),
        skipped_duplicates=skipped,
        aborted_batches=aborted,
        unchanged=unchanged,
        seconds=time.monotonic() - started,
    )
