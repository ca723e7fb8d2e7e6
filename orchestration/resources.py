"""Resources per environment, chosen in one place from the environment variables."""

from __future__ import annotations

import os

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.assets.warehouse import Warehouse
from orchestration.dbt_project import dbt_executable, dbt_project
from orchestration.lake import Lake
from orchestration.paco import PacoFiles
from orchestration.settings import Settings
from orchestration.socrata import SocrataClient
from orchestration.spark import LocalSparkRunner


def resources_for(settings: Settings) -> dict[str, object]:
    if settings.spark != "local":
        raise NotImplementedError(f"SECOP_SPARK={settings.spark!r}: only 'local' is available yet")
    # The token is optional; as an EnvVar it is resolved at launch and never shown in run config.
    app_token = dg.EnvVar("SECOP_APP_TOKEN") if os.getenv("SECOP_APP_TOKEN") else None
    return {
        "socrata": SocrataClient(base_url=settings.socrata_url, app_token=app_token),
        "paco": PacoFiles(base_url=settings.paco_url),
        "lake": Lake(uri=settings.lake_uri, s3_endpoint_url=settings.s3_endpoint_url),
        "spark": LocalSparkRunner(),
        "warehouse": Warehouse(duckdb_path=settings.duckdb_path),
        "dbt": DbtCliResource(project_dir=dbt_project, target=settings.dbt_target, dbt_executable=dbt_executable()),
    }
