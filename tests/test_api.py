"""The read API over the end-to-end warehouse (the `pipeline` fixture), served by uvicorn on 127.0.0.1: every
endpoint's answers against the marts queried directly and the planted cases, the downloads against the JSON
pages, a few 4xx, and the OpenAPI page in headless Chromium (the crafted-warehouse tests cover the rest)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterator
from datetime import date

import duckdb
import pyarrow.parquet as pq
import pytest

from orchestration.report.data import secop_link
from simulator.truth import load_planted_flags, planted_flags_path
from tests.api_server import every_page, fetch, get_json, serve_api
from tests.pipeline import Pipeline
from tests.test_browser import CHROMIUM, SCREENSHOTS, browser  # noqa: F401 (the browser fixture)
from warehouse.reader import DuckDBReader

pytestmark = [pytest.mark.e2e, pytest.mark.spark]


@pytest.fixture(scope="module")
def api(pipeline: Pipeline) -> Iterator[str]:
    reader = DuckDBReader(str(pipeline.warehouse))
    with serve_api(reader) as url:
        yield url
    reader.close()


@pytest.fixture(scope="module")
def marts(pipeline: Pipeline):
    def query(sql: str, params: list | None = None) -> list[dict]:
        with duckdb.connect(str(pipeline.warehouse), read_only=True) as con:
            cursor = con.execute(sql, params or [])
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    return query


@pytest.fixture(scope="module")
def all_flags(api: str) -> list[dict]:
    return every_page(f"{api}/api/v1/flags", page_size=1000)


def test_flag_pages_are_every_flag_once_with_the_marts_figures(all_flags, marts):
    expected = {
        (row["award_key"], row["indicator_id"]): row
        for row in marts(
            "select flags.*, risk.risk_score, risk.secop_url as award_url, risk.entity_name, risk.supplier_name"
            " from fct_contract_flags as flags inner join fct_contract_risk as risk using (award_key)"
        )
    }
    keys = [(item["award_key"], item["indicator_id"]) for item in all_flags]
    assert len(keys) == len(set(keys)) == len(expected) and set(keys) == set(expected)
    risks = [item["risk_score"] for item in all_flags]
    assert risks == sorted(risks, reverse=True)
    for item in all_flags:
        row = expected[(item["award_key"], item["indicator_id"])]
        assert item["evidence"] == json.loads(row["evidence"])
        assert item["risk_score"] == float(row["risk_score"])
        assert (item["entity_name"], item["supplier_name"]) == (row["entity_name"], row["supplier_name"])
        assert item["secop_url"] == secop_link(row["award_url"])
        assert item["reason"]


def test_every_planted_case_is_listed_under_its_indicator(api, pipeline):
    planted = load_planted_flags(planted_flags_path(pipeline.generated.path.parent))
    for indicator_id, award_keys in planted.items():
        listed = {
            item["award_key"] for item in every_page(f"{api}/api/v1/flags", indicator=indicator_id, page_size=1000)
        }
        assert award_keys <= listed, (indicator_id, sorted(award_keys - listed)[:5])


def test_indicators_are_the_summary_of_the_latest_run(api, marts):
    answer = get_json(f"{api}/api/v1/indicators", lang="en")
    [latest] = marts("select max(run_date) as run_date from fct_indicator_summary")
    assert answer["run_date"] == latest["run_date"].isoformat()
    summary = marts(
        "select indicator_id, flagged_awards from fct_indicator_summary where run_date = ?", [latest["run_date"]]
    )
    assert {i["indicator_id"]: i["flagged_awards"] for i in answer["indicators"]} == {
        row["indicator_id"]: row["flagged_awards"] for row in summary
    }


def test_profile_lookups_have_their_index(marts):
    """DuckDB answers a profile from an index on the party's key (macro lookup_indexes; Redshift: sort keys)."""
    indexed = {(row["table_name"], row["expressions"]) for row in marts("select * from duckdb_indexes()")}
    for table, column in [("dim_entity", "entity_key"), ("dim_supplier", "supplier_key")] + [
        (f"fct_{kind}_profile", f"{kind}_key") for kind in ("entity", "supplier")
    ]:
        assert (table, f"[{column}]") in indexed, table


def assert_profile_is_its_awards(profile: dict, marts, key: str, other: str, counterparts: str) -> None:
    """A profile's riskiest awards and counterparts are what fct_contract_risk's awards of the party give."""
    party = profile[key.removesuffix("_key")][key]
    riskiest = marts(
        f"select award_key, risk_score from fct_contract_risk where {key} = ? and flag_count > 0"
        " order by risk_score desc, flag_count desc, award_key limit 10",
        [party],
    )
    assert [(a["award_key"], a["risk_score"]) for a in profile["riskiest_awards"]] == [
        (row["award_key"], pytest.approx(float(row["risk_score"]))) for row in riskiest
    ]
    expected = marts(
        f"select {other}, count(*) as awards, sum(flag_count) as flags from fct_contract_risk"
        f" where {key} = ? and {other} is not null group by 1 order by 3 desc, 2 desc, 1 limit 10",
        [party],
    )
    assert [(c[other], c["awards"], c["flags"]) for c in profile[counterparts]] == [
        (row[other], row["awards"], row["flags"]) for row in expected
    ]


