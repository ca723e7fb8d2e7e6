"""Red-flag indicators at national volume: `dbt build` on DuckDB against the reference architecture's PySpark.

    python -m benchmarks.indicators --contracts 1000000 --contracts 5000000     (default: 100,000)

Input: a trusted zone in the Spark ETL's layout (`trusted/<source>/_year=<Y>/<generation>.full.<n>.parquet`),
built without Spark by tiling the demo lake's trusted zone (a small generated world, copied once to
`.data/bench/indicators/world/`) K times with DuckDB, K = contracts / the world's contracts (rounded), at
the national proportions of docs/sources.md#volumes. Each tile is an independent copy of the world:
ids, codes and raw documents get a one-character tile mark (a private-use code point, so the seed's
fixed-width substrings of contract and process ids stay within a tile), canonical documents (`*_key`) a
4-digit tile suffix, names and their match keys a `T<k> ` prefix. Placeholder documents ('No Definido',
whose key is null) stay as they are: the seed filters them by value. Sources above the world's rows per
contract get extra copies: offers as more offers on the same processes (new ids, amounts 1% higher per
copy, so the cheapest offer of a process stays the same), RUES as registrations of ghost tiles that
match no supplier. Sources below it are sampled per (row, tile); processes keep every process a contract
or an offer points at. Built once per size under `.data/bench/indicators/<contracts>/lake` and reused.

Timed on that lake, one after the other (each on a fresh DuckDB file, after an untimed `dbt parse`):
- `dbt build` of the whole project (seeds, every model, every test) with `run_date` fixed;
- the same without unit tests (`--exclude-resource-type unit_test`), what a scheduled run executes;
- `dbt run` of the ten seed indicators and the models they need, the work the PySpark reference does;
- `python -m benchmarks.reference_indicators`: the ten seed indicators in PySpark `local[*]` (subprocess,
  wall clock end to end; its session start is reported separately).
Printed per size, appended to benchmarks/results.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from benchmarks.records import append_record, machine, now
from benchmarks.reference_indicators import LABELS
from catalogue import SOURCES, Source
from catalogue.lake_layout import TRUSTED, trusted_dir
from orchestration.settings import DBT_PROJECT_DIR, REPO_ROOT, Settings
from simulator.national import (
    ALWAYS_KEPT,
    ID_TEXT_COLUMNS,
    NATIONAL_CONTRACTS,
    NATIONAL_ROWS,
    TILE_MARK,
    TILE_TOKEN,
    Tiling,
    common_marks,
    national_per_contract,
    plan_tiling,
    tiles_of_world,
)

DEMO_LAKE = Path(Settings.from_env().lake_uri)  # the demo's lake (`make demo`)
BENCH = REPO_ROOT / ".data" / "bench" / "indicators"
RUN_DATE = "2026-01-15"
TILING = 2  # version of the tiling below: a cached lake of another version is built again
GENERATION = "20260115T000000000000Z-bench"
# --- the world: the demo lake's trusted zone, one version per key ------------------------------------------


def _scan(folder: Path) -> str:
    return f"read_parquet('{folder}/*/*.parquet', hive_partitioning = true, union_by_name = true)"


def _latest_versions(source: Source, scan: str) -> str:
    """The merge of register_trusted_sources: the latest version of each key, by the survivor order."""
    order = ", ".join([f"{expression} nulls last" for expression in source.survivor_order] + ["_batch_id desc"])
    rank = f"row_number() over (partition by {', '.join(source.key)} order by {order})"
    return (
        f"select * exclude (_version_rank) from (select *, {rank} as _version_rank from {scan}) where _version_rank = 1"
    )


def snapshot_world(world: Path) -> dict[str, int]:
    """Copy the demo lake's trusted zone once (read-only there) to one parquet per source; rows per source."""
    manifest = world / "world.json"
    if manifest.exists():
        return json.loads(manifest.read_text())["rows"]
    if not any((DEMO_LAKE / TRUSTED).glob("*/*/*.parquet")):  # a fresh clone: make the demo's world first
        print("no demo lake yet: running `python -m workbench.demo run` to generate and clean one", flush=True)
        subprocess.run([sys.executable, "-m", "workbench.demo", "run"], cwd=REPO_ROOT, check=True)
    shutil.rmtree(world, ignore_errors=True)
    world.mkdir(parents=True)
    rows: dict[str, int] = {}
    with duckdb.connect() as con:
        for source in SOURCES:
            folder = DEMO_LAKE / trusted_dir(source.name)
            if not any(folder.glob("*/*.parquet")):
                print(f"warning: {folder} has no parquet files: models that need {source.name} will fail")
                continue
            generations = con.execute(
                f"select count(distinct split_part(parse_filename(file), '.', 1)) from glob('{folder}/*/*.parquet')"
            ).fetchone()[0]
            query = f"select * from {_scan(folder)}" if generations == 1 else _latest_versions(source, _scan(folder))
            con.execute(f"copy ({query}) to '{world / source.name}.parquet' (format parquet)")
            rows[source.name] = pq.ParquetFile(world / f"{source.name}.parquet").metadata.num_rows
    manifest.write_text(json.dumps({"from": str(DEMO_LAKE / TRUSTED), "at": now(), "rows": rows}, indent=2))
    return rows


