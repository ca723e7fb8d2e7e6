"""The flags as the read API lists them, held in memory by each API process.

Every page and download of `GET /flags` reads fct_flag_details, a small table (one row per flag: about 3% of
the awards) read far more often than it changes. Each API process holds a copy of it in two parts: an
in-memory DuckDB table of the columns a list filters and sorts by (api.queries.FLAG_LIST_COLUMNS), which
answers the list's SQL (api.queries.flags: the flags' keys and sort values, in order), and each flag's shown
columns as one JSON document, found by its keys. A page thus never reads nor converts the wide columns of the
rows it skips, nor those of the rows it keeps: what the query returned is joined with the flags' documents.
The copy is taken through the warehouse reader (DuckDB or Redshift alike) and taken again when the table's
`built_at` changes, looked at every `check_seconds`: a build's flags are listed at most that long after it ends.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import duckdb
import orjson

from api.queries import FLAG_LIST_COLUMNS, FLAG_SHOWN, Query
from warehouse.reader import WarehouseReader

TABLE = "fct_flag_details"
CHECK_SECONDS = 10.0
BUILT_AT = Query(f"select max(built_at) as built_at from {TABLE}", [])
EVERY_FLAG = Query(f"select {', '.join(FLAG_SHOWN)} from {TABLE}", [])

FlagKey = tuple[str, str]  # (award_key, indicator_id)


@dataclass(frozen=True)
class _Copy:
    table: duckdb.DuckDBPyConnection  # fct_flag_details' FLAG_LIST_COLUMNS
    shown: dict[FlagKey, bytes]  # each flag's FLAG_SHOWN as JSON: numbers, ISO dates, the evidence as text


class FlagList:
    """`rows(query)` runs a query of fct_flag_details on this process's copy of it, fresh within
    `check_seconds` of a build: each row it selects that names a flag (award_key and indicator_id) with the
    flag's shown columns added, as JSON carries them (decimals as numbers, dates as ISO text)."""

    def __init__(self, reader: WarehouseReader, check_seconds: float = CHECK_SECONDS) -> None:
        self.reader = reader
        self.check_seconds = check_seconds
        self._lock = threading.Lock()
        self._copy: _Copy | None = None
        self._built_at: object = None
        self._checked_at = 0.0

    def rows(self, query: Query) -> list[dict[str, Any]]:
        copy = self._current()
        cursor = copy.table.cursor()
        try:
            cursor.execute(query.sql, list(query.params))
            columns = [column[0] for column in cursor.description]
            selected = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        finally:
            cursor.close()
        if not {"award_key", "indicator_id"} <= set(columns):  # not flags (a count): as selected
            return selected
        return [{**orjson.loads(copy.shown[row["award_key"], row["indicator_id"]]), **row} for row in selected]

    def _current(self) -> _Copy:
        """The copy, taken again first when the warehouse's table was built since (queries running on the
        previous copy finish on it)."""
        with self._lock:
            if self._copy is not None and time.monotonic() - self._checked_at < self.check_seconds:
                return self._copy
            [stamp] = self.reader.rows(BUILT_AT.sql, BUILT_AT.params)
            self._checked_at = time.monotonic()
            if self._copy is None or stamp["built_at"] != self._built_at:
                self._copy, self._built_at = _in_memory(self.reader.arrow(EVERY_FLAG.sql)), stamp["built_at"]
            return self._copy


def _in_memory(flags: Any) -> _Copy:
    """The copy of `flags` (an Arrow table of FLAG_SHOWN): an in-memory DuckDB table of its list columns (one
    thread per query: the API runs many at once) and its rows as JSON (written by DuckDB in one pass)."""
    table = duckdb.connect(":memory:", config={"threads": 1})
    table.register("flags", flags)
    table.execute(f"create table {TABLE} as select {', '.join(FLAG_LIST_COLUMNS)} from flags")
    documents = table.sql(
        f"select award_key, indicator_id, encode(to_json(struct_pack({', '.join(FLAG_SHOWN)}))) as document from flags"
    ).to_arrow_table()
    keys = zip(documents["award_key"].to_pylist(), documents["indicator_id"].to_pylist(), strict=True)
    shown = dict(zip(keys, documents["document"].to_pylist(), strict=True))
    table.unregister("flags")
    return _Copy(table, shown)