def test_a_supplier_by_a_raw_spelling_of_its_document(api, marts):
    [raw] = marts(
        "select contracts.supplier_document_raw as raw, contracts.supplier_key as key"
        " from stg_secop_ii_contratos as contracts inner join fct_contract_flags as flags using (supplier_key)"
        " where contracts.supplier_document_raw <> contracts.supplier_key order by 2, 1 limit 1"
    )
    profile = get_json(f"{api}/api/v1/suppliers/{raw['raw']}")
    [dimension] = marts("select * from dim_supplier where supplier_key = ?", [raw["key"]])
    assert profile["supplier"]["supplier_key"] == raw["key"]
    assert profile["supplier"]["awards"] == dimension["awards"]
    for column in ("risk_score", "risk_rank", "peers"):
        assert profile["supplier"][column] == pytest.approx(float(dimension[column])), column
    flags = marts(
        "select indicator_id, count(*) as flags from fct_contract_flags where supplier_key = ? group by 1", [raw["key"]]
    )
    assert {row["indicator_id"]: row["flags"] for row in profile["flags_by_indicator"]} == {
        row["indicator_id"]: row["flags"] for row in flags
    }
    assert_profile_is_its_awards(profile, marts, "supplier_key", "entity_key", "buyers")


def test_an_entity_by_a_raw_nit_and_the_entities_of_a_department(api, marts):
    [entity] = marts("select * from dim_entity where flags > 0 and department is not null order by flags desc limit 1")
    raw = entity["nits_seen"].split(", ")[-1]
    profile = get_json(f"{api}/api/v1/entities/{raw}")
    assert profile["entity"]["entity_key"] == entity["entity_key"]
    assert profile["entity"]["risk_rank"] == entity["risk_rank"]
    assert_profile_is_its_awards(profile, marts, "entity_key", "supplier_key", "suppliers")
    department = entity["department"]
    listed = every_page(f"{api}/api/v1/entities", department=department.lower(), page_size=100)
    expected = marts(
        "select entity_key, count(*) as awards, sum(flag_count) as flags from fct_contract_risk"
        " where department = ? and entity_key is not null group by 1",
        [department],
    )
    assert {(i["entity_key"], i["awards"], i["flags"]) for i in listed} == {
        (row["entity_key"], row["awards"], row["flags"]) for row in expected
    }


def test_a_contract_with_its_flags_reasons_and_process(api, marts):
    [award] = marts("select award_key from fct_contract_flags group by 1 having count(*) > 1 order by 1 limit 1")
    answer = get_json(f"{api}/api/v1/contracts/{award['award_key']}", lang="en")
    flags = marts("select indicator_id from fct_contract_flags where award_key = ? order by 1", [award["award_key"]])
    assert [flag["indicator_id"] for flag in answer["flags"]] == [row["indicator_id"] for row in flags]
    assert all(flag["reason"] for flag in answer["flags"])
    assert award["award_key"] in {a["award_key"] for a in answer["process"]["awards"]}


def test_downloads_equal_the_json_pages(api, all_flags):
    indicator = Counter(item["indicator_id"] for item in all_flags).most_common(1)[0][0]
    pages = every_page(f"{api}/api/v1/flags", indicator=indicator, sort="value", page_size=250)
    status, _, body = fetch(f"{api}/api/v1/flags", indicator=indicator, sort="value", format="csv")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert status == 200 and [(r["award_key"], r["reason"]) for r in rows] == [
        (i["award_key"], i["reason"]) for i in pages
    ]
    status, _, body = fetch(f"{api}/api/v1/flags", indicator=indicator, sort="value", format="parquet")
    table = pq.read_table(io.BytesIO(body)).to_pylist()
    assert status == 200 and [(r["award_key"], r["award_value"]) for r in table] == [
        (i["award_key"], i["award_value"]) for i in pages
    ]
    assert all(isinstance(row["award_date"], date | None) for row in table)


def test_alerts_and_bad_requests(api, marts):
    alerts = every_page(f"{api}/api/v1/alerts", page_size=1000)
    assert len(alerts) == len(marts("select award_key from fct_contract_alerts"))
    assert get_json(f"{api}/api/v1/suppliers/1", 404)["error"]["code"] == "unknown_supplier"
    assert get_json(f"{api}/api/v1/suppliers/xyz", 422, lang="en")["error"]["code"] == "malformed_document"


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (`make browser` installs it)")
def test_the_openapi_page_renders_offline_and_lists_every_endpoint(browser, api):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{api}/docs")
    page.locator(".opblock").first.wait_for(timeout=30_000)
    page.screenshot(path=SCREENSHOTS / "api_docs.png", full_page=True)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    for path in ("/api/v1/flags", "/api/v1/contracts/{award_key}", "/api/v1/suppliers/{document}", "/api/v1/alerts"):
        assert any(path in shown.replace("\u200b", "") for shown in paths), (path, paths)
    assert all(url.startswith(api) for url in requested), [url for url in requested if not url.startswith(api)]
    page.close()
