"""The whole warehouse at a given scale, stage by stage, each figure against its baseline.

    python -m benchmarks.suite                     (make bench: 50,000 contracts)
    python -m benchmarks.suite --scale national    (SCALE=national make bench: 5.6 M contracts, ~70 M rows)

On generated data only (simulator.national: a generated world tiled to the scale, every source at the
national proportions of docs/sources.md#volumes):
1. generate: the raw zone written as a first full load leaves it (committed batches of 50,000 rows);
2. ingestion over HTTP (benchmarks.ingestion): our client against the bare `requests` loop on the same
   pages, served by the replay server in its own process; with the rows per second, the hours a first
   national load (~70 M rows) would take;
3. build from the raw zone: the trusted zone of every source (the `trusted_zone` asset: one Spark job,
   local[*]), then `dbt build` of every model and test (the `warehouse_models` asset, DuckDB);
   baseline: the reference architecture's approach, the same full reload of the trusted zone plus its
   indicators in PySpark (benchmarks.reference_indicators);
4. daily delta: 0.1% of the rows of every Socrata source new or changed, served by the replay server,
   then ingested, applied to the trusted zone (an increment) and built by dbt; baseline: the reference's
   full reload and recomputation;
5. the read API over the warehouse the delta left (benchmarks.api: profiles and flag pages under 20
   concurrent clients, then every flag as one CSV download; `--skip-api` leaves it out).
`--another-day` runs only one more day's delta on what the last run of that size left
(`.data/bench/suite-<contracts>/`), without building it again.
Peak memory is the resident size of the whole process tree (Spark JVM and dbt included), sampled.
Prints one table and appends the record to benchmarks/results.jsonl.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq

from benchmarks.api import bench as bench_api
from benchmarks.api import print_table as print_api_table
from benchmarks.chart import draw, latest_per_size
from benchmarks.indicators import time_reference
from benchmarks.ingestion import bench_size
from benchmarks.memory import PeakMemory
from benchmarks.records import append_record, machine, now
from catalogue import SOURCES
from orchestration.assets.raw import raw_assets
from orchestration.assets.trusted import trusted_assets, trusted_key
from orchestration.assets.warehouse import warehouse_assets
from orchestration.automation import socrata_updates
from orchestration.dbt_project import dbt_cli, prepare_manifest
from orchestration.lake import Lake
from orchestration.paco import PacoFiles
from orchestration.reconcile import reconciles
from orchestration.resources import Warehouse
from orchestration.settings import REPO_ROOT
from orchestration.socrata import SocrataClient
from orchestration.spark import LocalSparkRunner
from simulator.datasets import generate_sources
from simulator.generator import generate_processes
from simulator.national import (
    NATIONAL_CONTRACTS,
    NATIONAL_RAW_ROWS,
    NATIONAL_ROWS,
    NationalWorld,
    daily_delta,
    delta_time,
    listed_dataset,
)
from simulator.replay.dataset import ReplayDataset
from simulator.replay.server import ReplayServer
from simulator.truth import RUN_DATE

QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
BENCH = REPO_ROOT / ".data" / "bench"
WORLD_PROCESSES = 60_000  # the demo's world: 18,000 contracts with the planted cases of every indicator
DELTA_SHARE = 0.001
LAST_DAY = "last_delta_day"  # in a run's work folder: the day of its last delta
SENSOR_RUN = {"dagster/sensor_name": socrata_updates.name}  # a day's change arrives through the sensor's runs


@dataclass(frozen=True)
class Scale:
    contracts: int
    ingestion_rows: int  # served over HTTP: ingestion is measured apart, server and client share the cores


SCALES = {"small": Scale(50_000, 200_000), "national": Scale(NATIONAL_CONTRACTS, 1_000_000)}


@contextmanager
def stage(figures: dict, name: str) -> Iterator[dict]:
    """Time a stage and sample its peak memory; the body may add figures (rows...) to the yielded dict."""
    record: dict = {}
    started = time.perf_counter()
    with PeakMemory() as peak:
        yield record
    figures[name] = {"seconds": round(time.perf_counter() - started, 1), "peak_rss_mib": peak.mib, **record}
    print(f"  {name}: {figures[name]}", flush=True)


def world(seed: int) -> Path:
    """The generated world, once per seed (its files are never changed)."""
    folder = BENCH / f"world-{WORLD_PROCESSES}-seed{seed}"
    if not (folder / "world.json").exists():
        shutil.rmtree(folder, ignore_errors=True)
        generated = generate_processes(WORLD_PROCESSES, folder, seed=seed)
        generate_sources(folder, generated.path, seed=seed)
        (folder / "world.json").write_text(json.dumps({"processes": WORLD_PROCESSES, "seed": seed}))
    return folder


def materialize(
    assets: list, selection: list[dg.AssetKey] | dg.AssetSelection, resources: dict, tags: dict[str, str] | None = None
) -> dict:
    """One in-process run; each materialization's metadata by asset key."""
    run_config = dict(QUIET)
    if warehouse_assets() in assets:
        run_config["ops"] = {"warehouse_models": {"config": {"run_date": RUN_DATE}}}
    result = dg.materialize(assets, selection=selection, resources=resources, run_config=run_config, tags=tags)
    if not result.success:
        raise RuntimeError(f"run failed: {selection}")
    materializations = [
        event.event_specific_data.materialization for event in result.get_asset_materialization_events()
    ]
    return {m.asset_key.to_user_string(): {k: v.value for k, v in m.metadata.items()} for m in materializations}


