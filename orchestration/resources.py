"""Resources per environment, chosen in one place from the environment variables.

The resource classes live beside what they reach (socrata.py, paco.py, lake.py, spark.py, webhook.py), or
here when they only hold configuration (`Warehouse`); asset modules import them from there, never the reverse.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg

from orchestration.dbt_project import dbt_cli, dbt_project
from orchestration.lake import Lake
from orchestration.paco import PacoFiles
from orchestration.settings import SPARK_RUNNERS, Settings
from orchestration.socrata import SocrataClient
from orchestration.spark import EmrServerlessSparkRunner, EmrSparkRunner, LocalSparkRunner, SparkRunner
from orchestration.webhook import AlertWebhook
from warehouse.reader import WarehouseReader, open_reader


class Warehouse(dg.ConfigurableResource):
    """Where dbt writes: the DuckDB file of the `local` target (ignored by the redshift target), and the
    marts' reader for the dbt target (warehouse/reader.py: DuckDB read-only, or Redshift)."""

    duckdb_path: str
    dbt_target: str = dbt_project.target  # where the marts are: `local` (the DuckDB file) or `redshift`

    @contextmanager
    def reader(self) -> Iterator[WarehouseReader]:
        """The marts' reader, closed when the block ends (a DuckDB file is released for the next build)."""
        reader = open_reader(self.dbt_target, self.duckdb_path)
        try:
            yield reader
        finally:
            reader.close()


def _required(value: str | None, variable: str, spark: str) -> str:
    if not value:
        raise ValueError(f"SECOP_SPARK={spark} needs {variable}")
    return value


def spark_runner(settings: Settings) -> SparkRunner:
    """The Spark runner that `SECOP_SPARK` names (local, emr or emr-serverless)."""
    if settings.spark not in SPARK_RUNNERS:
        raise ValueError(f"SECOP_SPARK must be one of {', '.join(SPARK_RUNNERS)}; got {settings.spark!r}")
    if settings.spark == "local":
        return LocalSparkRunner(remote=settings.spark_remote)
    common = {
        "s3_prefix": _required(settings.emr_s3_prefix, "SECOP_EMR_S3_PREFIX (or an s3:// lake)", settings.spark),
        "glue_database": settings.glue_database,
        "python": settings.emr_python,
        "s3_endpoint_url": settings.s3_endpoint_url,
    }
    if settings.spark == "emr":
        return EmrSparkRunner(
            **common,
            release_label=settings.emr_release_label,
            instance_type=settings.emr_instance_type,
            instance_count=settings.emr_instance_count,
            service_role=settings.emr_service_role,
            instance_profile=settings.emr_instance_profile,
            bootstrap_script_uri=settings.emr_bootstrap_uri,
            visible_to_all_users=settings.emr_visible_to_all_users,
        )
    return EmrServerlessSparkRunner(
        **common,
        application_id=_required(settings.emr_serverless_app_id, "SECOP_EMR_SERVERLESS_APP_ID", settings.spark),
        job_role_arn=_required(settings.emr_job_role_arn, "SECOP_EMR_JOB_ROLE_ARN", settings.spark),
    )


def resources_for(settings: Settings) -> dict[str, object]:
    # The token is optional; as an EnvVar it is resolved at launch and never shown in run config.
    app_token = dg.EnvVar("SECOP_APP_TOKEN") if os.getenv("SECOP_APP_TOKEN") else None
    # The webhook URL may carry a token: an EnvVar too.
    webhook_url = dg.EnvVar("SECOP_ALERT_WEBHOOK_URL") if os.getenv("SECOP_ALERT_WEBHOOK_URL") else None
    return {
        "socrata": SocrataClient(base_url=settings.socrata_url, app_token=app_token),
        "webhook": AlertWebhook(url=webhook_url),
        "paco": PacoFiles(base_url=settings.paco_url),
        "lake": Lake(uri=settings.lake_uri, s3_endpoint_url=settings.s3_endpoint_url),
        "spark": spark_runner(settings),
        "warehouse": Warehouse(duckdb_path=settings.duckdb_path),
        "dbt": dbt_cli(settings.dbt_target),
    }
