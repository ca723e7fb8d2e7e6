"""The read API benchmark's harness (benchmarks.api) on the end-to-end warehouse: a few requests per scenario
with 2 clients and the whole CSV download, in seconds once the session's warehouse exists, so the bench
cannot rot while the API changes."""

from __future__ import annotations

import duckdb
import pytest
import requests

import benchmarks.api
from benchmarks.api import API, CURSOR_PAGES, Call, api_server, bench, perform

pytestmark = pytest.mark.e2e


def test_every_scenario_answers_and_the_download_holds_every_flag(pipeline, monkeypatch):
    monkeypatch.setattr(benchmarks.api, "PAGE_SIZE", 2)  # the small world's filtered lists then span pages
    figures = bench(pipeline.warehouse, requests_per_scenario=6, clients=2)

    with duckdb.connect(str(pipeline.warehouse), read_only=True) as con:
        [(flags,)] = con.execute("select count(*) from fct_contract_flags").fetchall()
    assert figures["flags"] == flags > 0
    assert len(figures["scenarios"]) == 4
    for name, scenario in figures["scenarios"].items():
        assert scenario["errors"] == 0, (name, scenario.get("first_errors"))
        assert scenario["latency_ms"]["n"] == scenario["requests"] >= 2, name
        assert 0 < scenario["latency_ms"]["p50"] <= scenario["latency_ms"]["p95"] <= scenario["latency_ms"]["max"]
    paged = figures["scenarios"][f"flags, first page + {CURSOR_PAGES} through the cursor"]
    assert paged["requests"] == CURSOR_PAGES + 1  # 6 requests make one call, each of its lists spans the pages
    download = figures["download_csv"]
    assert download["rows"] == flags
    assert download["megabytes"] > 0 and download["rss_peak_mib"] >= download["rss_before_mib"] > 0


def test_a_call_follows_the_cursor_page_after_page(pipeline):
    with api_server(pipeline.warehouse) as server, requests.Session() as session:
        outcomes = perform(session, server.url, Call(f"{API}/flags", {"page_size": 2, "sort": "date"}, follow=3))
        missing = perform(session, server.url, Call(f"{API}/suppliers/NAME:nobody"))
    assert [o.status for o in outcomes] == [200, 200, 200, 200]
    assert [o.status for o in missing] == [404] and missing[0].error.startswith("404")
