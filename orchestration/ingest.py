"""Pull one source into `raw/<source>/batch=<id>/` and commit it in the control log.

Rows are kept as served: every value a string (non-string JSON values as compact JSON text), plus
`_row_id` (`:id`), `_source_updated_at` (`:updated_at`), `_source_created_at` (`:created_at`),
`_batch_id` and `_ingested_at`. A Socrata pull re-reads rows at the watermark itself (`>=`) and drops
(`_row_id`, `_source_updated_at`) pairs already committed, so rows sharing the watermark's timestamp are
neither lost nor duplicated. A PACO file is a snapshot: each new version of the file lands whole, with
`_row_id` the sha256 of the row's content and `_source_updated_at` the file's Last-Modified time.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from catalogue import Source, field_name_of
from catalogue.lake_layout import raw_file
from orchestration.http import PullStats
from orchestration.lake import Lake, LogEntry, WrittenFile, new_batch_id, utc_now
from orchestration.paco import PacoFiles, read_delimited
from orchestration.prefetch import prefetched
from orchestration.served_rows import served_table
from orchestration.socrata import SocrataClient

ROWS_PER_FILE = 50_000  # one full Socrata page: ~55 MB of Arrow strings held at most for a wide source


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
    renamed_columns: dict[str, str] = field(default_factory=dict)  # served name -> committed name
    rows_new: int = 0  # rows the lake had not seen (Socrata: created after the previous watermark)
    rows_updated: int = 0  # new versions of rows the lake already holds
    rows_removed: int = 0  # file sources: rows of the previous snapshot gone from this one
    skipped_duplicates: int = 0
    aborted_batches: list[str] = field(default_factory=list)
    unchanged: bool = False  # rowsUpdatedAt (or a file's Last-Modified) had not moved: nothing was pulled
    source_changed_at: int | None = None  # the publisher's last change: rowsUpdatedAt or Last-Modified (epoch)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def bytes(self) -> int:
        return sum(f.bytes for f in self.files)


class RawBatch:
    """Collects served pages (as Arrow tables) and writes parquet files of bounded size, logged as `written`."""

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
        self.pending: list[pa.Table] = []
        self.pending_rows = 0
        self.entries: list[LogEntry] = []
        self.files: list[WrittenFile] = []
        self.columns_seen: set[str] = set()
        self.renamed: dict[str, str] = {}

    def add(self, table: pa.Table, renamed: dict[str, str] | None = None) -> None:
        self.columns_seen.update(table.column_names)
        self.renamed.update(renamed or {})
        self.pending.append(table)
        self.pending_rows += table.num_rows
        while self.pending_rows >= self.rows_per_file:
            self.flush()

    def flush(self) -> None:
        """Write the first `rows_per_file` pending rows (or all that are left) as one file."""
        if not self.pending_rows:
            return
        pending = pa.concat_tables(self.pending, promote_options="default")
        table, rest = pending.slice(0, self.rows_per_file), pending.slice(self.rows_per_file)
        self.pending, self.pending_rows = ([rest] if rest.num_rows else []), rest.num_rows
        table = table.append_column("_batch_id", pa.array([self.batch_id] * table.num_rows, pa.string()))
        table = table.append_column("_ingested_at", pa.array([self.ingested_at] * table.num_rows, pa.string()))
        relpath = raw_file(self.source.name, self.batch_id, len(self.files))
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

    def commit(self) -> None:
        """One log file marks every file of the batch committed: the batch appears atomically."""
        while self.pending_rows:
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


def _drop_committed(table: pa.Table, already: set[tuple[str, str]], watermark: str | None) -> pa.Table:
    """Rows at the watermark that an earlier batch committed come again through the `>=` overlap: drop them."""
    if not already or not pc.any(pc.equal(table.column("_source_updated_at"), watermark)).as_py():
        return table
    pairs = zip(table.column("_row_id").to_pylist(), table.column("_source_updated_at").to_pylist(), strict=True)
    return table.filter(pa.array([pair not in already for pair in pairs]))


def _created_after(table: pa.Table, watermark: str | None) -> int:
    if watermark is None:
        return table.num_rows
    return pc.sum(pc.greater(table.column("_source_created_at"), watermark)).as_py() or 0


def _drift(source: Source, served: set[str], published: set[str]) -> tuple[list[str], list[str]]:
    """New columns (served or published, not catalogued) and catalogued columns not published."""
    expected = set(source.field_names)
    new = sorted({f for f in served | published if not f.startswith((":", "_"))} - expected)
    return new, sorted(expected - published)


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
    skipped = new = 0
    json_fields = [c.field_name for c in source.columns if c.kind == "url"]
    pages = [] if unchanged else client.pages(source.dataset_id, since=watermark, stats=stats)
    # Each page becomes Arrow in the pulling thread, which then asks for the next one while this thread
    # writes the files: the page's dicts are freed before the next request, as without the thread.
    for served, table, renamed in prefetched(_served_tables(pages, source, json_fields), name=f"pull {source.name}"):
        table = _drop_committed(table, already, watermark)
        skipped += served - table.num_rows
        new += _created_after(table, watermark)
        batch.add(table, renamed)
        del table  # written: not held while the next page is awaited
    batch.commit()
    new_columns, missing_columns = _drift(source, batch.columns_seen, published)
    return IngestResult(
        source=source.name,
        batch_id=batch.batch_id,
        watermark_before=watermark,
        watermark_after=lake.watermark(source.name),
        stats=stats,
        files=batch.files,
        new_columns=new_columns,
        missing_columns=missing_columns,
        renamed_columns=batch.renamed,
        rows_new=new,
        rows_updated=sum(f.rows for f in batch.files) - new,
        skipped_duplicates=skipped,
        aborted_batches=aborted,
        unchanged=unchanged,
        source_changed_at=rows_updated_at,
        seconds=time.monotonic() - started,
    )


def _served_tables(
    pages: Iterable[list[dict]], source: Source, json_fields: list[str]
) -> Iterator[tuple[int, pa.Table, dict[str, str]]]:
    """Each page as (rows served, Arrow table, renamed fields), its dicts freed once converted."""
    for page in pages:
        table, renamed = served_table(page, source.field_names, json_fields)
        served = len(page)
        page.clear()  # the dicts are in Arrow now: free them before the next page arrives
        yield served, table, renamed
        del table  # the writer has it: not held while the next page is pulled and converted


def _socrata_timestamp(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _content_ids(rows: list[list[str]], seen: Counter) -> list[str]:
    """sha256 of each row's values; a repeat of an identical row gets its occurrence number mixed in."""
    ids = []
    for values in rows:
        content = "\x1f".join(values).encode()
        row_id = hashlib.sha256(content).hexdigest()
        seen[row_id] += 1
        if seen[row_id] > 1:
            row_id = hashlib.sha256(content + f"\x1e{seen[row_id]}".encode()).hexdigest()
        ids.append(row_id)
    return ids


