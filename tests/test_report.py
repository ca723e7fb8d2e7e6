"""The risk report and the mart previews: crafted marts for the numbers, the end-to-end run for the asset."""

from __future__ import annotations

import json
import re
from datetime import date

import dagster as dg
import duckdb
import pytest
from markdown_it import MarkdownIt

from orchestration.report.data import read_report_data, secop_link
from orchestration.report.previews import markdown_table, preview_tables
from orchestration.report.render import render_report, script_json

OLD, NEW = date(2026, 1, 1), date(2026, 2, 1)
HOSTILE = "<script>alert('x')</script> S.A.S"
SECOP = "https://community.secop.gov.co/"


def crafted_marts() -> duckdb.DuckDBPyConnection:
    """Two run dates; on the newer one three awards, two flagged (one twice), with a hostile name."""
    con = duckdb.connect()
    con.execute(
        """
        create table fct_contract_risk as select * from (values
            ('A1', 'ENT1', 'HOSPITAL UNO', 'SUP1', 'PROV UNO', date '2025-03-04', 100.0, 2, 0.5,
             'https://community.secop.gov.co/A1', ?),
            ('A2', 'ENT1', 'HOSPITAL UNO', 'SUP2', ?, date '2025-04-10', 50.0, 1, 0.25,
             'https://community.secop.gov.co/A2', ?),
            ('A3', 'ENT2', 'ALCALDIA', 'SUP3', 'LIMPIO', date '2025-04-11', 70.0, 0, 0.0,
             'https://community.secop.gov.co/A3', ?),
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
            ('single_bidder', 'Single bidder', 'competition', 'flagged award', 2, 2, 150.0, 3, ?, true, null),
            ('value_additions', 'Value additions', 'other', 'flagged award', 1, 1, 100.0, 3, ?, true, null),
            ('pep_supplier', 'Politically exposed supplier', 'other', 'distinct flagged supplier', null, null,
             null, null, ?, false, ?),
            ('single_bidder', 'Single bidder', 'competition', 'flagged award', 9, 9, 9.0, 9, ?, null, null)
        ) t(indicator_id, indicator_name, indicator_group, unit, flagged_awards, flagged_units, flagged_amount,
            total_awards, run_date, is_evaluated, not_evaluated_reason)""",
        [NEW, NEW, NEW, NOT_EVALUATED, OLD],
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


NOT_EVALUATED = "raw/sigep_pep failed on 2026-12-06T10:00:00+00:00: HTTP 404 <from> https://www.datos.gov.co"


def test_the_report_reads_the_latest_run_and_counts_each_award_once():
    data = read_report_data(crafted_marts())
    assert [(r["indicator_id"], r["not_evaluated_reason"]) for r in data.not_evaluated] == [
        ("pep_supplier", NOT_EVALUATED)
    ]
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

    not_evaluated = re.search(r'<div class="card warning" id="not-evaluated">(.*?)</div>', html, re.S).group(1)
    assert "<b>Politically exposed supplier</b>: " + NOT_EVALUATED.replace("<", "&lt;").replace(">", "&gt;") in (
        not_evaluated
    )

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
    assert f"[A1]({SECOP}A1)" in previews["fct_contract_risk"]
    summary = previews["fct_indicator_summary"]
    assert "| Politically exposed supplier | not evaluated: raw/sigep_pep failed on " in summary
    assert "HTTP 404 \\<from\\> https://www.datos.gov.co |" in summary  # escaped
    assert "one offer \\| in a competitive procedure" in previews["fct_contract_flags"]


# Crafted contract links and texts (hostile_marts): only A4's link is an https URL of a SECOP host.
CRAFTED_LINKS = {
    "A1": "javascript:alert(document.domain)",
    "A2": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "A4": "https://community.secop.gov.co/A4)[second](javascript:alert(1)",
    "A5": "http://community.secop.gov.co/A5",
    "A6": "https://community.secop.gov.co.evil.example/A6",
    "A7": "https://evil.example\\@community.secop.gov.co/A7",
}
A4_LINK = "https://community.secop.gov.co/A4%29%5Bsecond%5D%28javascript:alert%281%29"  # one link, parentheses encoded
COMMENT = "one offer <!--<script> & more"  # once made the browser table draw 0 rows
MARKDOWN_LINK = "[pay here](javascript:alert(1)) <javascript:alert(2)>"


def hostile_marts() -> duckdb.DuckDBPyConnection:
    """crafted_marts with a crafted link on every flagged contract (A1, A2 and four more), a reason opening an HTML
    comment and a <script>, and names written as markdown links."""
    con = crafted_marts()
    for key in ("A1", "A2"):
        con.execute("update fct_contract_risk set secop_url = ? where award_key = ?", [CRAFTED_LINKS[key], key])
    for key in ("A4", "A5", "A6", "A7"):
        con.execute(
            "insert into fct_contract_risk select ?, 'ENT2', ?, 'SUP3', ?, date '2025-04-12', 10.0, 1, 0.1, ?, ?",
            [key, MARKDOWN_LINK, MARKDOWN_LINK, CRAFTED_LINKS[key], NEW],
        )
        con.execute("insert into fct_contract_flags values (?, 'single_bidder', ?, ?)", [key, COMMENT, NEW])
    return con


def rendered_links(markdown: str) -> list[str]:
    """The links a markdown renderer that trusts every URL (not all check the scheme) draws from `markdown`."""
    parser = MarkdownIt("commonmark").enable("table")
    parser.validateLink = lambda url: True
    return re.findall(r'<a href="([^"]*)"', parser.render(markdown))


@pytest.mark.parametrize(
    ("url", "link"),
    [
        (f"{SECOP}Public/Tendering/OpportunityDetail/Index?noticeUID=CO1.NTC.1&isModal=False",) * 2,
        ("https://www.contratos.gov.co/consultas/detalleProceso.do?numConstancia=21-12-1",) * 2,
        ("https://www.colombiacompra.gov.co/123",) * 2,
        ("HTTPS://Community.SECOP.gov.co:443/x",) * 2,
        (
            "https://community.secop.gov.co/a(b)|'\"<é>",
            "https://community.secop.gov.co/a%28b%29%7C%27%22%3C%C3%A9%3E",
        ),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)//https://community.secop.gov.co/", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("http://community.secop.gov.co/x", None),
        ("//community.secop.gov.co/x", None),
        ("https://evil.example/community.secop.gov.co", None),
        ("https://community.secop.gov.co.evil.example/", None),
        ("https://notsecop.gov.co/", None),
        ("https://user:pw@community.secop.gov.co/", None),
        ("https://evil.example\\@community.secop.gov.co/", None),
        ("https://evil.example\\.community.secop.gov.co/", None),
        ("https://community.secop.gov.co:8443/", None),
        ("https://community.secop.gov.co:x/", None),
        ("https://community.secop.gov.co/\njavascript:alert(1)", None),
        (" https://community.secop.gov.co/", None),
        ("https://community.secop.gov.co/a b", None),
        ("", None),
        (None, None),
    ],
)
def test_a_link_is_an_https_url_of_an_official_secop_host_or_none(url, link):
    assert secop_link(url) == link
    assert link is None or secop_link(link) == link  # already safe: unchanged


