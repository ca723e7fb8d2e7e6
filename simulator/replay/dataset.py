"""A dataset of the replay server (simulator.replay.server): a stored snapshot (parquet or CSV) loaded
into in-memory DuckDB with stable system fields (`:id`, `:created_at`, `:updated_at`), publisher changes
(`ReplayDataset.upsert`), and the SQL that renders a page of rows as JSON or CSV lines inside DuckDB.
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pyarrow as pa

from catalogue import source_by_dataset_id
from simulator.replay.soql import (
    SYSTEM_FIELDS,
    CompiledQuery,
    OutputColumn,
    quote_ident,
    quote_literal,
    soql_type,
)

DATASET_ID_RE = re.compile(r"[a-z0-9]{4}-[a-z0-9]{4}")
_FLOATING_FORMAT = "%Y-%m-%dT%H:%M:%S.%g"
ROW_ID_RE = "row-[0-9a-f]{4}~[0-9a-f]{4}~[0-9a-f]{4}"
_EXPORT_BATCH_ROWS = 50_000


def _row_id_sql(number: str) -> str:
    """SQL giving the `:id` of row number `number`: fixed width, so string order = number order."""
    return (
        f"format('row-{{:04x}}~{{:04x}}~{{:04x}}', ({number} >> 32) & 65535, "
        f"({number} >> 16) & 65535, {number} & 65535)"
    )


def _utc_now_ms() -> datetime:
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def _epoch(value: datetime) -> float:
    return value.replace(tzinfo=timezone.utc).timestamp()


@dataclass(frozen=True)
class DatasetColumn:
    field_name: str
    display_name: str
    data_type: str  # Socrata dataTypeName: text, number, calendar_date, url


class ReplayDataset:
    """One Socrata dataset held in its own in-memory DuckDB table `data` (business columns VARCHAR).

    Build it with `from_file`; the constructor takes a connection whose table is already loaded. A
    publisher's changes: `upsert` (new and changed rows), `delete` (rows removed), `replace` (the whole
    content republished, every row under a new `:id`).
    """

    def __init__(
        self,
        dataset_id: str,
        connection: duckdb.DuckDBPyConnection,
        columns: list[DatasetColumn],
        loaded_at: datetime,
    ) -> None:
        self.dataset_id = dataset_id
        self.columns = columns
        self.schema = {c.field_name: c.data_type for c in columns}
        source = source_by_dataset_id(dataset_id)
        self.title = source.title if source else dataset_id
        self.description = source.description if source else ""
        self._con = connection
        self._lock = threading.Lock()
        max_updated, max_row_id = self._fetch(
            f"""SELECT max(":updated_at"), max(":id") FILTER (WHERE regexp_full_match(":id", '{ROW_ID_RE}'))
                FROM data"""
        )[0]
        self._last_updated_at: datetime = max_updated or loaded_at
        self._next_row = int(max_row_id[4:].replace("~", ""), 16) + 1 if max_row_id else 0
        self.created_at = int(_epoch(loaded_at))
        self._rows_updated_at = int(_epoch(self._last_updated_at))
        self._view_last_modified = max(self.created_at, self._rows_updated_at)

    @classmethod
    def from_file(cls, path: Path, dataset_id: str | None = None) -> ReplayDataset:
        """Load a parquet or CSV file (id from the file stem unless given); all values become strings."""
        path = Path(path)
        dataset_id = dataset_id or path.stem
        if not DATASET_ID_RE.fullmatch(dataset_id):
            raise ValueError(f"{dataset_id!r} is not a Socrata dataset id (xxxx-xxxx)")
        reader = _reader_sql(path)
        con = duckdb.connect()
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET enable_progress_bar = false")
        described = con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
        file_types = {name: type_ for name, type_, *_ in described}
        columns = _dataset_columns(dataset_id, [n for n in file_types if n not in SYSTEM_FIELDS])
        # Rows without system fields were "published" when the file was written: stable across restarts.
        published_at = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).replace(microsecond=0, tzinfo=None)
        loaded_at = min(published_at, _utc_now_ms())
        con.execute(_load_sql(reader, file_types, columns, loaded_at))
        return cls(dataset_id, con, columns, loaded_at)

    @property
    def row_count(self) -> int:
        return self._fetch("SELECT count(*) FROM data")[0][0]

    @property
    def rows_updated_at(self) -> int:
        """Epoch seconds of the last data change (`rowsUpdatedAt`)."""
        return self._rows_updated_at

    @property
    def last_updated_at(self) -> datetime:
        """The `:updated_at` (UTC, naive) of the latest change."""
        return self._last_updated_at

    @property
    def view_last_modified(self) -> int:
        return self._view_last_modified

    def upsert(self, rows: list[dict[str, str | None]], row_ids: list[str | None] | None = None) -> list[str]:
        """Append rows (row id None) or replace whole rows by `:id`; return the `:id` of every row.

        Touched rows get a new `:updated_at` (strictly later than any before) and `rowsUpdatedAt`
        moves forward by at least one second; new rows also get `:created_at`. Fields missing from a
        replacing row become null.
        """
        ids = list(row_ids) if row_ids is not None else [None] * len(rows)
        self._check_upsert(rows, ids)
        with self._lock:
            new_ids = iter(self._new_row_ids(ids.count(None)))
            ids = [row_id if row_id is not None else next(new_ids) for row_id in ids]
            updated_at = max(_utc_now_ms(), self._last_updated_at + timedelta(milliseconds=1))
            self._write(self._incoming(rows, ids), updated_at)
            self._last_updated_at = updated_at
            self._touched()
        return ids

    def delete(self, row_ids: list[str]) -> None:
        """Delete rows by `:id` (as a publisher does): they vanish from every answer and `rowsUpdatedAt`
        moves forward. Raises ValueError, deleting nothing, when an id is unknown or given twice."""
        if len(set(row_ids)) != len(row_ids):
            raise ValueError("the same row id appears twice in one delete")
        with self._lock:
            known = {row_id for (row_id,) in self._fetch('SELECT ":id" FROM data WHERE ":id" = ANY(?)', [row_ids])}
            if unknown := sorted(set(row_ids) - known):
                raise ValueError(f"{self.dataset_id}: no rows {unknown[:5]} to delete")
            with self._con.cursor() as cursor:
                cursor.execute('DELETE FROM data WHERE ":id" = ANY(?)', [row_ids])
            self._touched()

    def replace(self, rows: list[dict[str, str | None]]) -> list[str]:
        """A publisher's full replace: the dataset's rows become `rows`, each with a new `:id` (never one
        used before) and new `:created_at`/`:updated_at`; `rowsUpdatedAt` moves forward. Returns the ids."""
        self._check_upsert(rows, [None] * len(rows))
        with self._lock:
            ids = self._new_row_ids(len(rows))
            incoming = self._incoming(rows, ids)
            updated_at = max(_utc_now_ms(), self._last_updated_at + timedelta(milliseconds=1))
            self._write(incoming, updated_at, replace_all=True)
            self._last_updated_at = updated_at
            self._touched()
        return ids

    def row_ids(self) -> list[str]:
        """Every row's `:id`, in `:id` order."""
        return [row_id for (row_id,) in self._fetch('SELECT ":id" FROM data ORDER BY ":id"')]

    def rows(self) -> list[dict[str, str | None]]:
        """Every row's values by field name, system fields left out (what `replace` takes), in `:id` order."""
        names = [c.field_name for c in self.columns]
        selected = ", ".join(map(quote_ident, names))
        return [
            dict(zip(names, values, strict=True))
            for values in self._fetch(f'SELECT {selected} FROM data ORDER BY ":id"')
        ]

    def _incoming(self, rows: list[dict[str, str | None]], ids: list[str]) -> pa.Table:
        return pa.table(
            {":id": pa.array(ids, pa.string())}
            | {c.field_name: pa.array([row.get(c.field_name) for row in rows], pa.string()) for c in self.columns}
        )

    def _touched(self) -> None:
        """The data changed: `rowsUpdatedAt` (and the view's last modification) move at least a second."""
        self._rows_updated_at = max(int(time.time()), self._rows_updated_at + 1)
        self._view_last_modified = max(self._view_last_modified, self._rows_updated_at)

    def metadata(self) -> dict[str, object]:
        """The `/api/views/<id>.json` object."""
        return {
            "id": self.dataset_id,
            "name": self.title,
            "description": self.description,
            "attribution": "secop-redflags replay server",
            "createdAt": self.created_at,
            "publicationDate": self.created_at,
            "rowsUpdatedAt": self.rows_updated_at,
            "viewLastModified": self.view_last_modified,
            "newBackend": True,
            "viewType": "tabular",
            "displayType": "table",
            "columns": [
                {
                    "id": position,
                    "name": c.display_name,
                    "fieldName": c.field_name,
                    "dataTypeName": c.data_type,
                    "position": position,
                    "description": "",
                }
                for position, c in enumerate(self.columns, start=1)
            ],
        }

    def fetch_lines(self, sql: str, params: Iterable[object] = ()) -> list[str]:
        """Run a query whose single column is a rendered line; return the lines."""
        return [line for (line,) in self._fetch(sql, params)]

    def stream_lines(self, sql: str) -> Iterator[list[str]]:
        """Run a query whose single column is a rendered line; yield the lines in batches."""
        with self._con.cursor() as cursor:
            for batch in cursor.sql(sql).to_arrow_reader(_EXPORT_BATCH_ROWS):
                yield batch.column(0).to_pylist()

    def _fetch(self, sql: str, params: Iterable[object] = ()) -> list[tuple]:
        with self._con.cursor() as cursor:
            return cursor.execute(sql, list(params)).fetchall()

    def _check_upsert(self, rows: list[dict[str, str | None]], ids: list[str | None]) -> None:
        if len(ids) != len(rows):
            raise ValueError(f"{len(rows)} rows but {len(ids)} row ids")
        unknown = {name for row in rows for name in row} - set(self.schema)
        if unknown:
            raise ValueError(f"{self.dataset_id}: unknown fields {sorted(unknown)}")
        given = [row_id for row_id in ids if row_id is not None]
        if len(set(given)) != len(given):
            raise ValueError("the same row id appears twice in one upsert")

    def _new_row_ids(self, count: int) -> list[str]:
        first, self._next_row = self._next_row, self._next_row + count
        sql = f"SELECT {_row_id_sql('range')} FROM range(?, ?) ORDER BY range"
        return [row_id for (row_id,) in self._fetch(sql, [first, self._next_row])] if count else []

    def _write(self, incoming: pa.Table, updated_at: datetime, replace_all: bool = False) -> None:
        """Replace rows whose `:id` exists and insert the others (after deleting every row when
        `replace_all`), in one transaction."""
        fields = [c.field_name for c in self.columns]
        values = {c.field_name: _normalised(f"incoming.{quote_ident(c.field_name)}", c.data_type) for c in self.columns}
        assignments = ", ".join(f"{quote_ident(name)} = {values[name]}" for name in fields)
        with self._con.cursor() as cursor:
            cursor.register("incoming", incoming)
            cursor.begin()
            try:
                if replace_all:
                    cursor.execute("DELETE FROM data")
                cursor.execute(
                    f'UPDATE data SET {assignments}, ":updated_at" = ? FROM incoming WHERE data.":id" = incoming.":id"',
                    [updated_at],
                )
                cursor.execute(
                    f"""INSERT INTO data (":id", ":created_at", ":updated_at", {", ".join(map(quote_ident, fields))})
                        SELECT incoming.":id", ?, ?, {", ".join(values[name] for name in fields)} FROM incoming
                        WHERE NOT EXISTS (SELECT 1 FROM data WHERE data.":id" = incoming.":id")""",
                    [updated_at, updated_at],
                )
                cursor.commit()
            except BaseException:
                cursor.rollback()
                raise


