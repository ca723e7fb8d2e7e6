"""The code location: raw → trusted → dbt warehouse → risk report and refined zone, one lineage, configured
from the environment."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.raw import raw_assets
from orchestration.assets.refined import refined_zone
from orchestration.assets.report import risk_report
from orchestration.assets.trusted import trusted_assets
from orchestration.assets.warehouse import warehouse_assets
from orchestration.automation import refresh_all_job, socrata_updates, source_jobs, weekly_refresh
from orchestration.live.assets import alert_notifications
from orchestration.live.job import live_alerts_job
from orchestration.live.sensor import live_contracts_sensor
from orchestration.resources import resources_for
from orchestration.settings import Settings


@dg.definitions
def defs() -> dg.Definitions:
    settings = Settings.from_env()
    return dg.Definitions(
        assets=[*raw_assets, *trusted_assets, warehouse_assets(), risk_report, refined_zone, alert_notifications],
        jobs=[refresh_all_job, live_alerts_job, *source_jobs],
        schedules=[weekly_refresh],
        sensors=[socrata_updates, live_contracts_sensor(settings.poll_seconds, settings.live_alerts)],
        resources=resources_for(settings),
    )