def build(lake: Lake, warehouse: Warehouse, figures: dict, prefix: str, tags: dict[str, str] | None = None) -> None:
    """The trusted zone of every source, then every model and test of the warehouse (`tags`: the runs')."""
    resources = {"lake": lake, "spark": LocalSparkRunner(driver_memory="8g"), "warehouse": warehouse, "dbt": dbt_cli()}
    with stage(figures, f"{prefix}trusted") as record:
        trusted = materialize(trusted_assets, [trusted_key(s) for s in SOURCES], resources, tags)
        record["rows_in"] = sum(m["rows_in"] for m in trusted.values())
        record["sources"] = {
            key.removeprefix("trusted/"): {n: m[n] for n in ("mode", "rows_in", "rows_trusted", "seconds")}
            for key, m in trusted.items()
        }
    with stage(figures, f"{prefix}dbt"):
        materialize([warehouse_assets()], dg.AssetSelection.assets(warehouse_assets()), resources, tags)


def ingestion(rows: int, logdir: Path) -> dict:
    result = bench_size(rows, page_size=50_000, seed=1, cache=True, profile=False, logdir=logdir)
    ours = result["ours"]["rows_per_second"]
    return {**result, "national_first_load_hours": round(NATIONAL_RAW_ROWS / ours / 3600, 1)}


def delta(national: NationalWorld, lake: Lake, warehouse: Warehouse, work: Path, figures: dict, day: int = 1) -> None:
    """Day `day`'s change of every Socrata source through every stage, ingestion over HTTP included (the
    same sampled rows each day, with that day's `:updated_at`: from day 2 on, all of them are edits)."""
    served = work / "delta"
    served.mkdir(parents=True, exist_ok=True)
    rows = 0
    for source in (s for s in SOURCES if not s.is_file):
        table = daily_delta(national, source, DELTA_SHARE, delta_time(day))
        rows += table.num_rows
        if reconciles(source):  # the portal lists every row: its count must not read as deletions
            table = listed_dataset(national, source, table)
        pq.write_table(table, served / f"{source.dataset_id}.parquet")
    datasets = [ReplayDataset.from_file(path) for path in sorted(served.glob("*.parquet"))]
    started = time.perf_counter()  # the portal's side is ready: what follows is ours
    with ReplayServer(datasets) as server:
        resources = {
            "lake": lake,
            "socrata": SocrataClient(base_url=server.url),
            "paco": PacoFiles(base_url=server.paco_url),
        }
        socrata = [a for a, s in zip(raw_assets, SOURCES, strict=True) if not s.is_file]
        with stage(figures, "delta_ingest") as record:
            materialize(socrata, dg.AssetSelection.assets(*socrata), resources, SENSOR_RUN)
            record["rows"] = rows
    build(lake, warehouse, figures, "delta_", SENSOR_RUN)
    figures["delta_total"] = {"seconds": round(time.perf_counter() - started, 1), "rows": rows, "day": day}
    (work / LAST_DAY).write_text(str(day))


def workspace(scale: Scale) -> tuple[Path, Lake, Warehouse]:
    """A size's work folder, with its lake and its DuckDB warehouse."""
    work = BENCH / f"suite-{scale.contracts}"
    return work, Lake(uri=str(work / "lake")), Warehouse(duckdb_path=str(work / "warehouse.duckdb"))


def another_day(scale: Scale, seed: int) -> dict:
    """One more day's change on the lake and warehouse that the last run of this size left."""
    work, lake, warehouse = workspace(scale)
    if not (work / LAST_DAY).exists():
        raise SystemExit(f"{work}: no finished run of {scale.contracts:,} contracts to add a day to")
    figures: dict = {}
    prepare_manifest()
    national = NationalWorld.open(world(seed), scale.contracts)
    delta(national, lake, warehouse, work, figures, day=int((work / LAST_DAY).read_text()) + 1)
    return figures


def run(scale: Scale, seed: int, skip_ingestion: bool, skip_reference: bool, skip_api: bool) -> dict:
    figures: dict = {}
    work, lake, warehouse = workspace(scale)
    shutil.rmtree(work, ignore_errors=True)
    world_dir = world(seed)
    prepare_manifest()
    with stage(figures, "generate") as record:
        national = NationalWorld.open(world_dir, scale.contracts)
        record["sources"] = {s.name: national.write_raw(lake, s) for s in SOURCES}
        record["rows"] = sum(record["sources"].values())
        record["tiles"] = national.tiles
    if not skip_ingestion:
        with tempfile.TemporaryDirectory(prefix="secop-bench-ingestion-") as logdir:
            figures["ingestion"] = ingestion(scale.ingestion_rows, Path(logdir))
    started = time.perf_counter()
    build(lake, warehouse, figures, "")
    figures["build"] = {"seconds": round(time.perf_counter() - started, 1)}
    if not skip_reference:
        with stage(figures, "reference_indicators") as record:
            record.update(time_reference(work / "lake", work))
    delta(national, lake, warehouse, work, figures)
    if not skip_api:
        with stage(figures, "api") as record:
            record.update(bench_api(Path(warehouse.duckdb_path)))
    return figures


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a and b else ""


