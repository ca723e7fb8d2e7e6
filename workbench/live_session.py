"""A live session on generated data: what `make demo-live` shows and benchmarks/live.py measures.

A generated world is served without some of its contracts (simulator.producer), and the batch
warehouse the alerts are judged against is built from it once (the baseline, kept while the
parameters and the simulator stay the same). Each session starts from a copy of that baseline, then
runs the production pieces: the replay server, a warm Spark Connect server, `dagster-daemon` with the
`live_contracts` sensor on (so the daemon's ticks and run launcher are part of what is measured), and
the producer publishing the held-back contracts at its cadence. Alerts reach a local webhook receiver.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from orchestration.dbt_project import prepare_manifest
from orchestration.settings import REPO_ROOT, environment
from simulator.producer import ContractProducer, Publication, hold_back_contracts, live_dir
from simulator.replay.server import ReplayServer, serve_directory
from simulator.webhook import WebhookReceiver
from workbench.instance import generator_version, prepare_instance

IMMEDIATE_LAUNCH = """run_coordinator:
  module: dagster._core.run_coordinator
  class: DefaultRunCoordinator
"""


@dataclass(frozen=True)
class SessionPaths:
    """Below `root`: a generated world, its lake, its DuckDB warehouse and a Dagster instance."""

    root: Path

    @property
    def world(self) -> Path:
        return self.root / "world"

    @property
    def lake(self) -> Path:
        return self.root / "lake"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster"


@dataclass(frozen=True)
class SessionResult:
    published: list[Publication]
    alerts: list[tuple[float, dict]]  # (arrival time, alert) at the webhook
    warehouse: Path
    daemon_log: Path


def session_env(paths: SessionPaths, server: ReplayServer, spark_remote: str, webhook: str, poll_seconds: int) -> dict:
    return {
        "SECOP_SOCRATA_URL": server.url,
        "SECOP_PACO_URL": server.paco_url,
        "SECOP_LAKE_URI": str(paths.lake),
        "SECOP_DUCKDB_PATH": str(paths.warehouse),
        "SECOP_SPARK_REMOTE": spark_remote,
        "SECOP_ALERT_WEBHOOK_URL": webhook,
        "SECOP_POLL_SECONDS": str(poll_seconds),
        "SECOP_LIVE_ALERTS": "on",
        "DAGSTER_HOME": str(paths.dagster_home),
    }


def build_batch(paths: SessionPaths, run_date: str | None) -> None:
    """Materialize what the live models read (sources, staging, reference models) into the baseline."""
    from orchestration.definitions import defs
    from orchestration.live.job import LIVE_MODELS

    definitions = defs()
    selection = dg.AssetSelection.assets(*(dg.AssetKey(m) for m in LIVE_MODELS)).upstream()
    job = definitions.resolve_implicit_global_asset_job_def()
    run_config: dict = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
    if run_date:
        run_config["ops"] = {"warehouse_models": {"config": {"run_date": run_date}}}
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(
            instance=instance,
            asset_selection=list(selection.resolve(definitions.resolve_asset_graph())),
            run_config=run_config,
            raise_on_error=False,
        )
    if not result.success:
        raise RuntimeError(f"the baseline build failed: see the run in {paths.dagster_home}")


def baseline(root: Path, rows: int, contracts: int, seed: int, spark_remote: str, run_date: str | None) -> Path:
    """The served world without the held-back contracts, and the lake and warehouse built from it;
    returns the held-back contracts' file."""
    from simulator.datasets import generate_sources
    from simulator.generator import generate_processes

    paths = SessionPaths(root / "baseline")
    params = {
        "rows": rows,
        "contracts": contracts,
        "seed": seed,
        "run_date": run_date,
        "generator": generator_version(),
    }
    stamp = paths.root / "params.json"
    if stamp.exists() and json.loads(stamp.read_text()) == params:
        return live_dir(paths.world) / "contracts.parquet"
    shutil.rmtree(paths.root, ignore_errors=True)
    print(f"generating {rows:,} processes and holding back {contracts} contracts ...", flush=True)
    generated = generate_processes(rows, paths.world, seed=seed)
    generate_sources(paths.world, generated.path, seed=seed)
    held = hold_back_contracts(paths.world, contracts, seed=seed)
    print(f"held back {held.planted} planted and {held.clean} clean contracts; building the baseline ...", flush=True)
    with serve_directory(paths.world) as server:
        env = session_env(paths, server, spark_remote, "", 30)
        with environment(env):
            prepare_instance()
            build_batch(paths, run_date)
    stamp.write_text(json.dumps(params))
    return held.contracts