# --- tiling ------------------------------------------------------------------------------------------------


def _kinds(source: Source) -> dict[str, str]:
    """Trusted column -> how it is marked per tile."""
    kinds = {"_row_id": "key", "notice_uid": "id"}
    for column in source.columns:
        name, kind = column.field_name, column.kind
        if kind in ("key", "code", "url") or name in ID_TEXT_COLUMNS.get(source.name, ()):
            kinds[name] = "key" if kind == "key" else "id"
        elif kind in ("document", "entity_nit", "combined_document"):
            kinds[name], kinds[name + "_key"] = "document", "document_key"
        elif kind == "name":
            kinds[name], kinds[name + "_match"] = "name", "name_match"
        elif kind == "amount":
            kinds[name] = "amount"
    return kinds


def column_sql(name: str, kind: str | None, tiling: Tiling) -> str:
    """The expression of one bench column from world column `name` in tile `_g`, copy `_copy`."""
    expressions = {
        **common_marks(name, tiling),
        "document": f"case when {name}_key is null then {name} else {name} || {TILE_MARK} end",
        "document_key": f"{name} || lpad(_g::varchar, 4, '0')",
        "name_match": f"{TILE_TOKEN} || {name}",
        "amount": f"cast({name} * (1 + 0.01 * _copy) as decimal(30, 3))" if tiling.same_tile else name,
    }
    return f"{expressions[kind] if kind else name} as {name}"


def tiled_sql(tiling: Tiling, columns: list[str]) -> str:
    """The bench rows of one source: the world crossed with tiles and copies, marked, sampled."""
    kinds = _kinds(tiling.source)
    select = ",\n  ".join(column_sql(c, kinds.get(c), tiling) for c in columns if c != "_year")
    return f"select\n  {select},\n  _year\nfrom {tiles_of_world(tiling)}"


def write_trusted(con: duckdb.DuckDBPyConnection, sql: str, target: Path) -> None:
    """Write rows as a full build of the Spark ETL would: `_year=<Y>/<generation>.full.<n>.parquet`, `_SUCCESS`."""
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"copy ({sql}) to '{staging}' (format parquet, partition_by (_year), filename_pattern 'part{{i}}')")
    for index, path in enumerate(sorted(staging.glob("*/*.parquet"))):
        path.rename(path.with_name(f"{GENERATION}.full.{index:05d}.parquet"))
    (staging / "_SUCCESS").touch()
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)


def _rows_written(folder: Path) -> int:
    return sum(pq.ParquetFile(path).metadata.num_rows for path in folder.glob("*/*.parquet"))


