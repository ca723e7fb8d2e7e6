"""The `live_alerts` job: ingest the delta, clean it, evaluate it, notify."""

import dagster as dg

from catalogue import SECOP_II_CONTRATOS

LIVE_JOB = "live_alerts"
LIVE_MODELS = ("fct_contract_evaluations", "fct_contract_alerts", "t_result_indicadores_stream")

# The staging table links the trusted table to the live models in the job's graph: without it nothing
# orders dbt after the Spark step. The indicators' status is built again so that an alert never rests on a
# source this run found failed, stale or empty.
STATUS_MODELS = ("stg_trusted_sources", "int_indicator_status")
LIVE_DBT_MODELS = [
    dg.AssetKey(f"stg_{SECOP_II_CONTRATOS.name}"),
    *(dg.AssetKey(m) for m in (*STATUS_MODELS, *LIVE_MODELS)),
]

live_alerts_job = dg.define_asset_job(
    LIVE_JOB,
    # The dbt data tests of these models are left to the batch builds and CI (3-5 s a run otherwise):
    # the models themselves keep each alert once.
    selection=(
        dg.AssetSelection.assets(["raw", SECOP_II_CONTRATOS.name], ["trusted", SECOP_II_CONTRATOS.name])
        | dg.AssetSelection.assets(*LIVE_DBT_MODELS, "alert_notifications")
    )
    - dg.AssetSelection.checks_for_assets(*LIVE_DBT_MODELS),
    executor_def=dg.in_process_executor,  # one process: no per-step start-up on the latency path
    description="Alerts on new SECOP II contracts: ingest the delta, clean it, evaluate it, notify.",
)