def test_crafted_urls_never_become_links_in_the_report_or_the_previews():
    data = read_report_data(hostile_marts())
    expected = {"A1": None, "A2": None, "A4": A4_LINK, "A5": None, "A6": None, "A7": None}
    assert {c["award_key"]: c["secop_url"] for c in data.contracts} == expected

    html = render_report(data)
    embedded = re.search(r'<script type="application/json" id="contracts-data">(.*?)</script>', html, re.S)
    assert {c["award_key"]: c["secop_url"] for c in json.loads(embedded.group(1))} == expected

    previews = preview_tables(data)
    assert rendered_links(previews["fct_contract_risk"]) == [A4_LINK]  # the one SECOP link, nothing else
    for name, markdown in previews.items():
        assert name == "fct_contract_risk" or rendered_links(markdown) == [], name
    assert "\\[pay here\\](javascript:alert(1)) \\<javascript:alert(2)\\>" in previews["fct_contract_risk"]


def test_the_embedded_json_escapes_what_could_end_or_comment_out_its_script_element():
    value = {"reason": COMMENT + " </script><script>alert(1)</script>"}
    text = script_json(value)
    assert not {"<", ">", "&"} & set(text)
    assert json.loads(text) == value

    data = read_report_data(hostile_marts())
    html = render_report(data)
    embedded = re.search(r'<script type="application/json" id="contracts-data">(.*?)</script>', html, re.S)
    assert "<" not in embedded.group(1)
    contracts = json.loads(embedded.group(1))
    assert len(contracts) == len(data.contracts) == 6
    assert [f["reason"] for c in contracts for f in c["flags"] if c["award_key"] == "A4"] == [COMMENT]


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
