"""The risk report and the mart previews: crafted marts for the numbers, the end-to-end run for the asset."""

from __future__ import annotations

import json
import re
from datetime import date

import dagster as dg
import duckdb
import pytest

from orchestration.report.data import read_report_data
from orchestration.report.previews import markdown_table, preview_tables
from orchestration.report.render import render_report

OLD, NEW = date(2026, 1, 1), date(2026, 2, 1)
HOSTILE = "<script>alert('x')</script> S.A.S"


def crafted_marts() -> duckdb.DuckDBPyConnection:
    """Two run dates; on the newer one three awards, two flagged (one twice), with a hostile name."""
    con = duckdb.connect()
    con.execute(
        """
        create table fct_contract_risk as select * from (values
            ('A1', 'ENT1', 'HOSPITAL UNO', 'SUP1', 'PROV UNO', date '2025-03-04', 100.0, 2, 0.5, 'https://s/A1', ?),
            ('A2', 'ENT1', 'HOSPITAL UNO', 'SUP2', ?, date '2025-04-10', 50.0, 1, 0.25, 'https://s/A2', ?),
            ('A3', 'ENT2', 'ALCALDIA', 'SUP3', 'LIMPIO', date '2025-04-11', 70.0, 0, 0.0, 'https://s/A3', ?),
            ('A9', 'ENT2', 'ALCALDIA', 'SUP3', 'LIMPIO', date '2024-01-01', 1.0, 1, 1.0, null, ?)
        ) t(award_key, entity_key, entity_name, supplier_key, supplier_name, award_date, award_value, flag_count,
            risk_score, secop_url, run_date)""",
        [NEW, HOSTILE, NEW, NEW, OLD],
    )
    con.execute(
        """
        create table fct_contract_flags as select * from (values
            ('A1', 'single_bidder', 'one offer | in a competitive procedure', ?),
            ('A1', 'value_additions', 'raised 60%', ?),
            ('A2', 'single_bidder', 'one offer', ?),
            ('A9', 'single_bidder', 'old run', ?)
        ) t(award_key, indicator_id, reason, run_date)""",
        [NEW, NEW, NEW, OLD],
    )
    con.execute(
        """
        create table fct_indicator_summary as select * from (values
            ('single_bidder', 'Single bidder', 'competition', 'flagged award', 2, 2, 150.0, 3, ?),
            ('value_additions', 'Value additions', 'other', 'flagged award', 1, 1, 100.0, 3, ?),
            ('single_bidder', 'Single bidder', 'competition', 'flagged award', 9, 9, 9.0, 9, ?)
        ) t(indicator_id, indicator_name, indicator_group, unit, flagged_awards, flagged_units, flagged_amount,
            total_awards, run_date)""",
        [NEW, NEW, OLD],
    )
    con.execute("""
        create table dim_entity as select * from (values
            ('ENT1', 'HOSPITAL UNO', 2, 2, 150.0, 150.0, 3), ('ENT2', 'ALCALDIA', 1, 0, 70.0, 0.0, 0)
        ) t(entity_key, entity_name, awards, flagged_awards, awarded_value, flagged_value, flags)""")
    con.execute(
        """
        create table dim_supplier as select * from (values
            ('SUP1', 'PROVEEDOR UNO', 1, 1, 1, 2, 100.0), ('SUP2', ?, 1, 1, 1, 1, 50.0)
        ) t(supplier_key, supplier_name, awards, entities, flagged_awards, indicators_fired, awarded_value)""",
        [HOSTILE],
    )
    return con


def test_the_report_reads_the_latest_run_and_counts_each_award_once():
    data = read_report_data(crafted_marts())
    assert (data.run_date, data.awards, data.flagged_awards, data.flagged_value) == (NEW, 3, 2, 150.0)
    assert [(r["indicator_id"], r["flagged_awards"]) for r in data.indicators] == [
        ("single_bidder", 2),
        ("value_additions", 1),
    ]
    assert data.indicators[0]["share"] == pytest.approx(2 / 3)
    assert [c["award_key"] for c in data.contracts] == ["A1", "A2"]  # riskiest first; A3 has no flag
    assert [f["indicator"] for f in data.contracts[0]["flags"]] == ["single_bidder", "value_additions"]
    assert data.months == [
        {"month": "2025-03", "flagged_awards": 1, "flagged_value": 100.0},
        {"month": "2025-04", "flagged_awards": 1, "flagged_value": 50.0},
    ]
    assert [e["entity_key"] for e in data.entities] == ["ENT1"] and data.listed_all


def test_the_report_is_one_offline_file_with_charts_and_escaped_data():
    data = read_report_data(crafted_marts())
    html = render_report(data)
    assert len(re.findall(r'class="plotly-graph-div"', html)) == 5
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']https?:", html)  # plotly.js inlined, no CDN
    assert HOSTILE not in html  # escaped in the HTML, `</` broken inside the embedded JSON
    embedded = re.search(r'<script type="application/json" id="contracts-data">(.*?)</script>', html, re.S)
    assert [c["award_key"] for c in json.loads(embedded.group(1))] == ["A1", "A2"]
    assert json.loads(embedded.group(1))[1]["supplier_name"] == HOSTILE

    capped = read_report_data(crafted_marts(), max_contracts=1)
    assert not capped.listed_all and "The 1 riskiest of 2 flagged contracts are listed" in render_report(capped)


def test_previews_are_markdown_tables_with_escaped_cells():
    assert markdown_table([{"a": "x|y", "b": None}], [("A", lambda r: r["a"]), ("B", lambda r: r["b"])]) == (
        "| A | B |\n|---|---|\n| x\\|y |  |"
    )
    previews = preview_tables(read_report_data(crafted_marts()))
    assert set(previews) == {
        "fct_indicator_summary",
        "fct_contract_risk",
        "fct_contract_flags",
        "dim_entity",
        "dim_supplier",
    }
    assert "[A1](https://s/A1)" in previews["fct_contract_risk"]
    assert "one offer \\| in a competitive procedure" in previews["fct_contract_flags"]


@pytest.mark.e2e
@pytest.mark.spark
def test_the_end_to_end_run_writes_the_report_and_previews_the_marts(pipeline):
    def metadata(key: str) -> dict:
        [event] = [
            e
            for e in pipeline.result.get_asset_materialization_events()
            if e.asset_key == dg.AssetKey.from_user_string(key)
        ]
        return {k: v.value for k, v in event.materialization.metadata.items()}

    report = metadata("risk_report")
    with duckdb.connect(str(pipeline.warehouse), read_only=True) as con:
        [(flagged,)] = con.execute("select count(*) from fct_contract_risk where flag_count > 0").fetchall()
    assert report["contracts_flagged"] == flagged > 0
    assert (pipeline.lake / "reports" / "risk_report.html").read_bytes()[:15] == b"<!DOCTYPE html>"
    assert report["report"].startswith("file://") and report["report"].endswith("reports/risk_report.html")
    risk = metadata("fct_contract_risk")
    assert risk["dagster/row_count"] > 0 and risk["preview"].startswith("| contract | risk |")
    assert metadata("raw/secop_ii_procesos")["dagster/row_count"] == pipeline.dataset_rows
