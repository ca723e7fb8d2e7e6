"""The risk report and the mart previews: crafted marts for the numbers (read through the warehouse reader, every
query checked for Redshift), the end-to-end run for the asset."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from markdown_it import MarkdownIt

from orchestration.report.data import read_report_data, secop_link
from orchestration.report.previews import markdown_table, mart_previews, preview_tables
from orchestration.report.render import render_report, script_json
from orchestration.resources import Warehouse
from tests.redshift_sql import REDSHIFT_FUNCTIONS, called_functions, constructs_redshift_lacks
from texts import indicator_name
from warehouse.reader import DuckDBReader

OLD, NEW = date(2026, 1, 1), date(2026, 2, 1)
HOSTILE = "<script>alert('x')</script> S.A.S"
SECOP = "https://community.secop.gov.co/"
# Why pep_supplier was not evaluated: its reasons as the warehouse keeps them, and rendered.
NOT_EVALUATED = json.dumps(
    [
        {
            "kind": "pull_failed",
            "source": "sigep_pep",
            "at": "2026-12-06T10:00:00+00:00",
            "problem": "HTTP 404 <from> https://www.datos.gov.co",
            "last_landed": None,
        }
    ]
)
NOT_EVALUATED_EN = (
    "raw/sigep_pep failed on 2026-12-06T10:00:00+00:00: HTTP 404 <from> https://www.datos.gov.co; never landed"
)
NOT_EVALUATED_ES = (
    "la descarga de sigep_pep falló el 2026-12-06T10:00:00+00:00: HTTP 404 <from> https://www.datos.gov.co; "
    "nunca se ha descargado"
)
SINGLE_BIDDER = json.dumps({"modality": "Licitación pública"})
VALUE_ADDITIONS = json.dumps(
    {
        "contract_id": "CON-A1",
        "contract_value": 160.0,
        "increase_amount": 60.0,
        "increase_pct": 60.0,
        "process_awarded_value": 100.0,
        "severity": "legal_cap",
        "soft_pct": 0.2,
        "max_pct": 0.5,
    }
)


class RecordingReader(DuckDBReader):
    """The DuckDB reader, keeping every statement it was sent (to check them for Redshift)."""

    def __init__(self, path: str) -> None:
        super().__init__(path, keep_open_seconds=0.1)
        self.sent: list[str] = []

    def rows(self, sql: str, params=()) -> list[dict]:
        self.sent.append(sql)
        return super().rows(sql, params)


def flag_row(award: str, indicator: str, group: str, entity: str, supplier: str, evidence: str, run: date) -> tuple:
    return (award, indicator, group, award, entity, supplier, date(2025, 3, 4), 100.0, None, evidence, "document", run)


def write_crafted_marts(con: duckdb.DuckDBPyConnection) -> None:
    """Two run dates; on the newer one three awards, two flagged (one twice), with a hostile name. A1's single
    bidder flag and A3's risk are unchanged since the older run: fct_contract_flags and fct_contract_risk keep
    the run date that wrote them. A9's flag is from the older run's summary only (not an award any more)."""
    con.execute(
        """
        create table fct_contract_risk as select * from (values
            ('A1', 'ENT1', 'HOSPITAL UNO', 'SUP1', 'PROV UNO', date '2025-03-04', 100.0, 2, 0.5,
             'https://community.secop.gov.co/A1', 'CHOCÓ', 'QUIBDÓ', ?),
            ('A2', 'ENT1', 'HOSPITAL UNO', 'SUP2', ?, date '2025-04-10', 50.0, 1, 0.25,
             'https://community.secop.gov.co/A2', 'CHOCÓ', 'QUIBDÓ', ?),
            ('A3', 'ENT2', 'ALCALDIA', 'SUP3', 'LIMPIO', date '2025-04-11', 70.0, 0, 0.0,
             'https://community.secop.gov.co/A3', null, null, ?)
        ) t(award_key, entity_key, entity_name, supplier_key, supplier_name, award_date, award_value, flag_count,
            risk_score, secop_url, department, municipality, run_date)""",
        [NEW, HOSTILE, NEW, OLD],
    )
    con.execute(
        """create table fct_contract_flags (award_key varchar, indicator_id varchar, indicator_group varchar,
            unit_key varchar, entity_key varchar, supplier_key varchar, award_date date, award_value decimal(30, 3),
            excess_amount decimal(30, 3), evidence varchar, match_method varchar, run_date date)"""
    )
    flags = [
        flag_row("A1", "single_bidder", "competition", "ENT1", "SUP1", SINGLE_BIDDER, OLD),
        flag_row("A1", "value_additions", "execution", "ENT1", "SUP1", VALUE_ADDITIONS, NEW),
        flag_row("A2", "single_bidder", "competition", "ENT1", "SUP2", SINGLE_BIDDER, NEW),
        flag_row("A9", "single_bidder", "competition", "ENT2", "SUP3", SINGLE_BIDDER, OLD),
    ]
    con.executemany(f"insert into fct_contract_flags values ({', '.join('?' * 12)})", flags)
    con.execute(
        """
        create table fct_indicator_summary as select * from (values
            ('single_bidder', 'Single bidder', 'competition', 'flagged award', 2, 2, 150.0, 3, ?, true, null),
            ('short_submission_period', 'Short period', 'competition', 'flagged award', 1, 1, 50.0, 3, ?, true,
             null),
            ('value_additions', 'Value additions', 'execution', 'flagged award', 1, 1, 100.0, 3, ?, true, null),
            ('pep_supplier', 'Politically exposed supplier', 'other', 'distinct flagged supplier', null, null,
             null, null, ?, false, ?),
            ('single_bidder', 'Single bidder', 'competition', 'flagged award', 9, 9, 9.0, 9, ?, null, null)
        ) t(indicator_id, indicator_name, indicator_group, unit, flagged_awards, flagged_units, flagged_amount,
            total_awards, run_date, is_evaluated, not_evaluated_reason)""",
        [NEW, NEW, NEW, NEW, NOT_EVALUATED, OLD],
    )
    con.execute("""
        create table dim_entity as select * from (values
            ('ENT1', 'HOSPITAL UNO', 2, 2, 150.0, 150.0, 3, 'CHOCÓ', 'QUIBDÓ', 0.75, 1, 2, 1.0),
            ('ENT2', 'ALCALDIA', 2, 1, 71.0, 1.0, 1, null, null, 0.0, 2, 2, 0.0)
        ) t(entity_key, entity_name, awards, flagged_awards, awarded_value, flagged_value, flags, department,
            municipality, risk_score, risk_rank, peers, flagged_value_share)""")
    con.execute(
        """
        create table dim_supplier as select * from (values
            ('SUP1', 'PROVEEDOR UNO', 1, 1, 1, 2, 100.0, 100.0, 0.5, 1, 3, 1.0),
            ('SUP2', ?, 1, 1, 1, 1, 50.0, 50.0, 0.25, 2, 3, 1.0),
            ('SUP3', 'LIMPIO', 2, 1, 0, 0, 71.0, 1.0, 0.0, 3, 3, 0.0)
        ) t(supplier_key, supplier_name, awards, entities, flagged_awards, indicators_fired, awarded_value,
            flagged_value, risk_score, risk_rank, peers, flagged_value_share)""",
        [HOSTILE],
    )


@pytest.fixture
def marts(tmp_path: Path) -> Iterator[RecordingReader]:
    """The crafted marts in a DuckDB file, read through the warehouse reader."""
    reader = crafted_reader(tmp_path / "crafted.duckdb")
    yield reader
    reader.close()


def test_the_report_reads_the_latest_run_and_counts_each_award_once(marts):
    data = read_report_data(marts)
    assert [(r["indicator_id"], r["not_evaluated_reason"]) for r in data.not_evaluated] == [
        ("pep_supplier", NOT_EVALUATED)
    ]
    assert (data.run_date, data.awards, data.flagged_awards, data.flagged_value) == (NEW, 3, 2, 150.0)
    assert [(r["indicator_id"], r["flagged_awards"]) for r in data.indicators] == [
        ("single_bidder", 2),
        ("short_submission_period", 1),
        ("value_additions", 1),
    ]
    assert data.indicators[0]["share"] == pytest.approx(2 / 3)
    assert [c["award_key"] for c in data.contracts] == ["A1", "A2"]  # riskiest first; A3 has no flag
    assert data.months == [
        {"month": "2025-03", "flagged_awards": 1, "flagged_value": 100.0},
        {"month": "2025-04", "flagged_awards": 1, "flagged_value": 50.0},
    ]
    assert [e["entity_key"] for e in data.entities] == ["ENT1", "ENT2"] and data.listed_all


def test_a_contract_keeps_the_flags_an_earlier_run_wrote(marts):
    """fct_contract_flags is incremental: an unchanged flag keeps the run date of the run that wrote it, and is
    still one of the contract's current flags (the report once joined on the run date and lost it)."""
    [a1, a2] = read_report_data(marts).contracts
    assert [f["indicator_id"] for f in a1["flags"]] == ["single_bidder", "value_additions"]
    assert [f["indicator_id"] for f in a2["flags"]] == ["single_bidder"]
    assert a2["flags"][0]["supplier_name"] == HOSTILE  # the names the reason quotes come with each flag


