"""The shared end-to-end fixture: the whole graph materialized once on generated data, for the session.

The data is a mixed world (docs/simulator.md#the-mixed-world) of WORLD_PROCESSES process rows: the
planted cases and the boundary populations a planted world avoids, its ground truth what the oracle
(simulator.truth) computes on the files. The end-to-end, browser and report tests read it. Its runs are
recorded in a Dagster instance of its own (`Pipeline.dagster_home`), so the Dagster UI started on it
shows them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from catalogue import SECOP_II_PROCESOS
from orchestration.assets.raw import raw_assets
from orchestration.assets.refined import refined_zone
from orchestration.assets.report import risk_report
from orchestration.assets.trusted import trusted_assets
from orchestration.assets.warehouse import warehouse_assets
from orchestration.dbt_project import dbt_cli
from orchestration.lake import Lake
from orchestration.paco import PacoFiles
from orchestration.resources import Warehouse
from orchestration.socrata import SocrataClient
from orchestration.spark import LocalSparkRunner
from simulator.datasets import generate_sources
from simulator.generator import GeneratedProcesses, generate_processes
from simulator.replay.server import PACO_CONTAINER, serve_directory
from simulator.truth import RUN_DATE
from workbench.instance import DAGSTER_YAML
from workbench.live_session import SessionPaths

ALL_ASSETS = [*raw_assets, *trusted_assets, warehouse_assets(), risk_report, refined_zone]
WORLD_PROCESSES = 20_000  # every indicator still has planted cases and flags beyond them (the differential test)
PAGE_SIZE = 5_000  # rows per Socrata page: every large dataset still takes several pages


def resources(server_url: str, tmp: Path, spark_connect: str | None = None) -> dict:
    """The graph's resources on the server at `server_url`, the lake and warehouse under `tmp`; Spark started by
    each run, or the warm Spark Connect server at `spark_connect` (conftest's fixture) when given."""
    return {
        "socrata": SocrataClient(base_url=server_url, page_size=PAGE_SIZE, backoff_seconds=0.05),
        "paco": PacoFiles(base_url=f"{server_url}/{PACO_CONTAINER}", backoff_seconds=0.05),
        "lake": Lake(uri=str(tmp / "lake")),
        "spark": LocalSparkRunner(remote=spark_connect) if spark_connect else LocalSparkRunner(driver_memory="1g"),
        "warehouse": Warehouse(duckdb_path=str(tmp / "warehouse.duckdb")),
        "dbt": dbt_cli(),
    }


def materialize(
    server_url: str,
    tmp: Path,
    selection: dg.AssetSelection | None = None,
    instance: dg.DagsterInstance | None = None,
    spark_connect: str | None = None,
) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        ALL_ASSETS,
        selection=selection,
        resources=resources(server_url, tmp, spark_connect),
        run_config={"ops": {"warehouse_models": {"config": {"run_date": RUN_DATE}}}},
        instance=instance,
    )


@dataclass(frozen=True)
class Pipeline(SessionPaths):
    """One run of the whole graph on generated data, shared by the tests of the session; its lake,
    warehouse and Dagster instance are SessionPaths' below `root`."""

    generated: GeneratedProcesses
    files: dict[str, Path]
    server_url: str
    result: dg.ExecuteInProcessResult
    dataset_rows: int


@pytest.fixture(scope="session")
def pipeline(tmp_path_factory) -> Iterator[Pipeline]:
    root = tmp_path_factory.mktemp("pipeline")
    generated = generate_processes(WORLD_PROCESSES, root / "simulator", seed=7, mixed=True)
    files = generate_sources(root / "simulator", generated.path, seed=7, mixed=True)
    with serve_directory(root / "simulator") as server:
        home = SessionPaths(root).dagster_home
        home.mkdir()
        (home / "dagster.yaml").write_text(DAGSTER_YAML, encoding="utf-8")  # the demo's instance settings
        with dg.DagsterInstance.local_temp(str(home)) as instance:
            result = materialize(server.url, root, instance=instance)
        dataset_rows = server.dataset(SECOP_II_PROCESOS.dataset_id).row_count
        yield Pipeline(root, generated, files, server.url, result, dataset_rows)
