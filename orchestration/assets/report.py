"""The risk report: one self-contained HTML file per language in the lake's `reports/`, linked from its
materialization.

Downstream of the marts it reads (orchestration/report/data.py) through the warehouse reader, on DuckDB or
Redshift. The files of each run date are kept (`reports/risk_report_<run_date>.html`, `.en.html` in English)
and `reports/risk_report.html` (Spanish) and `reports/risk_report.en.html` (English) are the latest.
"""

from pathlib import Path

import dagster as dg

from orchestration.lake import Lake
from orchestration.report.data import REPORT_MARTS, read_report_data
from orchestration.report.previews import preview_tables
from orchestration.report.render import render_report
from orchestration.resources import Warehouse
from texts import DEFAULT_LANGUAGE, LANGUAGES


def report_name(stem: str, lang: str) -> str:
    """`<stem>.html` in the default language, `<stem>.<lang>.html` in the others."""
    return f"{stem}.html" if lang == DEFAULT_LANGUAGE else f"{stem}.{lang}.html"


def report_link(uri: str) -> dg.MetadataValue:
    """A link a browser opens: file:// for the local lake, the object's URI on S3."""
    return dg.MetadataValue.url(uri if "://" in uri else Path(uri).as_uri())


@dg.asset(
    key="risk_report",
    deps=[dg.AssetKey(model) for model in REPORT_MARTS],
    group_name="reports",
    kinds={"html", "plotly"},
    pool="duckdb_writer",  # reads the DuckDB file: not while dbt writes it
    description="The risk report for journalists and auditors, in Spanish (risk_report.html) and English "
    "(risk_report.en.html): flagged contracts and amounts per indicator and per indicator group (charts), by "
    "department, the trend by month, the riskiest entities and suppliers, and a searchable, sortable table of "
    "flagged contracts with the reason for each flag, a link to the SECOP record and the profile of each entity "
    "and supplier. One HTML file per language that works offline, in the lake under reports/.",
)
def risk_report(context: dg.AssetExecutionContext, lake: Lake, warehouse: Warehouse) -> dg.MaterializeResult:
    with warehouse.reader() as reader:
        data = read_report_data(reader)
    written: dict[tuple[str, str], str] = {}  # (kind, language) -> where the report went
    for lang in LANGUAGES:
        translation = next(other for other in LANGUAGES if other != lang)
        for kind, stem in (("report", "risk_report"), ("report_of_run_date", f"risk_report_{data.run_date}")):
            html = render_report(data, lang, other_language=report_name(stem, translation))
            written[kind, lang] = lake.write_bytes(f"reports/{report_name(stem, lang)}", html.encode("utf-8"))
    previews = preview_tables(data)
    latest = written["report", DEFAULT_LANGUAGE]
    context.log.info(f"risk report for {data.run_date}: {latest}")
    return dg.MaterializeResult(
        metadata={
            **{
                kind if lang == DEFAULT_LANGUAGE else f"{kind}_{lang}": report_link(uri)
                for (kind, lang), uri in written.items()
            },
            "path": dg.MetadataValue.path(latest),
            "run_date": str(data.run_date),
            "contracts_evaluated": data.awards,
            "contracts_flagged": data.flagged_awards,
            "contracts_listed": len(data.contracts),
            "profiles": sum(len(found) for found in data.profiles.values()),
            "flagged_value_cop": data.flagged_value,
            "indicators": dg.MetadataValue.md(previews["fct_indicator_summary"]),
            "riskiest_contracts": dg.MetadataValue.md(previews["fct_contract_risk"]),
        }
    )