def _reader_sql(path: Path) -> str:
    location = quote_literal(str(path))
    if path.suffix.lower() == ".parquet":
        return f"read_parquet({location})"
    if path.suffix.lower() == ".csv":
        return f"read_csv({location}, all_varchar = true, header = true)"
    raise ValueError(f"{path}: expected a .parquet or .csv file")


def _dataset_columns(dataset_id: str, file_fields: list[str]) -> list[DatasetColumn]:
    """Catalogue columns first (even if absent from the file), then the file's other columns as text."""
    source = source_by_dataset_id(dataset_id)
    known = [DatasetColumn(c.field_name, c.display_name, c.socrata_type) for c in source.columns] if source else []
    names = {c.field_name for c in known}
    return known + [DatasetColumn(name, name, "text") for name in file_fields if name not in names]


def _load_sql(reader: str, file_types: Mapping[str, str], columns: list[DatasetColumn], loaded_at: datetime) -> str:
    """CREATE TABLE data: system fields kept from the file or generated in file order, values as VARCHAR.

    Generated timestamps are one millisecond apart in file order, ending at `loaded_at`, as rows
    published over time are: a watermark then falls on one row, not on the whole dataset.
    """
    loaded = (
        f"(TIMESTAMP {quote_literal(loaded_at.isoformat(sep=' '))}"
        " - to_milliseconds(count(*) OVER () - 1 - __replay_row))"
    )
    row_id = 'CAST(":id" AS VARCHAR)' if ":id" in file_types else _row_id_sql("__replay_row")
    created, updated = (
        f"date_trunc('millisecond', CAST({quote_ident(name)} AS TIMESTAMP))" if name in file_types else loaded
        for name in (":created_at", ":updated_at")
    )
    values = ", ".join(
        f"{_varchar_sql(c.field_name, file_types.get(c.field_name), c.data_type)} AS {quote_ident(c.field_name)}"
        for c in columns
    )
    return f"""CREATE TABLE data AS
        SELECT {row_id} AS ":id", {created} AS ":created_at", {updated} AS ":updated_at", {values}
        FROM (SELECT row_number() OVER () - 1 AS __replay_row, * FROM {reader})"""