def ingest_file_source(
    source: Source, files: PacoFiles, lake: Lake, rows_per_file: int = ROWS_PER_FILE
) -> IngestResult:
    """Land a new version of a PACO file as one committed snapshot batch; an unchanged file costs a HEAD."""
    started = time.monotonic()
    stats = PullStats()
    aborted = lake.abort_uncommitted(source.name)
    watermark = lake.watermark(source.name)
    modified = files.last_modified(source.dataset_id, stats)
    batch = RawBatch(source, lake, new_batch_id(), rows_per_file, modified)
    result = IngestResult(source.name, batch.batch_id, watermark, watermark, stats, aborted_batches=aborted)
    result.source_changed_at = modified
    if modified == lake.pulled_rows_updated_at(source.name):
        result.unchanged, result.seconds = True, time.monotonic() - started
        return result
    previous = {row_id for row_id, _ in _pairs_at(lake, source, watermark)}
    current: set[str] = set()
    by_header = {c.display_name.strip(): c.field_name for c in source.columns}
    with tempfile.TemporaryDirectory(prefix=f"{source.name}-") as folder:
        path, modified = files.download(source.dataset_id, Path(folder), stats)
        batch.rows_updated_at = result.source_changed_at = modified
        header, rows = read_delimited(path, source.name)
        fields = [by_header.get(h.strip()) or field_name_of(h) for h in header]
        known = [*source.field_names, *(f for f in fields if f not in source.field_names)]
        served_at, seen = _socrata_timestamp(modified), Counter()
        while chunk := list(islice(rows, 10_000)):
            ids = _content_ids(chunk, seen)
            current.update(ids)
            served = [_file_row(fields, values, row_id, served_at) for values, row_id in zip(chunk, ids, strict=True)]
            batch.add(*served_table(served, known, own_fields=["_overflow"]))
    batch.commit()
    stats.rows = len(current)
    result.files, result.watermark_after = batch.files, lake.watermark(source.name)
    result.new_columns, result.missing_columns = _drift(source, set(fields), set(fields))
    result.rows_new, result.rows_removed = len(current - previous), len(previous - current)
    result.rows_updated = 0  # a content hash changes with the content: a changed row is new + removed
    result.seconds = time.monotonic() - started
    return result


def _file_row(fields: list[str], values: list[str], row_id: str, served_at: str) -> dict:
    """One file row as served rows look: empty fields omitted (null), extra fields kept as JSON."""
    row: dict = {name: value for name, value in zip(fields, values, strict=False) if value != ""}
    if len(values) > len(fields):
        row["_overflow"] = json.dumps(values[len(fields) :], ensure_ascii=False)
    row.update({":id": row_id, ":updated_at": served_at, ":created_at": served_at})
    return row
