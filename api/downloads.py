"""A list as a CSV or Parquet download, streamed: its items come in batches (a list's keyset pages of
BATCH_ROWS, api.app) and leave as bytes batch by batch, so memory stays flat however long the list."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

BATCH_ROWS = 5_000  # rows fetched, rendered and sent at a time (a Parquet row group each)
FORMATS = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}
# Columns that are not text in a Parquet download (the JSON pages carry them as numbers and ISO text).
_FLOATS = ("award_value", "excess_amount", "risk_score", "awarded_value", "flagged_value", "flagged_value_share")
_INTEGERS = ("awards", "flagged_awards", "flags", "lag_seconds", "risk_rank", "peers", "flag_count")
COLUMN_TYPES: dict[str, pa.DataType] = {
    **dict.fromkeys(_FLOATS, pa.float64()),
    **dict.fromkeys(_INTEGERS, pa.int64()),
    "is_evaluated": pa.bool_(),
    "award_date": pa.date32(),
    "published_at": pa.timestamp("us"),
    "detected_at": pa.timestamp("us"),
}
Items = Iterable[list[dict[str, Any]]]  # a list's items, a batch at a time


def filename(list_name: str, extension: str) -> str:
    return f"secop_{list_name}.{extension}"


def cell(value: Any) -> Any:
    """A value in a CSV cell or a Parquet text column: nested values (the evidence) as JSON text."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) if isinstance(value, (dict, list)) else value


def csv_stream(batches: Items, fields: list[str]) -> Iterator[bytes]:
    """UTF-8 CSV with a byte-order mark (Excel then reads the accents), a header row, then every row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(fields)
    for items in batches:
        writer.writerows([cell(row.get(name)) for name in fields] for row in items)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


class _Chunks:
    """A write-only file for pyarrow whose bytes are taken out after each row group."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.position = 0
        self.closed = False

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def parquet_schema(fields: list[str]) -> pa.Schema:
    return pa.schema([(name, COLUMN_TYPES.get(name, pa.string())) for name in fields])


def parquet_stream(batches: Items, fields: list[str]) -> Iterator[bytes]:
    """A Parquet file, a row group per batch, each sent as soon as it is written."""
    schema = parquet_schema(fields)
    sink = _Chunks()
    writer = pq.ParquetWriter(sink, schema)
    try:
        for items in batches:
            columns = [pa.array([cell(row.get(column.name)) for row in items]).cast(column.type) for column in schema]
            writer.write_table(pa.Table.from_arrays(columns, schema=schema))
            yield sink.take()
    finally:
        writer.close()
    yield sink.take()


STREAMS = {"csv": csv_stream, "parquet": parquet_stream}