def build_lake(contracts: int, offers_per_contract: float, rebuild: bool = False) -> dict:
    """The bench lake for about `contracts` contracts (whole tiles), built once per world and reused; its manifest."""
    world_dir = BENCH / "world"
    world = snapshot_world(world_dir)
    world_at = json.loads((world_dir / "world.json").read_text())["at"]
    tiles = max(1, round(contracts / world["secop_ii_contratos"]))
    suffix = (
        ""
        if offers_per_contract == NATIONAL_ROWS["secop_ii_ofertas"] / NATIONAL_CONTRACTS
        else f"-offers{offers_per_contract:g}"
    )
    lake = BENCH / f"{contracts}{suffix}" / "lake"
    manifest_path = lake / "bench.json"
    if manifest_path.exists() and not rebuild:
        manifest = json.loads(manifest_path.read_text())
        if manifest["tiling"] == TILING and manifest.get("world_at") == world_at:
            return manifest
    manifest_path.unlink(missing_ok=True)  # a build that stops half-way leaves no manifest behind
    per_contract = national_per_contract(offers_per_contract)
    started = time.perf_counter()
    rows: dict[str, int] = {}
    with duckdb.connect() as con:
        for name in world:
            world_rows = f"read_parquet('{world_dir / name}.parquet')"
            con.execute(f"create view world_{name} as select row_number() over () - 1 as _w, * from {world_rows}")
        for source in (s for s in SOURCES if s.name in world):
            columns = [row[0] for row in con.execute(f"describe world_{source.name}").fetchall() if row[0] != "_w"]
            always = con.execute(
                f"select count(*) from world_{source.name} w where {ALWAYS_KEPT.get(source.name, 'false')}"
            ).fetchone()[0]
            tiling = plan_tiling(source, world, tiles, per_contract, always)
            write_trusted(con, tiled_sql(tiling, columns), lake / trusted_dir(source.name))
            rows[source.name] = _rows_written(lake / trusted_dir(source.name))
            print(f"  {source.name:<30}{rows[source.name]:>13,} rows", flush=True)
    manifest = {
        "tiling": TILING,
        "world_at": world_at,  # a lake tiled from an earlier world is built again
        "path": str(lake),
        "contracts_requested": contracts,
        "tiles": tiles,
        "world_contracts": world["secop_ii_contratos"],
        "offers_per_contract": offers_per_contract,
        "rows": rows,
        "megabytes": round(sum(p.stat().st_size for p in lake.rglob("*.parquet")) / 2**20),
        "build_seconds": round(time.perf_counter() - started, 1),
    }
    manifest_path.write_text(json.dumps(manifest, indent=2))
    return manifest


# --- dbt on DuckDB -----------------------------------------------------------------------------------------


