"""What a person sees, in headless Chromium: the Dagster UI over the end-to-end run, and the risk report.

Chromium is Debian's package (`make browser`, part of `make test`); Playwright drives it and never
downloads a browser of its own. Without Chromium these tests skip, except in CI (`CI=true`), where a
skip fails the run (tests/ci_skips.py). Screenshots go to test-output/browser/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest

from orchestration.report.data import read_report_data
from orchestration.report.render import render_report
from orchestration.settings import REPO_ROOT
from simulator.replay.server import PACO_CONTAINER
from tests.pipeline import Pipeline
from texts import indicator_name, number, text
from workbench.spark_connect import free_port

CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.spark,
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (`make browser` installs it)"),
]
SCREENSHOTS = REPO_ROOT / "test-output" / "browser"
# Chromium on a closed network: no background calls to Google's hosts (they fail, many at a time).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator:
    sync_api = pytest.importorskip("playwright.sync_api")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"dagster-webserver exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    pytest.fail(f"dagster-webserver did not answer at {url} within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def dagster_ui(pipeline: Pipeline) -> Iterator[str]:
    """`dagster-webserver` on 127.0.0.1 over the end-to-end run's instance, lake and warehouse."""
    port = free_port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(pipeline.dagster_home),
        "SECOP_LAKE_URI": str(pipeline.lake),
        "SECOP_DUCKDB_PATH": str(pipeline.warehouse),
        "SECOP_SOCRATA_URL": pipeline.server_url,
        "SECOP_PACO_URL": f"{pipeline.server_url}/{PACO_CONTAINER}",
    }
    log = pipeline.root / "webserver.log"
    command = [str(Path(sys.executable).parent / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(port)]
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            [*command, "-w", str(REPO_ROOT / "workspace.yaml")],
            cwd=REPO_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(f"{url}/server_info", process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def latest_materialization(page, timeout: float = 30) -> str:
    """The asset page's "Latest materialization" status (e.g. '23 seconds ago') once it has loaded."""
    deadline = time.monotonic() + timeout
    while True:
        lines = page.inner_text("body").split("Latest materialization", 1)[1].splitlines()
        status = next((line.strip() for line in lines if line.strip()), "")
        if status.endswith("ago") or time.monotonic() > deadline:
            return status
        page.wait_for_timeout(500)


def test_the_ui_shows_the_lineage_and_successful_marts(browser, dagster_ui):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    # dim_supplier reads the contracts' staging view, which reads the trusted table, which reads raw.
    page.goto(f"{dagster_ui}/assets/dim_supplier?view=lineage&lineageScope=upstream&lineageDepth=3")
    page.locator("text=int_awards").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1_000)  # the graph's layout settles
    page.screenshot(path=SCREENSHOTS / "lineage_dim_supplier.png")
    # One graph box per group, the raw assets in `ingest`; long labels are shortened at this zoom.
    lines = page.inner_text("body").splitlines()
    assert {"ingest", "trusted", "warehouse", "dim_supplier"} <= set(lines)
    assert lines.count("secop_ii_contratos") == 2  # raw/secop_ii_contratos and trusted/secop_ii_contratos

    for mart in ("fct_contract_risk", "fct_indicator_summary", "risk_report"):
        page.goto(f"{dagster_ui}/assets/{mart}")
        page.locator("text=Latest materialization").first.wait_for(timeout=60_000)
        status = latest_materialization(page)  # the page fills its panels in as their queries answer
        page.screenshot(path=SCREENSHOTS / f"asset_{mart}.png", full_page=True)
        assert status.endswith("ago"), f"{mart}: latest materialization {status!r}"
        if mart.startswith("fct_"):
            assert "Row count" in page.inner_text("body"), mart
    page.goto(f"{dagster_ui}/assets/risk_report?view=events")
    page.locator("text=contracts_flagged").first.wait_for(timeout=60_000)
    page.screenshot(path=SCREENSHOTS / "events_risk_report.png", full_page=True)
    page.close()


def test_the_report_renders_its_charts_its_table_filters_and_profiles(browser, pipeline: Pipeline):
    report = pipeline.lake / "reports" / "risk_report.html"  # in Spanish, the default
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(report.as_uri())
    page.locator("#chart-trend .main-svg").first.wait_for(timeout=30_000)
    assert all(url.startswith(("file:", "data:")) for url in fetched), fetched  # self-contained: works offline
    page.screenshot(path=SCREENSHOTS / "report.png", full_page=True)

    charts = page.locator(".js-plotly-plot")
    assert charts.count() == 7
    for index in range(charts.count()):  # each chart drew its marks
        assert charts.nth(index).locator(".main-svg .point, .main-svg .scatterlayer path, .main-svg .slice").count() > 0

    check_profiles(page)
    rows = page.locator("#contract-table tbody tr")
    total = rows.count()
    shown = text("report.table.shown", "es", shown=number(total, "es"), total=number(total, "es"))
    assert total > 0 and page.inner_text("#shown") == shown

    supplier = rows.first.locator("td").nth(3).inner_text()
    page.fill("#search", supplier)
    found = rows.count()
    assert 0 < found <= total
    words = supplier.lower().split()  # the search keeps the rows holding every word, anywhere in the row
    assert all(all(w in rows.nth(i).inner_text().lower() for w in words) for i in range(found))
    page.locator("#contracts").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "report_search.png")

    page.fill("#search", "")
    page.select_option("#indicator", "single_bidder")
    single = rows.count()
    assert 0 < single < total
    assert all(indicator_name("single_bidder", "es") in rows.nth(i).inner_text() for i in range(single))

    page.select_option("#indicator", "")
    page.click("th[data-key=award_value]")
    values = [
        int(re.sub(r"\D", "", v) or 0)
        for v in page.locator("#contract-table tbody tr td:nth-child(6)").all_inner_texts()
    ]
    assert values == sorted(values, reverse=True)
    link = rows.first.locator("td:last-child a")
    assert link.get_attribute("href").startswith("https://") and link.get_attribute("target") == "_blank"
    page.screenshot(path=SCREENSHOTS / "report_sorted.png")
    page.close()


