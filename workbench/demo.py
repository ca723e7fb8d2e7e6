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
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from orchestration.settings import REPO_ROOT, Settings
from simulator.truth import RUN_DATE, flags_path
from workbench.instance import DATA_DIR, SIMULATOR_DIR, generator_version, prepare_instance


def generated_data(rows: int, seed: int):
    """The demo datasets, regenerated only when the requested size or seed or the generator changes."""
    from simulator.datasets import generate_sources
    from simulator.generator import generate_processes

    stamp = SIMULATOR_DIR / "params.json"
    from catalogue import SOURCES

    params = {"rows": rows, "seed": seed, "sources": [s.name for s in SOURCES], "generator": generator_version()}
    data = SIMULATOR_DIR / "p6dx-8zbt.parquet"
    if not (stamp.exists() and json.loads(stamp.read_text()) == params and data.exists()):
        print(f"generating {rows:,} synthetic SECOP II processes and the other sources (seed {seed}) ...", flush=True)
        processes = generate_processes(rows, SIMULATOR_DIR, seed=seed)
        generate_sources(SIMULATOR_DIR, processes.path, seed=seed)
        forget_earlier_world()
        stamp.write_text(json.dumps(params))
    return SIMULATOR_DIR


def forget_earlier_world() -> None:
    """New generated data is another portal: the demo's own lake and warehouse, built from the earlier
    data, are removed (a lake or warehouse configured elsewhere through the environment is left alone)."""
    settings = Settings.from_env()
    lake, warehouse = DATA_DIR / "lake", DATA_DIR / "warehouse.duckdb"
    stale = [lake] if settings.lake_uri == str(lake) and lake.exists() else []
    if settings.duckdb_path == str(warehouse):
        stale += DATA_DIR.glob("warehouse.duckdb*")  # the database and its write-ahead log
    for path in stale:
        print(f"removing {path} (built from earlier generated data)", flush=True)
        shutil.rmtree(path) if path.is_dir() else path.unlink()


@contextmanager
def replay_server(data_dir: Path) -> Iterator[str]:
    from simulator.replay.server import serve_directory

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
    """The indicator summary, each indicator's flagged awards against the cases the generator planted, and
    where the risk report is."""
    import duckdb

    from orchestration.assets.report import report_name
    from orchestration.lake import Lake
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
    lake = Lake(uri=settings.lake_uri)
    print(f"risk report (open it in a browser): {lake.uri_of('reports/' + report_name('risk_report', 'es'))}")
    print(f"  in English: {lake.uri_of('reports/' + report_name('risk_report', 'en'))}")
    print("the read API over this warehouse: make api  ->  http://127.0.0.1:8000/docs")


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


def live(rows: int, contracts: int, interval: float, poll: int, minutes: float) -> int:
    """The near-real-time path on generated data: alerts printed as the webhook receives them."""
    import time

    from simulator.producer import load_expected_alerts
    from workbench.live_session import SessionPaths, run_session

    def show(arrived: float, alert: dict) -> None:
        clock = time.strftime("%H:%M:%S", time.localtime(arrived))
        print(f"{clock} ALERT {alert['award_key']} {alert['indicator_id']}: {alert['reason']}", flush=True)

    root = DATA_DIR / "live"
    print(f"live alerts: {contracts} contracts published every {interval:g} s, sensor poll every {poll} s", flush=True)
    result = run_session(root, rows, contracts, interval, poll, minutes, run_date=RUN_DATE, on_alert=show)
    raised = {(alert["award_key"], alert["indicator_id"]) for _, alert in result.alerts}
    expected = load_expected_alerts(SessionPaths(root / "baseline").world)
    print(f"\n{len(result.published)} contract versions published, {len(raised)} alerts raised ", end="")
    print(f"({len(raised & expected)} of the {len(expected)} planted, {len(raised - expected)} others)")
    print(f"warehouse: {result.warehouse} (fct_contract_alerts, t_result_indicadores_stream)")
    print(f"daemon log: {result.daemon_log}")
    return 0 if raised == expected else 1


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
    live_parser = commands.add_parser("live", help="the near-real-time alert path for a few minutes")
    live_parser.add_argument("--rows", type=int, default=10_000, help="SECOP II processes of the generated world")
    live_parser.add_argument("--contracts", type=int, default=24, help="contracts published live")
    live_parser.add_argument("--interval", type=float, default=5.0, help="seconds between two publications")
    live_parser.add_argument("--poll", type=int, default=30, help="the sensor's interval (SECOP_POLL_SECONDS)")
    live_parser.add_argument("--minutes", type=float, default=8.0, help="upper bound on the session")
    args = parser.parse_args()
    if args.command == "live":
        sys.exit(live(args.rows, args.contracts, args.interval, args.poll, args.minutes))
    sys.exit(run(args.rows, args.seed, args.run_date) if args.command == "run" else dev(args.port))


if __name__ == "__main__":
    main()