def _varchar_sql(name: str, file_type: str | None, data_type: str) -> str:
    """A file column as Socrata's string value: nested values as JSON text, timestamps in ISO form."""
    if file_type is None:
        return "CAST(NULL AS VARCHAR)"
    column = quote_ident(name)
    if file_type.startswith(("STRUCT", "MAP", "UNION", "JSON")) or file_type.endswith("]"):
        sql = f"CAST(to_json({column}) AS VARCHAR)"
    elif file_type == "DATE" or file_type.startswith("TIMESTAMP"):
        sql = f"strftime(CAST({column} AS TIMESTAMP), '{_FLOATING_FORMAT}')"
    else:
        sql = f"CAST({column} AS VARCHAR)"
    return _normalised(sql, data_type)


def _normalised(sql: str, data_type: str) -> str:
    """Floating timestamps as Socrata serves them (`2024-01-31T00:00:00.000`); unparseable text kept."""
    if data_type != "calendar_date":
        return sql
    return f"coalesce(strftime(TRY_CAST({sql} AS TIMESTAMP), '{_FLOATING_FORMAT}'), {sql})"


# -- rendering -------------------------------------------------------------------------------------


def page_sql(query: CompiledQuery, line_sql: str) -> str:
    """The page's rows rendered by `line_sql`; placeholders: the query's params, then limit, offset."""
    if query.aggregate:
        return f"SELECT {line_sql} FROM data WHERE {query.where} LIMIT ? OFFSET ?"
    return f"""SELECT {line_sql} FROM data
        WHERE rowid IN (SELECT rowid FROM data WHERE {query.where} ORDER BY {query.order} LIMIT ? OFFSET ?)
        ORDER BY {query.order}"""


