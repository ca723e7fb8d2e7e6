"""The code location: raw → trusted → dbt warehouse, one lineage, configured from the environment."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.raw import raw_assets
from orchestration.assets.trusted import trusted_assets
from orchestration.assets.warehouse import warehouse_models
from orchestration.automation import refresh_all_job, socrata_updates, source_jobs, weekly_refresh
from orchestration.resources import resources_for
from orchestration.settings import Settings


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(
        assets=[*raw_assets, *trusted_assets, warehouse_models],
        jobs=[refresh_all_job, *source_jobs],
        schedules=[weekly_refresh],
        sensors=[socrata_updates],
        resources=resources_for(Settings.from_env()),
    )
