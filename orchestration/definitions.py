"""The code location: raw → trusted → dbt warehouse, one lineage, configured from the environment."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.raw import raw_assets
from orchestration.assets.trusted import trusted_assets
from orchestration.assets.warehouse import warehouse_models
from orchestration.resources import resources_for
from orchestration.settings import Settings

refresh_job = dg.define_asset_job(
    "refresh_all",
    selection=dg.AssetSelection.all(),
    description="Pull every source incrementally, clean it with Spark, rebuild and test the dbt models.",
)


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(
        assets=[*raw_assets, *trusted_assets, warehouse_models],
        jobs=[refresh_job],
        resources=resources_for(Settings.from_env()),
    )