def test_profiles_departments_and_groups(marts):
    data = read_report_data(marts)
    assert set(data.profiles["entity"]) == {"ENT1"} and set(data.profiles["supplier"]) == {"SUP1", "SUP2"}
    hospital = data.profiles["entity"]["ENT1"]
    assert (hospital["name"], hospital["department"], hospital["municipality"]) == ("HOSPITAL UNO", "CHOCÓ", "QUIBDÓ")
    assert (hospital["risk_rank"], hospital["peers"], hospital["flagged_value"]) == (1, 2, 150.0)
    assert [(r["indicator_id"], r["flagged_awards"]) for r in hospital["indicators"]] == [
        ("single_bidder", 2),
        ("value_additions", 1),
    ]
    assert [c["award_key"] for c in hospital["contracts"]] == ["A1", "A2"]
    supplier = data.profiles["supplier"]["SUP2"]
    assert (supplier["name"], supplier["flagged_value"], supplier["risk_rank"], supplier["peers"]) == (
        HOSTILE,
        50.0,
        2,
        3,
    )
    assert [c["award_key"] for c in supplier["contracts"]] == ["A2"]

    assert [(d["department"], d["awards"], d["flagged_awards"], d["flagged_value"]) for d in data.departments] == [
        ("CHOCÓ", 2, 2, 150.0),
        (None, 1, 0, 0.0),
    ]
    groups = data.groups
    assert [(r["indicator_id"], r["group_share"]) for r in groups["competition"]] == [
        ("single_bidder", pytest.approx(2 / 3)),
        ("short_submission_period", pytest.approx(1 / 3)),
    ]
    assert [(r["indicator_id"], r["group_share"]) for r in groups["execution"]] == [("value_additions", 1.0)]