@contextmanager
def dagster_daemon(log: Path) -> Iterator[subprocess.Popen]:
    """`dagster-daemon run` on the workspace, with this process's environment, until the block ends."""
    command = [str(Path(sys.executable).parent / "dagster-daemon"), "run", "-w", str(REPO_ROOT / "workspace.yaml")]
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def wait_for_cursor(deadline: float) -> None:
    """Until the daemon's first tick of `live_contracts` has placed its cursor (at most until `deadline`)."""
    with dg.DagsterInstance.get() as instance:
        while time.monotonic() < deadline:
            states = instance.all_instigator_state()
            if any(s.name == "live_contracts" and getattr(s.instigator_data, "cursor", None) for s in states):
                return
            time.sleep(1)
    raise TimeoutError("the live_contracts sensor never ticked: see the daemon log")


def run_session(
    root: Path,
    rows: int,
    contracts: int,
    interval_seconds: float,
    poll_seconds: int,
    max_minutes: float,
    run_date: str | None = None,
    seed: int = 42,
    on_alert: Callable[[float, dict], None] = lambda arrived, alert: None,
) -> SessionResult:
    """Publish every held-back contract and wait until the last one had time to be evaluated."""
    from workbench.spark_connect import spark_connect_server

    with spark_connect_server() as spark_remote:
        held_back = baseline(root, rows, contracts, seed, spark_remote, run_date)
        paths = SessionPaths(root / "session")
        shutil.rmtree(paths.root, ignore_errors=True)
        base = SessionPaths(root / "baseline")
        shutil.copytree(base.lake, paths.lake)
        shutil.copy(base.warehouse, paths.warehouse)
        shutil.copytree(base.dagster_home, paths.dagster_home)
        # Runs launch as soon as the sensor asks (no queue daemon in between): the sensor keeps one live
        # run at a time in ingestion and cleaning, and their dbt steps take the DuckDB writers' pool (of
        # size 1 in the demo's instance settings) in turn.
        config = paths.dagster_home / "dagster.yaml"
        config.write_text(config.read_text() + IMMEDIATE_LAUNCH, encoding="utf-8")
        log = paths.root / "daemon.log"
        with serve_directory(base.world) as server, WebhookReceiver() as receiver:
            env = session_env(paths, server, spark_remote, receiver.url, poll_seconds)
            with environment(env):
                prepare_manifest()  # parsed with this session's profile: the runs parse only what changed
            with environment(env), dagster_daemon(log):
                deadline = time.monotonic() + max_minutes * 60
                wait_for_cursor(deadline)  # what is published before the sensor's first tick raises nothing
                producer = ContractProducer(server, held_back, interval_seconds=interval_seconds, seed=seed)
                settle = 2 * poll_seconds + 60  # after the last publication: a tick, a run, slack
                producer.start()
                seen = 0
                while time.monotonic() < deadline:
                    arrived = receiver.alerts()
                    for when, alert in arrived[seen:]:
                        on_alert(when, alert)
                    seen = len(arrived)
                    last = producer.published[-1].published_at.timestamp() if producer.published else time.time()
                    if not producer.remaining and time.time() - last > settle:
                        break
                    time.sleep(1)
                producer.stop()
            return SessionResult(producer.published, receiver.alerts(), paths.warehouse, log)
