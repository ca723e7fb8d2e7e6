"""`python -m api`: the read API on 127.0.0.1:8000 over the warehouse the environment names (DBT_TARGET,
SECOP_DUCKDB_PATH or the REDSHIFT_* variables). Another interface only with an explicit `--host`.

It runs `--workers` processes (one per core by default, at most MAX_WORKERS): a request's Python work holds
one core, so one process would leave the others to the warehouse alone. Each opens its own reader (DuckDB
lets any number of processes read one file)."""

from __future__ import annotations

import argparse
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI

from api.app import create_app
from orchestration.settings import Settings
from warehouse.reader import open_reader

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
MAX_WORKERS = 4


def default_workers() -> int:
    """One server process per core, at most MAX_WORKERS."""
    return min(os.cpu_count() or 1, MAX_WORKERS)


def app_from_env() -> FastAPI:
    """The API over the warehouse the environment names; its reader is closed when the server stops."""
    settings = Settings.from_env()
    reader = open_reader(settings.dbt_target, settings.duckdb_path)

    @asynccontextmanager
    async def closing_reader(_: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            reader.close()

    return create_app(reader, lifespan=closing_reader)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m api", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=DEFAULT_HOST, help="interface to listen on (default 127.0.0.1: this machine)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 8000)")
    workers = default_workers()
    parser.add_argument("--workers", type=int, default=workers, help=f"server processes (default {workers}: the cores)")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    settings = Settings.from_env()
    open_reader(settings.dbt_target, settings.duckdb_path).close()  # a wrong DBT_TARGET stops here, not in a worker
    where = settings.duckdb_path if settings.dbt_target == "local" else "Redshift"
    print(f"SECOP red flags API over {where}: http://{args.host}:{args.port}/docs", flush=True)
    uvicorn.run(
        "api.__main__:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="warning",
    )


if __name__ == "__main__":
    main()
