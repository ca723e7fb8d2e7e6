"""Trusted-zone build time for generated SECOP II contracts: a full build, then an increment of 1%.

    python -m benchmarks.trusted --rows 100000     (make bench; SCALE=national: 1,000,000 and 5,000,000)

Contracts are tiled from the simulator's generated contracts (fresh ids, `_row_id`s and update times)
and landed as committed raw batches of 50,000 rows, as ingestion writes them. The full build and the
increment are real `trusted_zone` materializations (Pipes subprocess, local Spark). The increment
lands 1% of the rows: half new editions of existing contracts, half new contracts. Figures: wall-clock
seconds (Spark start included) and rows per second; appended to benchmarks/results.jsonl.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from benchmarks.pipeline import QUIET, RESULTS
from orchestration.assets.trusted import trusted_assets, trusted_key
from orchestration.catalogue import SECOP_II_CONTRATOS
from orchestration.ingest import ROWS_PER_FILE, RawBatch
from orchestration.lake import Lake, new_batch_id
from orchestration.spark import LocalSparkRunner
from simulator.datasets import generate_sources
from simulator.generator import generate_processes

CHANGE_SHARE = 0.01
EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc)


def template_contracts(workdir: Path) -> pa.Table:
    """The simulator's contracts (every column a string, as served) to tile from."""
    processes = generate_processes(20_000, workdir / "simulator", seed=7)
    contracts = generate_sources(workdir / "simulator", processes.path, seed=7)[SECOP_II_CONTRATOS.name]
    table = pq.read_table(contracts)
    return table.select([c for c in table.column_names if not c.startswith(":")])


def _stamp(offsets_ms: np.ndarray) -> pa.Array:
    """Socrata's `:updated_at` form, `EPOCH` plus the offsets in milliseconds."""
    times = pa.array(np.datetime64(EPOCH.replace(tzinfo=None), "ms") + offsets_ms.astype("timedelta64[ms]"))
    return pc.strftime(times, format="%Y-%m-%dT%H:%M:%SZ")


def contracts(template: pa.Table, numbers: np.ndarray, edition: int) -> pa.Table:
    """Contracts numbered `numbers` (tiled from the template) in their `edition`-th published version."""
    rows = template.take(pa.array(numbers % template.num_rows))
    ids = pa.array([f"CO1.PCCNTR.B{n}" for n in numbers], pa.string())
    rows = rows.set_column(rows.schema.get_field_index("id_contrato"), "id_contrato", ids)
    if edition > 1:  # a new edition: the contract moved on
        state = pa.array(["Modificado"] * len(numbers), pa.string())
        rows = rows.set_column(rows.schema.get_field_index("estado_contrato"), "estado_contrato", state)
    system = {
        "_row_id": pa.array([f"row-{n}" for n in numbers], pa.string()),
        "_source_updated_at": _stamp(numbers + edition * 10**10),
        "_source_created_at": _stamp(numbers),
    }
    for name, values in system.items():
        rows = rows.append_column(name, values)
    return rows


def land(lake: Lake, tables) -> str:
    batch = RawBatch(SECOP_II_CONTRATOS, lake, new_batch_id())
    for table in tables:
        batch.add(table)
    batch.commit()
    return batch.batch_id


def materialize(lake: Lake) -> tuple[float, dict]:
    started = time.perf_counter()
    result = dg.materialize(
        trusted_assets,
        selection=[trusted_key(SECOP_II_CONTRATOS)],
        resources={"lake": lake, "spark": LocalSparkRunner()},
        run_config=QUIET,
    )
    seconds = time.perf_counter() - started
    (event,) = result.asset_materializations_for_node("trusted_zone")
    return seconds, {k: v.value for k, v in event.metadata.items()}


def run(rows: int, workdir: Path) -> dict:
    lake = Lake(uri=str(workdir / "lake"))
    template = template_contracts(workdir)
    started = time.perf_counter()
    land(
        lake,
        (contracts(template, np.arange(i, min(i + ROWS_PER_FILE, rows)), 1) for i in range(0, rows, ROWS_PER_FILE)),
    )
    print(f"landed {rows:,} contracts in {time.perf_counter() - started:.1f} s", flush=True)
    full_seconds, full = materialize(lake)

    changed = int(rows * CHANGE_SHARE)
    rng = np.random.default_rng(1)
    updated = np.sort(rng.choice(rows, changed // 2, replace=False))
    new = np.arange(rows, rows + changed - len(updated))
    land(lake, [contracts(template, updated, 2), contracts(template, new, 1)])
    incremental_seconds, incremental = materialize(lake)
    figures = {
        "rows": rows,
        "full": {
            "mode": full["mode"],
            "seconds": round(full_seconds, 1),
            "rows_per_second": round(rows / full_seconds),
        },
        "incremental": {
            "mode": incremental["mode"],
            "rows": changed,
            "seconds": round(incremental_seconds, 1),
            "rows_per_second": round(changed / incremental_seconds),
            "partitions_written": incremental["partitions_written"],
            "share_of_full_time": round(incremental_seconds / full_seconds, 3),
        },
        "trusted_rows": full["rows_trusted"],
    }
    print(json.dumps(figures, indent=2), flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="contracts to build (repeatable)")
    args = parser.parse_args()
    for rows in args.rows or [100_000]:
        workdir = Path(tempfile.mkdtemp(prefix="secop-bench-trusted-"))
        try:
            figures = run(rows, workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        record = {"benchmark": "trusted", "at": datetime.now(timezone.utc).isoformat(), "host": platform.node()}
        with RESULTS.open("a") as handle:
            handle.write(json.dumps({**record, **figures}) + "\n")


if __name__ == "__main__":
    main()
