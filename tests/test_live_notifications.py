"""The live alert notifications on a small warehouse: what they read through the one reader (and that every
statement is Redshift SQL), the posted alerts kept in the lake's control area, and the real asset posting to
a local webhook receiver each alert once, its reason rendered in Spanish (or English)."""

from __future__ import annotations

import socket
from datetime import datetime
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from catalogue.lake_layout import ALERT_NOTIFICATIONS
from orchestration.lake import Lake
from orchestration.live.assets import alert_notifications
from orchestration.live.notified import merge_notified, notified_alerts, record_notified
from orchestration.live.queries import alerts_detected_in, pending_alerts, run_figures
from orchestration.resources import Warehouse
from orchestration.webhook import AlertWebhook
from simulator.webhook import WebhookReceiver
from tests.redshift_sql import REDSHIFT_FUNCTIONS, called_functions, constructs_redshift_lacks
from texts import render_reason
from warehouse.reader import DuckDBReader

TABLES = """
create table fct_contract_evaluations (award_key varchar, indicator_id varchar, published_at timestamp,
    detected_at timestamp, is_flagged boolean);
insert into fct_contract_evaluations values
    ('CO1.PCCNTR.1', 'single_bidder', '2026-01-15 10:00:00', '2026-01-15 10:00:40', true),
    ('CO1.PCCNTR.1', 'pep_supplier', '2026-01-15 10:00:00', '2026-01-15 10:00:40', false),
    ('CO1.PCCNTR.2', 'single_bidder', '2026-01-15 10:00:10', '2026-01-15 10:00:40', true),
    ('CO1.PCCNTR.3', 'single_bidder', '2026-01-15 11:00:00', '2026-01-15 11:00:30', false);
create table fct_contract_alerts (award_key varchar, indicator_id varchar, indicator_group varchar,
    unit_key varchar, entity_key varchar, entity_name varchar, supplier_key varchar, supplier_name varchar,
    award_date date, award_value decimal(30, 3), excess_amount decimal(30, 3), match_method varchar,
    evidence varchar, secop_url varchar, published_at timestamp, detected_at timestamp);
"""
ALERT = (
    "insert into fct_contract_alerts values (?, 'single_bidder', 'competition', ?, '899999061', "
    "'ALCALDÍA DE SOPÓ', '900123456', 'OBRAS | EL RÍO S.A.S.', '2026-01-14', 1500000.5, null, null, "
    "'{\"modality\": \"Licitación pública\"}', 'https://community.secop.gov.co/x', ?, ?)"
)
EARLY = (datetime(2026, 1, 15, 10, 0, 0), datetime(2026, 1, 15, 10, 0, 40))


def add_alert(warehouse: Path, award_key: str, published: datetime, detected: datetime) -> None:
    with duckdb.connect(str(warehouse)) as con:
        con.execute(ALERT, [award_key, award_key, published, detected])


