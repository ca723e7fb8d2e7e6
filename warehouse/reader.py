"""One way to read the marts: DuckDB (read-only) locally, Redshift on AWS (`redshift_connector`).

Every query is written once, in the SQL both engines run, with `?` placeholders for every user-supplied
value (qmark on both). `WarehouseReader.dialect` says which engine answers, for the few expressions
that differ (see `warehouse.sql`).
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import pyarrow as pa

Dialect = Literal["duckdb", "redshift"]
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,126}")


class WarehouseUnavailable(RuntimeError):
    """The warehouse cannot be reached or read (the message names the engine and host, never a secret)."""


@dataclass(frozen=True)
class Batches:
    """A query's column names and its rows in batches (read lazily: memory stays flat)."""

    columns: list[str]
    rows: Iterator[list[tuple]]


class WarehouseReader(Protocol):
    dialect: Dialect

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[dict[str, Any]]:
        """Every row of `sql` as a dict, in the query's order."""
        ...

    @contextmanager
    def batches(self, sql: str, params: Sequence[object] = (), size: int = 10_000) -> Iterator[Batches]:
        """The rows of `sql` in batches of at most `size`, for as long as the block runs."""
        ...

    def arrow(self, sql: str, params: Sequence[object] = ()) -> pa.Table:
        """Every row of `sql` as an Arrow table (a whole table copied at once: the read API's flag list)."""
        ...

    def execute(self, sql: str) -> None:
        """A statement that answers no rows and changes no table: DuckDB's `COPY (...) TO` a file,
        Redshift's `UNLOAD` to S3 (the refined zone)."""
        ...

    def close(self) -> None: ...


def _records(columns: list[str], rows: list[tuple]) -> list[dict[str, Any]]:
    return [dict(zip(columns, row, strict=True)) for row in rows]


class DuckDBReader:
    """The DuckDB warehouse file, read-only. DuckDB lets one process write a file only while no other holds
    it open, so the file stays open only while queries come (and `keep_open_seconds` after the last one):
    a build waits at most that long after the API falls quiet. Each query runs on its own cursor (threads)."""

    dialect: Dialect = "duckdb"

    def __init__(self, path: str, keep_open_seconds: float = 2.0) -> None:
        self.path = path
        self.keep_open_seconds = keep_open_seconds
        self._lock = threading.Lock()
        self._connection: Any = None
        self._active = 0
        self._last_used = 0.0
        self._closer: threading.Timer | None = None

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        import duckdb

        with self._lock:
            if self._connection is None:
                try:
                    self._connection = duckdb.connect(self.path, read_only=True)
                except duckdb.Error as error:
                    raise WarehouseUnavailable(f"the DuckDB warehouse {self.path} cannot be read: {error}") from None
            self._active += 1
            cursor = self._connection.cursor()
        try:
            yield cursor
        except duckdb.CatalogException as error:  # a mart this code reads that the file's build did not make
            raise WarehouseUnavailable(f"the DuckDB warehouse {self.path} lacks what a query reads: {error}") from None
        finally:
            cursor.close()
            with self._lock:
                self._active -= 1
                self._last_used = time.monotonic()
                if self._active == 0 and self._closer is None:
                    self._closer = threading.Timer(self.keep_open_seconds, self._close_when_idle)
                    self._closer.daemon = True
                    self._closer.start()

    def _close_when_idle(self) -> None:
        with self._lock:
            self._closer = None
            idle = time.monotonic() - self._last_used
            if self._active or self._connection is None:
                return
            if idle < self.keep_open_seconds:  # used since the timer started: look again later
                self._closer = threading.Timer(self.keep_open_seconds - idle, self._close_when_idle)
                self._closer.daemon = True
                self._closer.start()
                return
            self._connection.close()
            self._connection = None

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[dict[str, Any]]:
        with self._cursor() as cursor:
            cursor.execute(sql, list(params))
            return _records([column[0] for column in cursor.description], cursor.fetchall())

    @contextmanager
    def batches(self, sql: str, params: Sequence[object] = (), size: int = 10_000) -> Iterator[Batches]:
        with self._cursor() as cursor:
            cursor.execute(sql, list(params))
            columns = [column[0] for column in cursor.description]
            yield Batches(columns, iter(lambda: cursor.fetchmany(size), []))

    def arrow(self, sql: str, params: Sequence[object] = ()) -> pa.Table:
        with self._cursor() as cursor:
            return cursor.sql(sql, params=list(params)).to_arrow_table()

    def execute(self, sql: str) -> None:
        with self._cursor() as cursor:
            cursor.execute(sql)

    def close(self) -> None:
        """Closes the file now (queries after this open it again)."""
        with self._lock:
            if self._closer is not None:
                self._closer.cancel()
                self._closer = None
            if self._connection is not None:
                self._connection.close()
                self._connection = None


