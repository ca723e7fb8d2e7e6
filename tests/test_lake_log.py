"""The ingestion log's parts merged past a threshold: the same entries, a few parts however long the history,
and a reader whose listing went stale meanwhile still reads every entry (local folder and moto S3)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from catalogue.lake_layout import INGESTION_LOG
from orchestration import lake as lake_module
from orchestration.lake import DELETIONS, Lake, LogEntry

START = datetime(2026, 12, 1, tzinfo=UTC)


def batch(source: str, n: int, status: str = "written", kind: str = "rows") -> LogEntry:
    batch_id = f"202612{n:02d}T000000000000Z-{source[:4]}"
    return LogEntry(
        source, batch_id, f"raw/{source}/batch={batch_id}/part-00000.parquet", n, f"sha{n}", None,
        f"2026-12-{n:02d}", status, START + timedelta(days=n), kind=kind,
    )  # fmt: skip


def history(lake: Lake) -> None:
    """Batches of two sources in every state: committed, applied, aborted, written only, deletions."""
    for n in range(1, 6):
        written = batch("secop_ii_contratos", n)
        lake.append_log([written])
        if n != 5:  # batch 5: written, never committed (a crashed run)
            committed = replace(written, status="committed", committed_at=written.created_at)
            lake.append_log([committed])
            if n <= 2:
                lake.append_log([replace(committed, status="applied")])
    aborted = batch("rues_personas", 7)
    lake.append_log([aborted])
    lake.append_log([replace(aborted, status="aborted")])
    deleted = batch("rues_personas", 8, kind=DELETIONS)
    lake.append_log([deleted, replace(deleted, status="committed", committed_at=deleted.created_at)])


def parts(lake: Lake) -> list[str]:
    return lake.list(INGESTION_LOG)


def test_merged_parts_give_the_same_entries(lake):
    history(lake)
    before, contracts, rues = lake.log(), lake.committed("secop_ii_contratos"), lake.log("rues_personas")
    assert len(parts(lake)) == 14
    assert lake.compact_log() == 14
    assert len(parts(lake)) == 1
    fresh = Lake(uri=lake.uri, s3_endpoint_url=lake.s3_endpoint_url)  # another process: nothing cached
    assert fresh.log() == before and fresh.committed("secop_ii_contratos") == contracts
    assert fresh.log("rues_personas") == rues
    assert [e.status for e in fresh.log("secop_ii_contratos")] == ["applied"] * 2 + ["committed"] * 2 + ["written"]
    assert fresh.watermark("secop_ii_contratos") == "2026-12-04"

    later = batch("secop_ii_contratos", 9)  # appended after the merge: read beside the merged part
    fresh.append_log([later, replace(later, status="committed", committed_at=later.created_at)])
    assert lake.log() == sorted([*before, replace(later, status="committed", committed_at=later.created_at)],
                                key=lambda e: (e.batch_id, e.file))  # fmt: skip


def test_a_writer_merges_the_parts_past_the_threshold(lake, monkeypatch):
    monkeypatch.setattr(lake_module, "LOG_PARTS_TO_COMPACT", 4)
    history(lake)
    assert 1 <= len(parts(lake)) <= 4 + 1
    reference = Lake(uri=f"{lake.uri}-reference", s3_endpoint_url=lake.s3_endpoint_url)
    monkeypatch.setattr(lake_module, "LOG_PARTS_TO_COMPACT", 10_000)
    history(reference)  # the same history, never merged
    assert Lake(uri=lake.uri, s3_endpoint_url=lake.s3_endpoint_url).log() == reference.log()


def test_a_reader_whose_listing_went_stale_reads_the_merged_part(lake, monkeypatch):
    history(lake)
    expected = lake.log()
    reader = Lake(uri=lake.uri, s3_endpoint_url=lake.s3_endpoint_url)
    stale = parts(reader)
    lake.compact_log()  # another writer merged and deleted every part the reader listed
    listings = iter([stale])
    real_list = reader.store.list
    monkeypatch.setattr(reader.store, "list", lambda prefix: next(listings, None) or real_list(prefix))
    assert reader.log() == expected


def test_a_log_that_keeps_vanishing_is_an_error_not_a_partial_read(lake, monkeypatch):
    history(lake)
    reader = Lake(uri=lake.uri, s3_endpoint_url=lake.s3_endpoint_url)
    monkeypatch.setattr(reader.store, "list", lambda prefix: [f"{INGESTION_LOG}/gone.parquet"])
    with pytest.raises(RuntimeError, match="kept vanishing"):
        reader.log()