def test_every_statement_the_report_and_the_previews_send_is_redshift_sql(marts):
    assert mart_previews(marts, ["fct_contract_risk"])  # the previews' statements, then the report's
    read_report_data(marts)
    assert len(marts.sent) >= 10
    for sql in marts.sent:
        assert called_functions(sql) <= REDSHIFT_FUNCTIONS, (sorted(called_functions(sql) - REDSHIFT_FUNCTIONS), sql)
        assert not constructs_redshift_lacks(sql), sql


def embedded(html: str, element: str) -> object:
    return json.loads(re.search(rf'<script type="application/json" id="{element}">(.*?)</script>', html, re.S)[1])


def visible_text(html: str) -> str:
    """The HTML's text outside scripts and styles, tags removed."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S))


def test_the_report_reads_in_spanish_by_default_and_in_english_with_the_same_figures(marts):
    data = read_report_data(marts)
    spanish, english = render_report(data), render_report(data, "en", other_language="risk_report.html")
    assert '<html lang="es">' in spanish and '<html lang="en">' in english
    assert "Contratos con una bandera roja" in spanish and "Contracts with a red flag" in english
    assert "Contracts with a red flag" not in spanish and "Contratos con una bandera roja" not in english
    kpis = {lang: re.findall(r'<b id="kpi-\w+">([^<]*)</b>', html) for lang, html in (("es", spanish), ("en", english))}
    assert kpis == {"es": ["3", "2", "66,7 %", "$150"], "en": ["3", "2", "66.7%", "COP 150"]}
    assert 'href="risk_report.html"' in english and "Leer en español" in english

    es_rows, en_rows = embedded(spanish, "contracts-data"), embedded(english, "contracts-data")
    strip = ("value_text", "risk_text", "flags")
    assert [{k: v for k, v in c.items() if k not in strip} for c in es_rows] == [
        {k: v for k, v in c.items() if k not in strip} for c in en_rows
    ]
    assert [(c["value_text"], c["risk_text"]) for c in es_rows] == [("$100", "0,500"), ("$50", "0,250")]
    assert [(c["value_text"], c["risk_text"]) for c in en_rows] == [("COP 100", "0.500"), ("COP 50", "0.250")]
    es_reason, en_reason = es_rows[0]["flags"][0]["reason"], en_rows[0]["flags"][0]["reason"]
    assert "HOSPITAL UNO adjudicó a PROV UNO" in es_reason and "HOSPITAL UNO awarded PROV UNO" in en_reason
    assert "Competencia" in visible_text(spanish) and "Competition" in visible_text(english)
    assert "Por departamento" in spanish and "By department" in english
    assert (
        embedded(spanish, "indicator-names")["single_bidder"] != embedded(english, "indicator-names")["single_bidder"]
    )


def test_the_profiles_groups_and_departments_in_the_report(marts):
    data = read_report_data(marts)
    for lang, rank, share in (("es", "1 de 2", "66,67 %"), ("en", "1 of 2", "66.67%")):
        html = render_report(data, lang)
        profiles = embedded(html, "profiles-data")
        assert set(profiles) == {"entity:ENT1", "supplier:SUP1", "supplier:SUP2"}
        hospital = profiles["entity:ENT1"]
        assert hospital["name"] == "HOSPITAL UNO" and ["ENT1"] == [v for _, v in hospital["facts"] if v == "ENT1"]
        assert rank in [v for _, v in hospital["facts"]] and "QUIBDÓ, CHOCÓ" in [v for _, v in hospital["facts"]]
        assert [row[1] for row in hospital["indicators"]] == ["2", "1"]
        assert [(c["award_key"], c["counterpart_key"]) for c in hospital["contracts"]] == [
            ("A1", "SUP1"),
            ("A2", "SUP2"),
        ]
        groups = re.search(r'<table id="group-table">(.*?)</table>', html, re.S)[1]
        assert '<tr data-group="competition" data-indicator="single_bidder">' in groups and share in groups
        departments = re.search(r'<table id="department-table">(.*?)</table>', html, re.S)[1]
        assert "CHOCÓ" in departments and ("(sin departamento)" if lang == "es" else "(no department)") in departments


def test_the_report_is_one_offline_file_with_charts_and_escaped_data(marts):
    data = read_report_data(marts)
    html = render_report(data, "en")
    assert len(re.findall(r'class="plotly-graph-div"', html)) == 7
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']https?:", html)  # plotly.js inlined, no CDN
    assert HOSTILE not in html  # escaped in the HTML, `</` broken inside the embedded JSON
    contracts = embedded(html, "contracts-data")
    assert [c["award_key"] for c in contracts] == ["A1", "A2"]
    assert contracts[1]["supplier_name"] == HOSTILE

    for lang, reason in (("en", NOT_EVALUATED_EN), ("es", NOT_EVALUATED_ES)):
        page = html if lang == "en" else render_report(data, lang)
        not_evaluated = re.search(r'<div class="card warning" id="not-evaluated">(.*?)</div>', page, re.S).group(1)
        escaped = reason.replace("<", "&lt;").replace(">", "&gt;")
        assert f"<b>{indicator_name('pep_supplier', lang)}</b>: {escaped}</li>" in not_evaluated

    capped = read_report_data(marts, max_contracts=1)
    assert not capped.listed_all and "The 1 riskiest of 2 flagged contracts are listed" in render_report(capped, "en")
    assert "Se listan los 1 contratos más riesgosos de 2" in render_report(capped)


def test_previews_are_markdown_tables_with_escaped_cells(marts):
    assert markdown_table([{"a": "x|y", "b": None}], [("A", lambda r: r["a"]), ("B", lambda r: r["b"])]) == (
        "| A | B |\n|---|---|\n| x\\|y |  |"
    )
    data = read_report_data(marts)
    previews = preview_tables(data)
    assert set(previews) == {
        "fct_indicator_summary",
        "fct_contract_risk",
        "fct_contract_flags",
        "dim_entity",
        "dim_supplier",
    }
    assert f"[A1]({SECOP}A1)" in previews["fct_contract_risk"]
    assert previews["fct_contract_risk"].startswith("| Contrato | Riesgo |")
    summary = preview_tables(data, "en")["fct_indicator_summary"]
    assert "| Politically exposed supplier | not evaluated: raw/sigep_pep failed on " in summary
    assert "HTTP 404 \\<from\\> https://www.datos.gov.co; never landed |" in summary  # escaped
    assert "no evaluado: la descarga de sigep_pep falló el " in previews["fct_indicator_summary"]
    assert "adjudicó a PROV UNO" in previews["fct_contract_flags"]
    assert mart_previews(marts, ["dim_entity", "int_awards"]) == {"dim_entity": previews["dim_entity"]}


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


def write_hostile_marts(con: duckdb.DuckDBPyConnection) -> None:
    """The crafted marts with a crafted link on every flagged contract (A1, A2 and four more), a reason opening an
    HTML comment and a <script> (its modality), and names written as markdown links."""
    write_crafted_marts(con)
    for key in ("A1", "A2"):
        con.execute("update fct_contract_risk set secop_url = ? where award_key = ?", [CRAFTED_LINKS[key], key])
    for key in ("A4", "A5", "A6", "A7"):
        con.execute(
            "insert into fct_contract_risk select ?, 'ENT2', ?, 'SUP3', ?, date '2025-04-12', 10.0, 1, 0.1, ?, "
            "null, null, ?",
            [key, MARKDOWN_LINK, MARKDOWN_LINK, CRAFTED_LINKS[key], NEW],
        )
        evidence = json.dumps({"modality": COMMENT})
        con.execute(
            f"insert into fct_contract_flags values ({', '.join('?' * 12)})",
            flag_row(key, "single_bidder", "competition", "ENT2", "SUP3", evidence, NEW),
        )


def crafted_reader(path: Path, hostile: bool = False) -> RecordingReader:
    """The crafted (or hostile) marts written to a DuckDB file at `path`, and a reader of it."""
    with duckdb.connect(str(path)) as con:
        (write_hostile_marts if hostile else write_crafted_marts)(con)
    return RecordingReader(str(path))


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[RecordingReader]:
    reader = crafted_reader(tmp_path / "hostile.duckdb", hostile=True)
    yield reader
    reader.close()


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
        ("https://community.secop.gov.co@evil.example/", None),
        ("https://www.secop.gov.co",) * 2,
        ("https://community.secop.gov.co#top",) * 2,
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


def test_crafted_urls_never_become_links_in_the_report_or_the_previews(hostile):
    data = read_report_data(hostile)
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


def test_the_embedded_json_escapes_what_could_end_or_comment_out_its_script_element(hostile):
    value = {"reason": COMMENT + " </script><script>alert(1)</script>"}
    text = script_json(value)
    assert not {"<", ">", "&"} & set(text)
    assert json.loads(text) == value

    data = read_report_data(hostile)
    html = render_report(data)
    embedded = re.search(r'<script type="application/json" id="contracts-data">(.*?)</script>', html, re.S)
    assert "<" not in embedded.group(1)
    contracts = json.loads(embedded.group(1))
    assert len(contracts) == len(data.contracts) == 6
    [reason] = [f["reason"] for c in contracts for f in c["flags"] if c["award_key"] == "A4"]
    assert f"({COMMENT})" in reason


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
    reports = pipeline.lake / "reports"
    for name in ("risk_report.html", "risk_report.en.html", "risk_report_2026-01-15.en.html"):
        assert (reports / name).read_bytes()[:15] == b"<!DOCTYPE html>", name
    assert report["report"].startswith("file://") and report["report"].endswith("reports/risk_report.html")
    assert report["report_en"].endswith("reports/risk_report.en.html")
    assert report["report_of_run_date_en"].endswith(f"reports/risk_report_{report['run_date']}.en.html")
    assert report["profiles"] > 0
    risk = metadata("fct_contract_risk")
    assert risk["dagster/row_count"] > 0 and risk["preview"].startswith("| Contrato | Riesgo |")
    assert metadata("raw/secop_ii_procesos")["dagster/row_count"] == pipeline.dataset_rows


def test_the_report_reads_the_warehouse_of_the_dbt_target(tmp_path):
    """No target is skipped: the warehouse resource reads DuckDB for `local` and Redshift for `redshift` (the
    Redshift reader connects on its first query; its SQL is the one checked above)."""
    for target, dialect in (("local", "duckdb"), ("redshift", "redshift")):
        with Warehouse(duckdb_path=str(tmp_path / "warehouse.duckdb"), dbt_target=target).reader() as reader:
            assert reader.dialect == dialect