@dataclass(frozen=True)
class RedshiftSettings:
    """The `REDSHIFT_*` variables dbt's redshift target reads (dbt_project/profiles.yml)."""

    host: str
    port: int
    user: str
    password: str
    database: str
    schema: str
    timeout_seconds: int = 60  # every statement's deadline, and the socket's

    @classmethod
    def from_env(cls) -> RedshiftSettings:
        schema = os.getenv("REDSHIFT_SCHEMA", "secop")
        if not _IDENTIFIER.fullmatch(schema):
            raise ValueError("REDSHIFT_SCHEMA must be a plain identifier (letters, digits, underscores)")
        port = os.getenv("REDSHIFT_PORT", "5439")
        if not port.isdigit():
            raise ValueError("REDSHIFT_PORT must be a number")
        return cls(
            host=os.getenv("REDSHIFT_HOST", "localhost"),
            port=int(port),
            user=os.getenv("REDSHIFT_USER", "secop"),
            password=os.getenv("REDSHIFT_PASSWORD", ""),
            database=os.getenv("REDSHIFT_DBNAME", "dev"),
            schema=schema,
        )


class RedshiftReader:
    """Redshift through `redshift_connector`: one connection per thread, the marts' schema first in the
    search path, a statement timeout on every query. Errors name the host, never the credentials."""

    dialect: Dialect = "redshift"

    def __init__(self, settings: RedshiftSettings) -> None:
        self.settings = settings
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[Any] = []

    def _connection(self) -> Any:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            return connection
        import redshift_connector

        settings = self.settings
        try:
            connection = redshift_connector.connect(
                host=settings.host,
                port=settings.port,
                user=settings.user,
                password=settings.password,
                database=settings.database,
                timeout=settings.timeout_seconds,
            )
            connection.autocommit = True
            cursor = connection.cursor()
            cursor.execute(f"set search_path to {settings.schema}")
            cursor.execute(f"set statement_timeout to {settings.timeout_seconds * 1000}")
        except Exception as error:  # the driver's messages may quote the connection string
            raise WarehouseUnavailable(
                f"Redshift at {settings.host}:{settings.port} cannot be reached ({type(error).__name__})"
            ) from None
        self._local.connection = connection
        with self._lock:
            self._connections.append(connection)
        return connection

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        cursor = self._connection().cursor()
        cursor.paramstyle = "qmark"
        try:
            yield cursor
        except WarehouseUnavailable:
            raise
        except Exception as error:
            self._forget()
            raise WarehouseUnavailable(
                f"Redshift at {self.settings.host} failed a query ({type(error).__name__}: {error})"
            ) from None
        finally:
            cursor.close()

    def _forget(self) -> None:
        connection = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            with self._lock:
                self._connections.remove(connection)
            try:
                connection.close()
            except Exception:  # already broken
                pass

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[dict[str, Any]]:
        with self._cursor() as cursor:
            cursor.execute(sql, list(params))
            return _records([column[0] for column in cursor.description], list(cursor.fetchall()))

    @contextmanager
    def batches(self, sql: str, params: Sequence[object] = (), size: int = 10_000) -> Iterator[Batches]:
        with self._cursor() as cursor:
            cursor.execute(sql, list(params))
            columns = [column[0] for column in cursor.description]
            yield Batches(columns, iter(lambda: [tuple(row) for row in cursor.fetchmany(size)], []))

    def arrow(self, sql: str, params: Sequence[object] = ()) -> pa.Table:
        with self._cursor() as cursor:
            cursor.execute(sql, list(params))
            columns = [column[0] for column in cursor.description]
            rows = list(cursor.fetchall())
        return pa.table({name: pa.array([row[i] for row in rows]) for i, name in enumerate(columns)})

    def execute(self, sql: str) -> None:
        with self._cursor() as cursor:
            cursor.execute(sql)

    def close(self) -> None:
        with self._lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            try:
                connection.close()
            except Exception:  # already broken
                pass


def open_reader(dbt_target: str, duckdb_path: str) -> WarehouseReader:
    """The reader of the warehouse dbt builds for `dbt_target` (`local`: DuckDB; `redshift`: Redshift)."""
    if dbt_target == "local":
        return DuckDBReader(duckdb_path)
    if dbt_target == "redshift":
        return RedshiftReader(RedshiftSettings.from_env())
    raise ValueError(f"DBT_TARGET must be local or redshift to read the warehouse, got {dbt_target!r}")
