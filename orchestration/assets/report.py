"""The risk report: one self-contained HTML file in the lake's `reports/`, linked from its materialization.

Downstream of the marts it reads (orchestration/report/data.py). The file of each run date is kept
(`reports/risk_report_<run_date>.html`) and `reports/risk_report.html` is the latest.
"""

from pathlib import Path

import dagster as dg
import duckdb

from orchestration.dbt_project import dbt_project
from orchestration.lake import Lake
from orchestration.report.data import REPORT_MARTS, read_report_data
from orchestration.report.previews import preview_tables
from orchestration.report.render import render_report
from orchestration.resources import Warehouse

LATEST = "reports/risk_report.html"


def report_link(uri: str) -> dg.MetadataValue:
    """A link a browser opens: file:// for the local lake, the object's URI on S3."""
    return dg.MetadataValue.url(uri if "://" in uri else Path(uri).as_uri())


@dg.asset(
    key="risk_report",
    deps=[dg.AssetKey(model) for model in REPORT_MARTS],
    group_name="reports",
    kinds={"html", "plotly"},
    pool="duckdb_writer",  # reads the DuckDB file: not while dbt writes it
    description="The risk report for journalists and auditors: flagged contracts and amounts per indicator "
    "(charts), the trend by month, the riskiest entities and suppliers, and a searchable, sortable table of "
    "flagged contracts with the reason for each flag and a link to the SECOP record. One HTML file that "
    "works offline, in the lake under reports/.",
)
def risk_report(context: dg.AssetExecutionContext, lake: Lake, warehouse: Warehouse) -> dg.MaterializeResult:
    if dbt_project.target != "local":  # the report reads the marts from DuckDB
        context.log.warning(f"the risk report reads the DuckDB warehouse; target {dbt_project.target} is not")
        return dg.MaterializeResult(metadata={"skipped": f"dbt target {dbt_project.target}"})
    with duckdb.connect(warehouse.duckdb_path, read_only=True) as con:
        data = read_report_data(con)
    html = render_report(data).encode("utf-8")
    dated = lake.write_bytes(f"reports/risk_report_{data.run_date}.html", html)
    latest = lake.write_bytes(LATEST, html)
    previews = preview_tables(data)
    context.log.info(f"risk report for {data.run_date}: {latest}")
    return dg.MaterializeResult(
        metadata={
            "report": report_link(latest),
            "report_of_run_date": report_link(dated),
            "path": dg.MetadataValue.path(latest),
            "run_date": str(data.run_date),
            "contracts_evaluated": data.awards,
            "contracts_flagged": data.flagged_awards,
            "contracts_listed": len(data.contracts),
            "flagged_value_cop": data.flagged_value,
            "report_bytes": len(html),
            "indicators": dg.MetadataValue.md(previews["fct_indicator_summary"]),
            "riskiest_contracts": dg.MetadataValue.md(previews["fct_contract_risk"]),
        }
    )
