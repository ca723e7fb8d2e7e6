"""The flags as the read API lists them, held in memory by each API process.

Every page and download of `GET /flags` reads fct_flag_details, a small table (one row per flag: about 3% of
the awards) read far more often than it changes. In the warehouse file a page must decompress every row's
text columns to keep 100 of them; an in-memory DuckDB copy holds them uncompressed and answers the same
SQL (api.queries.flags) in a third of the time. The copy is taken through the warehouse reader (DuckDB or
Redshift alike) and taken again when the table's `built_at` changes, looked at every `check_seconds`: a
build's flags are listed at most that long after it ends.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import duckdb

from api.queries import MAX_PAGE_SIZE, Query
from warehouse.reader import WarehouseReader

TABLE = "fct_flag_details"
CHECK_SECONDS = 10.0
BUILT_AT = Query(f"select max(built_at) as built_at from {TABLE}", [])
EVERY_FLAG = Query(f"select * from {TABLE}", [])


class FlagList:
    """`rows(query)` runs a query of fct_flag_details on this process's copy of it, fresh within
    `check_seconds` of a build."""

    def __init__(self, reader: WarehouseReader, check_seconds: float = CHECK_SECONDS) -> None:
        self.reader = reader
        self.check_seconds = check_seconds
        self._lock = threading.Lock()
        self._copy: duckdb.DuckDBPyConnection | None = None
        self._built_at: object = None
        self._checked_at = 0.0

    def rows(self, query: Query) -> list[dict[str, Any]]:
        cursor = self._current().cursor()
        try:
            cursor.execute(query.sql, list(query.params))
            columns = [column[0] for column in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        finally:
            cursor.close()

    def _current(self) -> duckdb.DuckDBPyConnection:
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


def _in_memory(flags: Any) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding `flags` (an Arrow table) as fct_flag_details. One thread per query (the
    API runs many at once); a page's columns are fetched after its top rows are chosen (late
    materialization up to a page of the largest size)."""
    copy = duckdb.connect(":memory:", config={"threads": 1, "late_materialization_max_rows": MAX_PAGE_SIZE + 1})
    copy.register("flags", flags)
    copy.execute(f"create table {TABLE} as select * from flags")
    copy.unregister("flags")
    return copy
