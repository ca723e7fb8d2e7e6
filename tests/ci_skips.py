"""In CI (`CI=true`, which `.ci/run` exports), tests that must run may not skip: a skipped test marked
`browser`, or a test module skipped whole at collection, fails the run with the reason it skipped.
Outside CI they skip as usual (a clone without Chromium still runs the rest)."""

from __future__ import annotations

import os

import pytest

REQUIRED_IN_CI = "browser"


def in_ci() -> bool:
    return os.environ.get("CI", "") in ("true", "1")


def skip_reason(report: pytest.CollectReport | pytest.TestReport) -> str:
    """The reason a skip gave (pytest keeps it as (path, line, "Skipped: reason"))."""
    longrepr = report.longrepr
    return (longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)).removeprefix("Skipped: ")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.skipped and in_ci() and item.get_closest_marker(REQUIRED_IN_CI) and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"CI=true: this {REQUIRED_IN_CI} test may not skip, and it did: {skip_reason(report)}"
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector):
    report = yield
    if report.skipped and in_ci() and isinstance(collector, pytest.Module):
        report.outcome = "failed"
        report.longrepr = (
            f"CI=true: a test module may not skip whole, and {collector.nodeid} did: {skip_reason(report)}"
        )
    return report
