"""The API benchmark's server process: the read API over one DuckDB warehouse, served by uvicorn on 127.0.0.1.

    python -m benchmarks.api_server --warehouse .data/bench/api-1000000/warehouse.duckdb --port 8123

Imports only the API and the reader, so the memory sampled in this process is the API's.
"""

from __future__ import annotations

import argparse

import uvicorn

from api.app import create_app
from warehouse.reader import open_reader


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", required=True, help="the DuckDB file (opened read-only)")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    app = create_app(open_reader("local", args.warehouse))
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