def print_table(figures: dict, scale: Scale) -> None:
    rows: list[tuple[str, str, str, str, str, str]] = []

    def line(name: str, n: int | None, seconds: float, peak: int | None, baseline: str = "", vs: str = "") -> None:
        rate = f"{n / seconds:,.0f}" if n and seconds else ""
        rows.append((name, f"{n:,}" if n else "", f"{seconds:,.1f}", rate, f"{peak:,}" if peak else "", baseline, vs))

    reference_build = None
    if generate := figures.get("generate"):  # a whole run; `--another-day` has the delta only
        line(
            f"generate raw zone ({generate['tiles']} tiles)",
            generate["rows"],
            generate["seconds"],
            generate["peak_rss_mib"],
        )
        if ingestion_ := figures.get("ingestion"):
            ours, bare = ingestion_["ours"], ingestion_["bare"]
            line(
                f"ingestion over HTTP ({ingestion_['national_first_load_hours']} h for 70 M rows)",
                ingestion_["rows"],
                ours["seconds"],
                ours["peak_rss_mib"],
                f"bare loop {bare['rows_per_second']:,} rows/s",
                f"{ingestion_['ours_vs_bare']:.0%}",
            )
        trusted = figures["trusted"]
        for name, source in trusted["sources"].items():
            line(f"  trusted {name}", source["rows_in"], source["seconds"], None)
        line("trusted zone (Spark job)", trusted["rows_in"], trusted["seconds"], trusted["peak_rss_mib"])
        line("dbt build (all models and tests)", None, figures["dbt"]["seconds"], figures["dbt"]["peak_rss_mib"])
        reference = figures.get("reference_indicators")
        reference_build = trusted["seconds"] + reference["wall_seconds"] if reference else None
        line(
            "build from raw: trusted + dbt",
            None,
            figures["build"]["seconds"],
            None,
            f"reference {reference_build:,.1f} s" if reference_build else "",
            ratio(reference_build, figures["build"]["seconds"]),
        )
    for name in ("delta_ingest", "delta_trusted", "delta_dbt"):
        line(
            name.replace("_", ": ", 1),
            figures[name].get("rows") or figures[name].get("rows_in"),
            figures[name]["seconds"],
            figures[name]["peak_rss_mib"],
        )
    total = figures["delta_total"]
    share = f" ({total['seconds'] / figures['build']['seconds']:.1%} of the build)" if "build" in figures else ""
    line(
        f"daily delta (day {total['day']}), every stage{share}",
        total["rows"],
        total["seconds"],
        None,
        f"reference {reference_build:,.1f} s" if reference_build else "",
        ratio(reference_build, total["seconds"]),
    )
    header = ("stage", "rows", "seconds", "rows/s", "peak RSS MiB", "baseline", "ours vs baseline")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{scale.contracts:,} contracts, {machine()}")
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print(
            "  ".join(
                str(v).ljust(w) if i == 0 else str(v).rjust(w) for i, (v, w) in enumerate(zip(row, widths, strict=True))
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default=os.getenv("SCALE") or "small")
    parser.add_argument("--contracts", type=int, help="any number of contracts instead of the scale's")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--skip-ingestion", action="store_true")
    parser.add_argument("--skip-reference", action="store_true")
    parser.add_argument("--skip-api", action="store_true", help="leave out the read API's load and download")
    parser.add_argument(
        "--another-day",
        action="store_true",
        help="only one more daily delta, on the lake and warehouse the last run of this size left",
    )
    args = parser.parse_args()
    scale = SCALES[args.scale]
    if args.contracts:
        scale = Scale(args.contracts, scale.ingestion_rows)
    print(f"benchmark suite: {scale.contracts:,} contracts (national rows per contract: {NATIONAL_ROWS})", flush=True)
    if args.another_day:
        figures = another_day(scale, args.seed)
    else:
        figures = run(scale, args.seed, args.skip_ingestion, args.skip_reference, args.skip_api)
    print_table(figures, scale)
    if "api" in figures:
        print_api_table(figures["api"])
    benchmark = "suite-another-day" if args.another_day else "suite"
    append_record({"benchmark": benchmark, "when": now(), "machine": machine(), "contracts": scale.contracts} | figures)
    if importlib.util.find_spec("matplotlib") and not args.another_day:
        print(f"chart of every size recorded: {draw(latest_per_size())}")


if __name__ == "__main__":
    main()
