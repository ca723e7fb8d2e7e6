"""`python -m api`: the read API on 127.0.0.1:8000 over the warehouse the environment names (DBT_TARGET,
SECOP_DUCKDB_PATH or the REDSHIFT_* variables). Another interface only with an explicit `--host`."""

from __future__ import annotations

import argparse

import uvicorn

from api.app import create_app
from orchestration.settings import Settings
from warehouse.reader import open_reader

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m api", description=__doc__)
    parser.add_argument("--host", default=DEFAULT_HOST, help="interface to listen on (default 127.0.0.1: this machine)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 8000)")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    reader = open_reader(settings.dbt_target, settings.duckdb_path)
    where = settings.duckdb_path if reader.dialect == "duckdb" else "Redshift"
    print(f"SECOP red flags API over {where}: http://{args.host}:{args.port}/docs", flush=True)
    try:
        uvicorn.run(create_app(reader), host=args.host, port=args.port, log_level="warning")
    finally:
        reader.close()


if __name__ == "__main__":
    main()