def dbt_env(lake: Path, work: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DBT_TARGET": "local",
        "SECOP_LAKE_URI": str(lake),
        "SECOP_DUCKDB_PATH": str(work / "warehouse.duckdb"),
        "DBT_TARGET_PATH": str(work / "dbt_target"),
        "DBT_LOG_PATH": str(work / "dbt_logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def dbt(label: str, args: list[str], env: dict[str, str], fresh: bool = False) -> dict:
    """Run `dbt <args>` in dbt_project/ (on a new DuckDB file when `fresh`); wall seconds and outcome."""
    if fresh:
        for path in Path(env["SECOP_DUCKDB_PATH"]).parent.glob("warehouse.duckdb*"):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    # the same vars on every command, or dbt parses the whole project again
    command = [str(Path(sys.executable).parent / "dbt"), *args, "--profiles-dir", "."]
    command += ["--vars", json.dumps({"run_date": RUN_DATE})]
    load, began = os.getloadavg()[0], time.time()
    started = time.perf_counter()
    done = subprocess.run(command, cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    figures = {"seconds": round(seconds, 1), "returncode": done.returncode, "load_before": round(load, 2)}
    results = Path(env["DBT_TARGET_PATH"]) / "run_results.json"
    if args[0] in ("build", "run") and results.exists() and results.stat().st_mtime >= began:
        kept = Path(env["SECOP_DUCKDB_PATH"]).with_name(f"run_results_{label}.json")
        shutil.copyfile(results, kept)
        figures.update(node_figures(kept))
    if done.returncode != 0:
        tail = "\n".join(done.stdout.splitlines()[-25:])
        print(f"dbt {' '.join(args)} exited {done.returncode}:\n{tail}", flush=True)
    return figures


def node_figures(run_results: Path) -> dict:
    """Statuses, seconds per resource type, the slowest and the failed nodes of one dbt command."""
    results = json.loads(run_results.read_text())["results"]
    by_type: Counter[str] = Counter()
    for result in results:
        by_type[result["unique_id"].split(".")[0]] += result["execution_time"]
    slowest = sorted(results, key=lambda r: r["execution_time"], reverse=True)[:8]
    failed = [r["unique_id"] for r in results if r["status"] in ("error", "fail")]
    for unique_id in failed:
        print(f"  failed: {unique_id}", flush=True)
    return {
        "statuses": dict(Counter(r["status"] for r in results)),
        "node_seconds": {kind: round(seconds, 1) for kind, seconds in by_type.items()},
        "slowest": {r["unique_id"].split(".")[-1]: round(r["execution_time"], 1) for r in slowest},
        "failed": failed,
    }


def flag_counts(database: Path) -> dict[str, int]:
    """Flags per indicator in fct_contract_flags ({} when the mart was not built)."""
    with duckdb.connect(str(database), read_only=True) as con:
        found = con.execute(
            "select table_schema from information_schema.tables where table_name = 'fct_contract_flags'"
        ).fetchone()
        if not found:
            return {}
        query = f"select indicator_id, count(*) from {found[0]}.fct_contract_flags group by 1 order by 1"
        return dict(con.execute(query).fetchall())


def time_dbt(lake: Path, work: Path) -> dict:
    """Three timings, each on a fresh DuckDB file after an untimed parse; flags per indicator.

    - build: `dbt build`, everything (seed, models, data tests, unit tests);
    - production: `dbt build --exclude-resource-type unit_test`, what a scheduled run executes (dbt's
      advice: unit tests belong to development and CI; they do not read the data, so they cost the same
      at any size);
    - seed_ten: `dbt run` of the ten seed indicators and the models they need, the work the PySpark
      reference does.
    """
    env = dbt_env(lake, work)
    parse = dbt("parse", ["parse"], env)
    build = dbt("build", ["build"], env, fresh=True)
    flags = flag_counts(work / "warehouse.duckdb")
    production = dbt("production", ["build", "--exclude-resource-type", "unit_test"], env, fresh=True)
    ten = " ".join(f"+int_flags__{indicator}" for indicator in LABELS)
    seed_ten = dbt("seed_ten", ["run", "--select", ten], env, fresh=True)
    return {"parse": parse, "build": build, "production": production, "seed_ten": seed_ten, "flags": flags}


# --- the PySpark reference ---------------------------------------------------------------------------------


def time_reference(lake: Path, work: Path) -> dict:
    """The ten seed indicators in a fresh PySpark process; wall seconds end to end plus its own figures."""
    args = [sys.executable, "-m", "benchmarks.reference_indicators", "--lake", str(lake)]
    args += ["--out", str(work / "t_result_indicadores_batch"), "--run-date", RUN_DATE]
    load = os.getloadavg()[0]
    started = time.perf_counter()
    env = {**os.environ, "SPARK_LOCAL_IP": os.getenv("SPARK_LOCAL_IP", "127.0.0.1")}
    done = subprocess.run(args, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"reference indicators failed:\n{done.stderr[-4000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return {"wall_seconds": round(seconds, 1), "load_before": round(load, 2), **figures}


# --- report ------------------------------------------------------------------------------------------------


def print_scale(lake: dict, duck: dict, spark: dict) -> None:
    """Rows per source, the timings, and flags per indicator next to the seed's counts."""
    print(f"\n{lake['rows']['secop_ii_contratos']:,} contracts ({lake['tiles']} tiles of the demo world)")
    for name, rows in lake["rows"].items():
        print(f"  {name:<32}{rows:>13,}")
    build, production, ten = duck["build"], duck["production"], duck["seed_ten"]
    spark_compute = spark["seconds"] - spark["session_start_seconds"]
    print(f"  {'dbt parse (untimed warm-up)':<32}{duck['parse']['seconds']:>11.1f} s")
    print(f"  {'dbt build (DuckDB)':<32}{build['seconds']:>11.1f} s  {build['statuses']}")
    print(f"  {'dbt build, no unit tests':<32}{production['seconds']:>11.1f} s  {production['statuses']}")
    print(f"  {'dbt run, ten seed indicators':<32}{ten['seconds']:>11.1f} s  {ten['statuses']}")
    print(f"  {'PySpark reference, end to end':<32}{spark['wall_seconds']:>11.1f} s")
    print(f"  {'  of which session start':<32}{spark['session_start_seconds']:>11.1f} s")
    print(f"  {'  ten indicators + write':<32}{spark_compute:>11.1f} s")
    print(f"  {'PySpark / dbt build':<32}{spark['wall_seconds'] / build['seconds']:>11.1f} x")
    print(f"  {'PySpark / dbt, ten indicators':<32}{spark['wall_seconds'] / ten['seconds']:>11.1f} x")
    print(f"  {'dbt build node seconds (sum)':<32}{build.get('node_seconds', {})}")
    print(f"  {'dbt build slowest nodes':<32}{build.get('slowest', {})}")
    print(f"  {'indicator':<30}{'dbt flags':>10}{'seed flagged':>14}{'seed s':>8}   (dbt flags from `dbt build`)")
    seed_rows = {row["nombre_indicador"]: row for row in spark["rows"]}
    for indicator, (label, _) in LABELS.items():
        flagged = seed_rows[label]["cantidad_contratos_irregularidades"]
        seconds = spark["indicator_seconds"][indicator]
        print(f"  {indicator:<30}{duck['flags'].get(indicator, 0):>10,}{flagged:>14,}{seconds:>8.1f}")
    others = sorted(set(duck["flags"]) - set(LABELS))
    for indicator in others:
        print(f"  {indicator:<30}{duck['flags'][indicator]:>10,}")


def print_summary(records: list[dict]) -> None:
    header = ("contracts", "processes", "offers", "build s", "no unit s", "ten s", "PySpark s", "ten ratio")
    print("\n" + "".join(f"{h:>12}" for h in header))
    for r in records:
        rows = r["rows"]
        print(
            f"{rows['secop_ii_contratos']:>12,}{rows['secop_ii_procesos']:>12,}{rows['secop_ii_ofertas']:>12,}"
            f"{r['dbt']['build']['seconds']:>12.1f}{r['dbt']['production']['seconds']:>12.1f}"
            f"{r['dbt']['seed_ten']['seconds']:>12.1f}{r['pyspark']['wall_seconds']:>12.1f}{r['ratio_ten']:>11.1f}x"
        )


def run_scale(contracts: int, offers_per_contract: float, rebuild: bool) -> dict:
    print(f"indicators benchmark: {contracts:,} contracts requested", flush=True)
    lake = build_lake(contracts, offers_per_contract, rebuild)
    lake_path = Path(lake["path"])
    work = lake_path.parent
    print(f"lake {lake_path}: {lake['megabytes']:,} MB, built in {lake['build_seconds']} s (cached after)", flush=True)
    duck = time_dbt(lake_path, work)
    timings = ", ".join(f"{name} {duck[name]['seconds']} s" for name in ("build", "production", "seed_ten"))
    print(f"dbt: {timings}", flush=True)
    spark = time_reference(lake_path, work)
    print_scale(lake, duck, spark)
    return {
        "benchmark": "indicators",
        "when": now(),
        "machine": machine(),
        "contracts": lake["rows"]["secop_ii_contratos"],
        "tiles": lake["tiles"],
        "rows": lake["rows"],
        "lake_megabytes": lake["megabytes"],
        "dbt": duck,
        "pyspark": spark,
        "ratio": round(spark["wall_seconds"] / duck["build"]["seconds"], 2),
        "ratio_ten": round(spark["wall_seconds"] / duck["seed_ten"]["seconds"], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, action="append", help="contracts (repeatable; default 100,000)")
    parser.add_argument(
        "--offers-per-contract",
        type=float,
        default=NATIONAL_ROWS["secop_ii_ofertas"] / NATIONAL_CONTRACTS,
        help="offers rows per contract (national 7.5; lower it if offers make a size impractical)",
    )
    parser.add_argument("--rebuild", action="store_true", help="copy the demo lake again and rebuild the bench lakes")
    args = parser.parse_args()
    if args.rebuild:
        shutil.rmtree(BENCH / "world", ignore_errors=True)
    records = []
    for contracts in args.contracts or [100_000]:
        record = run_scale(contracts, args.offers_per_contract, args.rebuild)
        append_record(record)
        records.append(record)
    print_summary(records)


if __name__ == "__main__":
    main()