def open_profile(page, link) -> dict:
    """Click a profile link; the profile it opens, as the report's data holds it, once it is drawn."""
    target = unquote(link.get_attribute("href")[1:])
    link.click()
    profile = json.loads(page.text_content("#profiles-data"))[target]
    page.wait_for_function(
        "name => !document.getElementById('profile').hidden && "
        "document.getElementById('profile-name').textContent === name",
        arg=profile["name"],
        timeout=10_000,
    )
    return profile


def check_profiles(page) -> None:
    """A click on the first contract's entity opens its profile; one on a supplier there opens the supplier's."""
    row = page.locator("#contract-table tbody tr").first
    assert page.locator("#profile").is_hidden()
    entity = open_profile(page, row.locator("td").nth(2).locator("a.profile-link"))
    assert page.inner_text("#profile-kind") == entity["title"] == text("report.profile.entity", "es")
    facts = page.inner_text("#profile-facts")
    assert text("report.profile.rank", "es") in facts and all(value in facts for _, value in entity["facts"])
    riskiest = page.locator("#profile table").nth(1).locator("tbody tr")
    assert riskiest.count() == len(entity["contracts"]) > 0
    assert entity["contracts"][0]["award_key"] == row.locator("td").last.inner_text()  # the riskiest, its first
    page.screenshot(path=SCREENSHOTS / "report_profile_entity.png")

    supplier = open_profile(page, riskiest.first.locator("a.profile-link"))  # the counterpart's profile
    assert page.inner_text("#profile-kind") == supplier["title"] == text("report.profile.supplier", "es")
    page.click("#profile-close")
    assert page.locator("#profile").is_hidden()


def test_a_crafted_report_draws_every_row_and_links_only_to_secop(browser, tmp_path):
    """The crafted marts of tests/test_report.py: a reason opening an HTML comment and a <script> once made the
    table draw no row; javascript:, data: and look-alike URLs became the contracts' links."""
    from tests.test_report import A4_LINK, COMMENT, crafted_reader

    reader = crafted_reader(tmp_path / "hostile.duckdb", hostile=True)
    data = read_report_data(reader)
    reader.close()
    report = tmp_path / "report.html"
    report.write_text(render_report(data, "en"), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(report.as_uri())
    rows = page.locator("#contract-table tbody tr")
    rows.first.wait_for(timeout=30_000)
    assert rows.count() == len(data.contracts) == 6 and page.inner_text("#shown") == "6 of 6 shown"
    links = [link.get_attribute("href") for link in page.locator("#contract-table a").all()]
    assert [href for href in links if not href.startswith(("#entity:", "#supplier:"))] == [A4_LINK]  # else profiles
    assert COMMENT in page.inner_text("#contract-table")
    assert dialogs == []
    page.close()
