"""Which indicators are not evaluated, and why, from the health the lake keeps of each source.

Fast: no server, Spark or dbt run; the needs come from the dbt manifest. The end-to-end runs in
test_source_outages.py take a few sources down for real; here every source takes its turn.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from catalogue import SECOP_II_CONTRATOS_CANCELADOS, SOURCES, Source
from orchestration.assets.warehouse import as_of
from orchestration.dbt_project import dbt_project
from orchestration.indicator_status import (
    MAX_UNUSABLE,
    Needs,
    needed_columns,
    not_evaluated,
    read_needs,
    source_problems,
)
from orchestration.lake import Lake
from orchestration.source_health import ColumnHealth, PullHealth, utc_iso, write_columns, write_pull
from texts import render_not_evaluated

NOW = datetime(2026, 12, 6, 12, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def needs() -> Needs:
    return read_needs(dbt_project.manifest_path)


def needing(needs: Needs, source: Source) -> set[str]:
    return {indicator_id for indicator_id, sources in needs.items() if source.name in sources}


def failed(at: datetime = NOW, **fields) -> PullHealth:
    return PullHealth(at=utc_iso(at), landed=False, problem="HTTP 404 from https://www.datos.gov.co", **fields)


def test_the_sources_no_indicator_needs_are_known(needs):
    """A source no indicator declares never stops one: SECOP I and the virtual store are landed and cleaned
    for indicators still to come, and a source with a stand-in (catalogue `stand_in`) is read beside it, so
    its indicator is evaluated without it. Any other source missing here is an indicator reading a source
    without declaring it (it would be evaluated while that source is down)."""
    declared = {source for sources in needs.values() for source in sources}
    unread = {source.name for source in SOURCES} - declared
    assert unread == {"secop_i_procesos", "tvec_ordenes"} | {s.name for s in SOURCES if s.stand_in}


@pytest.mark.parametrize("source", SOURCES, ids=[s.name for s in SOURCES])
def test_a_failed_pull_stops_exactly_the_indicators_that_need_the_source(tmp_path, needs, source):
    lake = Lake(uri=str(tmp_path / "lake"))
    write_pull(lake, source, failed(last_landed="2026-11-29T06:00:00+00:00"))

    reasons = not_evaluated(needs, lake, NOW)

    assert set(reasons) == needing(needs, source)
    failure = {
        "kind": "pull_failed",
        "source": source.name,
        "at": utc_iso(NOW),
        "problem": "HTTP 404 from https://www.datos.gov.co",
        "last_landed": "2026-11-29T06:00:00+00:00",
    }
    assert all(listed == [failure] for listed in reasons.values())


def test_a_source_standing_in_or_landed_stops_nothing(tmp_path, needs):
    lake = Lake(uri=str(tmp_path / "lake"))
    write_pull(lake, SECOP_II_CONTRATOS_CANCELADOS, failed(stood_in="secop_ii_contratos"))
    for source in SOURCES[:3]:
        write_pull(lake, source, PullHealth(at=utc_iso(NOW), landed=True, published_at=utc_iso(NOW)))
    assert not_evaluated(needs, lake, NOW) == {}
    assert not_evaluated(needs, Lake(uri=str(tmp_path / "empty")), NOW) == {}  # nothing known: dbt decides


def test_stale_missing_and_unusable_columns_each_give_their_reason(tmp_path, needs):
    source = next(s for s in SOURCES if needed_columns(needs, s))
    columns = needed_columns(needs, source)
    first, *others = columns
    old = NOW - timedelta(days=source.max_age_days + 10)
    pull = PullHealth(at=utc_iso(NOW), landed=True, published_at=utc_iso(old), missing_columns=[first])
    cleaned = ColumnHealth(
        at=utc_iso(NOW), values={c: 10 for c in columns}, unusable={first: 3, **dict.fromkeys(others, 2)}
    )

    problems = source_problems(source, columns, pull, cleaned, NOW)

    stale = {
        "kind": "stale",
        "source": source.name,
        "published_at": utc_iso(old),
        "age_days": source.max_age_days + 10,
        "max_age_days": source.max_age_days,
    }
    assert problems == {column: [stale] for column in others} | {
        first: [
            stale,
            {"kind": "column_gone", "source": source.name, "column": first},
            {
                "kind": "column_unusable",
                "source": source.name,
                "column": first,
                "at": utc_iso(NOW),
                "share": 0.3,
                "limit": MAX_UNUSABLE,
            },
        ]
    }  # 20% unusable is within the limit
    assert render_not_evaluated(problems[first], "en") == (
        f"{source.name}: the publisher last changed it on {old.date()}, {source.max_age_days + 10} days ago "
        f"(stale after {source.max_age_days} days); {source.name}.{first} is no longer published; "
        f"{source.name}.{first}: 30% of its values were unusable in the last cleaning ({utc_iso(NOW)}; limit 20%)"
    )

    fresh = PullHealth(at=utc_iso(NOW), landed=True, published_at=utc_iso(NOW - timedelta(days=1)))
    assert source_problems(source, columns, fresh, None, NOW) == {}
    assert set(source_problems(source, columns, fresh, cleaned, NOW, max_unusable=0.1)) == set(columns)

    lake = Lake(uri=str(tmp_path / "lake"))  # the same, as the later steps read it from the lake
    write_pull(lake, source, fresh)
    write_columns(lake, source, ColumnHealth(at=utc_iso(NOW), values={first: 10}, unusable={first: 9}))
    reasons = not_evaluated(needs, lake, NOW)
    assert set(reasons) == set(columns[first])
    assert all([reason["share"] for reason in listed] == [0.9] for listed in reasons.values())


def test_a_pinned_build_judges_freshness_as_of_its_run_date(tmp_path, needs):
    """A build pinned to a run date gives the same answer whenever it runs: a source stale today was fresh
    then. Unpinned, the build judges as of now."""
    source = next(s for s in SOURCES if needed_columns(needs, s))
    published = NOW - timedelta(days=source.max_age_days + 10)
    lake = Lake(uri=str(tmp_path / "lake"))
    write_pull(lake, source, PullHealth(at=utc_iso(published), landed=True, published_at=utc_iso(published)))

    pinned = as_of(published.date().isoformat())
    assert pinned == datetime.combine(published.date() + timedelta(days=1), datetime.min.time(), timezone.utc) + (
        timedelta(hours=5) - timedelta(microseconds=1)  # the end of that day in Bogotá (UTC-5)
    )
    assert not_evaluated(needs, lake, pinned) == {}
    assert set(not_evaluated(needs, lake, as_of(None))) == needing(needs, source)
