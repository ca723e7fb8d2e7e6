"""Time every stage of the walking skeleton on generated data and print the figures.

    python -m benchmarks.pipeline --rows 200000      (make bench; SCALE=national uses 5,000,000 rows)

Stages: generate → serve + ingest (real HTTP, keyset pages of 50,000) → Spark clean (Pipes
subprocess) → dbt build on DuckDB. Each figure is wall-clock seconds and rows per second on this
machine; results are appended to benchmarks/results.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg

SCALES = {"small": 200_000, "national": 5_000_000}
RESULTS = Path(__file__).with_name("results.jsonl")
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


@contextmanager
def stage(figures: dict, name: str, rows: int):
    started = time.perf_counter()
    yield
    seconds = time.perf_counter() - started
    figures[name] = {"seconds": round(seconds, 2), "rows_per_second": round(rows / seconds)}
    print(f"{name:<10}{seconds:>9.1f} s{rows / seconds:>14,.0f} rows/s", flush=True)


def run(rows: int, workdir: Path) -> dict:

    from orchestration.assets.raw import raw_assets
    from orchestration.assets.trusted import trusted_assets
    from orchestration.assets.warehouse import Warehouse, warehouse_models
    from orchestration.catalogue import SECOP_II_PROCESOS
    from orchestration.dbt_project import dbt_cli, prepare_manifest
    from orchestration.lake import Lake
    from orchestration.paco import PacoFiles
    from orchestration.socrata import SocrataClient
    from orchestration.spark import LocalSparkRunner
    from simulator.generator import generate_processes
    from simulator.replay_server import ReplayDataset, ReplayServer

    figures: dict = {}
    with stage(figures, "generate", rows):
        generated = generate_processes(rows, workdir / "simulator", seed=1)
    prepare_manifest()
    dataset = ReplayDataset.from_file(generated.path)
    with ReplayServer([dataset]) as server:
        resources = {
            "socrata": SocrataClient(base_url=server.url),
            "paco": PacoFiles(base_url=server.paco_url),
            "lake": Lake(uri=str(workdir / "lake")),
            "spark": LocalSparkRunner(),
            "warehouse": Warehouse(duckdb_path=str(workdir / "warehouse.duckdb")),
            "dbt": dbt_cli(),
        }
        assets = [*raw_assets, *trusted_assets, warehouse_models]
        stages = (
            ("ingest", dg.AssetSelection.assets(dg.AssetKey(["raw", SECOP_II_PROCESOS.name]))),
            ("spark", dg.AssetSelection.assets(dg.AssetKey(["trusted", SECOP_II_PROCESOS.name]))),
            ("dbt", dg.AssetSelection.assets(warehouse_models)),
        )
        for name, selection in stages:
            with stage(figures, name, rows):
                result = dg.materialize(assets, selection=selection, resources=resources, run_config=QUIET)
                assert result.success
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=SCALES[os.getenv("SCALE", "small")])
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="secop-bench-"))
    print(f"pipeline benchmark: {args.rows:,} generated SECOP II process rows in {workdir}")
    try:
        figures = run(args.rows, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    record = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "rows": args.rows,
        "machine": f"{platform.machine()} {os.cpu_count()} cpus",
        **figures,
    }
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
