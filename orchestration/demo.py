"""`make demo` and `make dev`: the whole warehouse on the embedded default, fed by the replay server.

`run` generates synthetic data for every catalogued source (seeded; reused while unchanged), serves it
on 127.0.0.1 as a Socrata portal plus PACO's file host, materializes every asset into the Dagster
instance at `DAGSTER_HOME` (so `make dev` shows the runs), prints the indicator summary and stops the
server. `dev` serves the same data and opens the UI on it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from orchestration.settings import REPO_ROOT, Settings
from simulator.truth import RUN_DATE, flags_path

DATA_DIR = REPO_ROOT / ".data"
SIMULATOR_DIR = DATA_DIR / "simulator"
DAGSTER_YAML = """\
# Written by orchestration/demo.py: DuckDB has a single writer, so dbt ops share a pool of size 1.
concurrency:
  pools:
    default_limit: 1
telemetry:
  enabled: false
"""


def prepare_instance() -> Path:
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(DATA_DIR / "dagster")))
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    return home


def generated_data(rows: int, seed: int):
    """The demo datasets, regenerated only when the requested size or seed changes."""
    from simulator.datasets import generate_sources
    from simulator.generator import generate_processes

    stamp = SIMULATOR_DIR / "params.json"
    from orchestration.catalogue import SOURCES

    params = {"rows": rows, "seed": seed, "sources": [source.name for source in SOURCES]}
    data = SIMULATOR_DIR / "p6dx-8zbt.parquet"
    if not (stamp.exists() and json.loads(stamp.read_text()) == params and data.exists()):
        print(f"generating {rows:,} synthetic SECOP II processes and the other sources (seed {seed}) ...", flush=True)
        processes = generate_processes(rows, SIMULATOR_DIR, seed=seed)
        generate_sources(SIMULATOR_DIR, processes.path, seed=seed)
        stamp.write_text(json.dumps(params))
    return SIMULATOR_DIR


@contextmanager
def replay_server(data_dir: Path) -> Iterator[str]:
    from simulator.replay_server import serve_directory

    server = serve_directory(data_dir).start()
    os.environ["SECOP_SOCRATA_URL"], os.environ["SECOP_PACO_URL"] = server.url, server.paco_url
    print(f"replay server: {server.url} serving {data_dir} (PACO files at {server.paco_url})", flush=True)
    try:
        yield server.url
    finally:
        server.stop()
        print("replay server stopped", flush=True)


def materialize_everything(run_date: str | None) -> bool:
    import dagster as dg

    from orchestration.definitions import defs  # parses the dbt project first if it changed

    job = defs().resolve_job_def("refresh_all")
    run_config: dict = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
    if run_date:
        run_config["ops"] = {"warehouse_models": {"config": {"run_date": run_date}}}
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(instance=instance, run_config=run_config, raise_on_error=False)
    return result.success


def print_summary(settings: Settings, planted_flags: Path) -> None:
    """The indicator summary, and each indicator's flagged awards against the cases the generator planted."""
    import duckdb

    from simulator.truth import load_planted_flags

    with duckdb.connect(settings.duckdb_path, read_only=True) as con:
        run_date = con.sql("select max(run_date) from fct_indicator_summary").fetchall()[0][0]
        summary = con.execute(
            "select indicator_id, flagged_units, flagged_awards, flagged_amount, total_awards "
            "from fct_indicator_summary where run_date = ? order by indicator_id",
            [run_date],
        ).fetchall()
        flagged: dict[str, set[str]] = {}
        for indicator_id, award_key in con.sql("select indicator_id, award_key from fct_contract_flags").fetchall():
            flagged.setdefault(indicator_id, set()).add(award_key)
    planted = load_planted_flags(planted_flags)
    print(f"\nindicator summary (fct_indicator_summary, run date {run_date}) and the planted cases")
    header = f"{'indicator':<30}{'units':>7}{'awards':>8}{'flagged amount (COP)':>24}{'universe':>10}"
    print(f"{header}{'planted':>9}{'precision':>11}{'recall':>8}")
    for indicator, units, awards, amount, total in summary:
        found, expected = flagged.get(indicator, set()), planted.get(indicator, set())
        hits = len(found & expected)
        precision = f"{hits / len(found):.2f}" if found else "-"
        recall = f"{hits / len(expected):.2f}" if expected else "-"
        row = f"{indicator:<30}{units:>7,}{awards:>8,}{amount:>24,.0f}{total:>10,}"
        print(f"{row}{len(expected):>9,}{precision:>11}{recall:>8}")
    print(f"warehouse: {settings.duckdb_path}")
    print(
        f"  query it: .venv/bin/python -c \"import duckdb; duckdb.connect('{settings.duckdb_path}', read_only=True)"
        ".sql('select * from fct_contract_flags limit 5').show()\""
    )
    print(f"lake:      {settings.lake_uri}")
    print("see the runs and the asset graph: make dev  ->  http://127.0.0.1:3000")


def run(rows: int, seed: int, run_date: str | None) -> int:
    prepare_instance()
    data_dir = generated_data(rows, seed)
    with replay_server(data_dir):
        ok = materialize_everything(run_date)
    if not ok:
        print("the run failed: see the logs above, or `make dev` for the run in the UI", file=sys.stderr)
        return 1
    print_summary(Settings.from_env(), flags_path(data_dir))
    return 0


def dev(port: int) -> int:
    prepare_instance()
    if not (SIMULATOR_DIR / "p6dx-8zbt.parquet").exists():
        print("no demo data yet: run `make demo` first to see materializations", file=sys.stderr)
        SIMULATOR_DIR.mkdir(parents=True, exist_ok=True)
    bin_dir = Path(sys.executable).parent  # dagster dev parses the dbt project with the venv's dbt
    os.environ["PATH"] = os.pathsep.join([str(bin_dir), os.environ.get("PATH", "")])
    with replay_server(SIMULATOR_DIR):
        command = [str(bin_dir / "dagster"), "dev", "-w", "workspace.yaml"]
        try:
            return subprocess.call([*command, "-h", "127.0.0.1", "-p", str(port)], cwd=REPO_ROOT)
        except KeyboardInterrupt:
            return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="materialize everything on generated data")
    run_parser.add_argument("--rows", type=int, default=int(os.getenv("DEMO_ROWS", "60000")))
    run_parser.add_argument("--seed", type=int, default=42)
    run_parser.add_argument(
        "--run-date", default=RUN_DATE, help="YYYY-MM-DD: the as-of date of the marts (default: the simulated today)"
    )
    dev_parser = commands.add_parser("dev", help="the Dagster UI over the demo's state")
    dev_parser.add_argument("--port", type=int, default=3000)
    args = parser.parse_args()
    sys.exit(run(args.rows, args.seed, args.run_date) if args.command == "run" else dev(args.port))


if __name__ == "__main__":
    main()