def _url_is_object(sql: str) -> str:
    return f"(starts_with(ltrim({sql}), '{{') AND json_valid({sql}))"


def _json_value_sql(column: OutputColumn) -> str:
    """The value as JSON text, NULL for null; a url that is not a JSON object becomes `{"url": value}`."""
    if column.soql_type == "url":
        return (
            f"CAST(CASE WHEN {_url_is_object(column.sql)} THEN json({column.sql}) "
            f"WHEN {column.sql} IS NOT NULL THEN json_object('url', {column.sql}) END AS VARCHAR)"
        )
    return f"CAST(to_json({column.sql}) AS VARCHAR)"


def json_line_sql(columns: Iterable[OutputColumn]) -> str:
    """One JSON object per row; null fields are omitted (a NULL member is skipped by concat_ws)."""
    members = ", ".join(f"{quote_literal(json.dumps(c.name) + ':')} || {_json_value_sql(c)}" for c in columns)
    return f"'{{' || concat_ws(',', {members}) || '}}'"


def _csv_field_sql(column: OutputColumn) -> str:
    """Every value quoted (inner quotes doubled), null as an empty field; a url object gives its url."""
    value = column.sql
    if column.soql_type == "url":
        value = f"CASE WHEN {_url_is_object(value)} THEN json_extract_string({value}, '$.url') ELSE {value} END"
    return f"""coalesce('"' || replace({value}, '"', '""') || '"', '')"""


def csv_line_sql(columns: Iterable[OutputColumn]) -> str:
    return f"concat_ws(',', {', '.join(_csv_field_sql(c) for c in columns)})"


def csv_header(names: Iterable[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL).writerow(list(names))
    return buffer.getvalue()


def dataset_output_columns(dataset: ReplayDataset) -> list[OutputColumn]:
    return [OutputColumn(c.field_name, quote_ident(c.field_name), soql_type(c.data_type)) for c in dataset.columns]