@pytest.fixture
def warehouse(tmp_path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(TABLES)
    add_alert(path, "CO1.PCCNTR.1", *EARLY)
    add_alert(path, "CO1.PCCNTR.2", datetime(2026, 1, 15, 10, 0, 10), EARLY[1])
    return path


class RecordingReader(DuckDBReader):
    """The DuckDB reader, keeping each statement it ran with its parameters."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.sent: list[tuple[str, list]] = []

    def rows(self, sql, params=()):
        self.sent.append((sql, list(params)))
        return super().rows(sql, params)


def test_figures_alerts_and_pending_ones_read_through_the_reader(warehouse):
    reader = RecordingReader(str(warehouse))
    figures = run_figures(reader, (datetime(2026, 1, 15, 10), datetime(2026, 1, 15, 10, 1)))
    assert (figures.contracts_checked, figures.alerts_raised, sorted(figures.lags)) == (2, 2, [30.0, 40.0])
    assert run_figures(reader, (datetime(2026, 1, 16), datetime(2026, 1, 17))).contracts_checked == 0
    raised = alerts_detected_in(reader, (datetime(2026, 1, 15, 10), datetime(2026, 1, 15, 10, 1)))
    assert [a["award_key"] for a in raised] == ["CO1.PCCNTR.1", "CO1.PCCNTR.2"]
    assert raised[0]["entity_name"] == "ALCALDÍA DE SOPÓ" and "reason" not in raised[0]
    assert [a["award_key"] for a in pending_alerts(reader, set())] == ["CO1.PCCNTR.1", "CO1.PCCNTR.2"]
    assert [a["award_key"] for a in pending_alerts(reader, {("CO1.PCCNTR.1", "single_bidder")})] == ["CO1.PCCNTR.2"]
    everything = {("CO1.PCCNTR.1", "single_bidder"), ("CO1.PCCNTR.2", "single_bidder")}
    assert pending_alerts(reader, everything) == []
    reader.close()
    # Every statement: Redshift's functions and constructs only, every value a `?` parameter.
    for sql, params in reader.sent:
        assert called_functions(sql) <= REDSHIFT_FUNCTIONS and not constructs_redshift_lacks(sql), sql
        assert sql.count("?") == len(params) and "'" not in sql, sql


def test_the_posted_alerts_are_kept_in_the_lake_and_merged_when_many(lake):
    first = [{"award_key": "A1", "indicator_id": "single_bidder"}, {"award_key": "A2", "indicator_id": "pep_supplier"}]
    assert notified_alerts(lake) == set()
    record_notified(lake, first, "run-1")
    assert merge_notified(lake, at_least=3) == 0
    record_notified(lake, [{"award_key": "A3", "indicator_id": "single_bidder"}], "run-2")
    record_notified(lake, first[:1], "run-3")  # posted again after a crash before its record: kept once
    keys = {("A1", "single_bidder"), ("A2", "pep_supplier"), ("A3", "single_bidder")}
    assert notified_alerts(lake) == keys
    assert merge_notified(lake, at_least=3) == 3
    [merged] = lake.list(f"{ALERT_NOTIFICATIONS}/")
    assert notified_alerts(lake) == keys and lake.read_parquet(merged).num_rows == 4


def free_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/alerts"  # closed once the probe is


def notify(warehouse: Path, lake: Lake, webhook: AlertWebhook) -> dg.ExecuteInProcessResult:
    resources = {"lake": lake, "warehouse": Warehouse(duckdb_path=str(warehouse)), "webhook": webhook}
    return dg.materialize([alert_notifications], resources=resources, raise_on_error=False)


def test_the_asset_posts_each_alert_once_with_its_reason_in_spanish(warehouse, tmp_path):
    lake = Lake(uri=str(tmp_path / "lake"))
    # A webhook that cannot be reached: the run fails and the alerts stay pending.
    unreachable = AlertWebhook(url=free_port_url(), max_retries=0, deadline_seconds=2.0)
    failed = notify(warehouse, lake, unreachable)
    [failure] = failed.get_step_failure_events()
    assert "the alerts stay pending" in failure.event_specific_data.error.message
    assert notified_alerts(lake) == set()
    with WebhookReceiver() as receiver:
        assert notify(warehouse, lake, AlertWebhook(url=receiver.url)).success
        posted = [alert for _, alert in receiver.alerts()]
        assert [a["award_key"] for a in posted] == ["CO1.PCCNTR.1", "CO1.PCCNTR.2"]
        with duckdb.connect(str(warehouse), read_only=True) as con:
            con.execute("select * from fct_contract_alerts order by award_key")
            rows = [dict(zip([c[0] for c in con.description], row, strict=True)) for row in con.fetchall()]
        assert [a["reason"] for a in posted] == [render_reason(row, "es") for row in rows]
        assert posted[0]["reason"].startswith("ALCALDÍA DE SOPÓ") and "adjudicó" in posted[0]["reason"]
        assert posted[0]["supplier_name"] == "OBRAS | EL RÍO S.A.S." and posted[0]["award_value"] == 1500000.5
        assert posted[0]["published_at"] == "2026-01-15 10:00:00" and len(posted[0]["alert_id"]) == 64

        assert notify(warehouse, lake, AlertWebhook(url=receiver.url)).success
        assert len(receiver.alerts()) == 2  # nothing new, nothing posted

        add_alert(warehouse, "CO1.PCCNTR.3", datetime(2026, 1, 15, 11), datetime(2026, 1, 15, 11, 0, 30))
        assert notify(warehouse, lake, AlertWebhook(url=receiver.url, language="en")).success
        [(_, newest)] = receiver.alerts()[2:]
        assert newest["award_key"] == "CO1.PCCNTR.3" and " awarded " in newest["reason"]
    assert len(notified_alerts(lake)) == 3
    with duckdb.connect(str(warehouse), read_only=True) as con:  # the warehouse is only read
        assert {name for (name,) in con.execute("show tables").fetchall()} == {
            "fct_contract_alerts",
            "fct_contract_evaluations",
        }
