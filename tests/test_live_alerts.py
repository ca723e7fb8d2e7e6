"""The near-real-time path end to end: producer → replay server → sensor → live_alerts runs → alerts.

A generated world is served without some of its contracts; the batch warehouse is built from it; then
the producer publishes the held-back contracts (planted cases and clean ones, some published again as
updates) while the sensor polls and its runs ingest, clean (Spark Connect) and evaluate them. Every
planted contract must raise exactly its expected alerts once, and no other contract any, posted once to the
webhook with its reason in Spanish.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from catalogue import SECOP_II_CONTRATOS
from orchestration.assets.warehouse import dbt_environment
from orchestration.dbt_project import dbt_cli, prepare_manifest
from orchestration.live.assets import alert_notifications
from orchestration.live.job import LIVE_JOB, LIVE_MODELS, live_alerts_job
from orchestration.live.notified import notified_alerts
from orchestration.live.sensor import LiveCursor, live_contracts_sensor, live_run_request
from orchestration.webhook import AlertWebhook
from simulator.datasets import generate_sources
from simulator.generator import generate_processes
from simulator.producer import ContractProducer, hold_back_contracts, load_expected_alerts
from simulator.replay.server import ReplayServer, serve_directory
from simulator.truth import RUN_DATE
from simulator.webhook import WebhookReceiver
from tests.pipeline import ALL_ASSETS, resources
from texts import render_reason

pytestmark = [pytest.mark.e2e, pytest.mark.spark]

HELD_BACK = 26  # half of them planted: one per streamed indicator in turn
BURST = 6
MAX_CYCLES = 12  # bounded: 5 bursts need 6 cycles, the rest is slack
CLEANING_ONLY = [dg.AssetKey([zone, SECOP_II_CONTRATOS.name]) for zone in ("raw", "trusted")]
LIVE_DEPENDENCIES = dg.AssetSelection.assets(*(dg.AssetKey(m) for m in LIVE_MODELS)).upstream()


@dataclass
class LiveWorld:
    root: Path
    server: ReplayServer
    expected: set[tuple[str, str]]
    held_back: Path
    receiver: WebhookReceiver
    definitions: dg.Definitions
    runs: list[dg.ExecuteInProcessResult] = field(default_factory=list)

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    def execute(self, request: dg.RunRequest, instance: dg.DagsterInstance, **kwargs) -> dg.ExecuteInProcessResult:
        run_config = request.run_config
        run_config["ops"]["warehouse_models"]["config"]["run_date"] = RUN_DATE  # the as-of date of the truth
        job = self.definitions.resolve_job_def(LIVE_JOB)
        result = job.execute_in_process(run_config=run_config, instance=instance, tags=request.tags, **kwargs)
        self.runs.append(result)
        return result

    def sql(self, query: str) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.sql(query).fetchall()

    def rows(self, query: str) -> list[dict]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            result = con.execute(query)
            columns = [column[0] for column in result.description]
            return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


@pytest.fixture(scope="module")
def live_world(tmp_path_factory, spark_connect) -> Iterator[LiveWorld]:
    root = tmp_path_factory.mktemp("live")
    world = root / "simulator"
    generated = generate_processes(3_000, world, seed=11)
    generate_sources(world, generated.path, seed=11)
    held = hold_back_contracts(world, HELD_BACK, planted_share=0.5, seed=11)
    with serve_directory(world) as server, WebhookReceiver() as receiver:
        live_resources = {
            **resources(server.url, root, spark_connect),
            "webhook": AlertWebhook(url=receiver.url),
        }
        batch = dg.materialize(
            ALL_ASSETS,
            selection=LIVE_DEPENDENCIES,
            resources=live_resources,
            # dbt's unit tests read fixed rows: the session's end-to-end build runs them already.
            run_config={"ops": {"warehouse_models": {"config": {"run_date": RUN_DATE, "unit_tests": False}}}},
        )
        assert batch.success
        # dbt parses the project again unless the saved parse was made with this warehouse in the
        # profile: parse as a deployment does once, with its own settings.
        with dbt_environment(live_resources["lake"], live_resources["warehouse"], {}):
            prepare_manifest()
        definitions = dg.Definitions(
            assets=[*ALL_ASSETS, alert_notifications],
            jobs=[live_alerts_job],
            sensors=[live_contracts_sensor(poll_seconds=30)],
            resources=live_resources,
        )
        yield LiveWorld(root, server, load_expected_alerts(world), held.contracts, receiver, definitions)


def utc(value: datetime) -> datetime:
    """A warehouse timestamp (UTC, with or without its zone) as an aware UTC datetime."""
    return value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)


def poll(world: LiveWorld, instance: dg.DagsterInstance, cursor: str | None) -> dg.SensorResult:
    """One tick of the real sensor definition."""
    sensor = world.definitions.get_sensor_def("live_contracts")
    socrata = world.definitions.resources["socrata"]
    with dg.build_sensor_context(cursor=cursor, instance=instance, resources={"socrata": socrata}) as context:
        return sensor(context)


def notification_metadata(results: list[dg.ExecuteInProcessResult]) -> list[dict]:
    """The `alert_notifications` metadata of each run that got that far."""
    events = [e for r in results for e in r.get_asset_materialization_events()]
    notified = [e for e in events if e.asset_key == dg.AssetKey("alert_notifications")]
    return [{k: v.value for k, v in e.materialization.metadata.items()} for e in notified]


def test_every_planted_contract_raises_exactly_its_alerts_once(live_world):
    world = live_world
    with dg.instance_for_test() as instance:
        placed = poll(world, instance, None)
        assert not placed.run_requests  # the first tick places the cursor after what is already served
        start = cursor = placed.cursor
        producer = ContractProducer(world.server, world.held_back, burst=BURST, update_share=0.3, seed=11)
        crashed = False
        for _ in range(MAX_CYCLES):
            if producer.remaining:
                producer.publish_next()
            tick = poll(world, instance, cursor)
            if not tick.run_requests:
                assert not producer.remaining
                break
            [request] = tick.run_requests
            assert poll(world, instance, cursor).run_requests[0].run_key == request.run_key  # same poll, same key
            if not crashed:  # a run that dies after cleaning, before evaluating: its retry must catch up
                partial = [
                    dg.AssetKey(["raw", SECOP_II_CONTRATOS.name]),
                    dg.AssetKey(["trusted", SECOP_II_CONTRATOS.name]),
                ]
                assert world.execute(request, instance, asset_selection=partial).success
                crashed = True
            assert world.execute(request, instance).success
            cursor = tick.cursor
            assert not poll(world, instance, cursor).run_requests  # nothing new: no run
        else:
            pytest.fail(f"the producer still had {producer.remaining} contracts after {MAX_CYCLES} cycles")

        evaluated_before = world.sql("select count(*) from fct_contract_evaluations")
        # An overlapping window (everything since the start, again) adds nothing.
        overlap = live_run_request(LiveCursor.parse(start), LiveCursor.parse(cursor), rows=0)
        assert world.execute(overlap, instance).success
        assert world.sql("select count(*) from fct_contract_evaluations") == evaluated_before

    alerts = world.sql("select award_key, indicator_id from fct_contract_alerts")
    assert len(alerts) == len(set(alerts))
    assert set(alerts) == world.expected
    posted = [(a["award_key"], a["indicator_id"]) for _, a in world.receiver.alerts()]
    assert sorted(posted) == sorted(world.expected)  # each alert posted once
    # Each with its reason in Spanish, rendered from the alert's evidence, and the parties' names; the
    # posted ones are kept in the lake's control area, the warehouse only read.
    alert_rows = {
        (row["award_key"], row["indicator_id"]): row for row in world.rows("select * from fct_contract_alerts")
    }
    for _, message in world.receiver.alerts():
        row = alert_rows[message["award_key"], message["indicator_id"]]
        assert message["reason"] == render_reason(row, "es") and message["entity_name"] == row["entity_name"]
        assert message["supplier_name"] == row["supplier_name"] and row["entity_name"] and row["supplier_name"]
    assert notified_alerts(world.definitions.resources["lake"]) == world.expected
    assert not world.sql("select 1 from information_schema.tables where table_name like '%notification%'")

    versions = {(p.contract_id, p.published_at) for p in producer.published}
    assert any(p.is_update for p in producer.published)
    evaluated = world.sql("select distinct award_key, published_at from fct_contract_evaluations")
    assert {(key, utc(published)) for key, published in evaluated} == versions
    figures = notification_metadata(world.runs)
    assert sum(f["contracts_checked"] for f in figures) == len(versions)
    assert sum(f["alerts_raised"] for f in figures) == len(world.expected)
    assert all(0 < f["lag_seconds_max"] < 300 for f in figures if f["contracts_checked"])

    [(rows, fired, bad_dates)] = world.sql(
        "select count(*), count(*) filter (where tipo_alerta_irregularidad = 'Si'), "
        "count(*) filter (where length(fecha_ejecucion) <> 25) from t_result_indicadores_stream"
    )
    [(evaluations, flagged)] = world.sql(
        "select count(*), count(*) filter (where is_flagged) from fct_contract_evaluations"
    )
    assert (rows, fired, bad_dates) == (evaluations, flagged, 0)
    assert flagged >= len(world.expected)  # updated contracts that still fire are logged again, not alerted again

    # Live runs leave the live models' dbt data tests to the batch builds: they hold on what the runs wrote.
    resources = world.definitions.resources
    with dbt_environment(resources["lake"], resources["warehouse"], {}):
        data_tests = ["test", "--select", "tag:live", "--exclude", "test_type:unit", "--indirect-selection", "eager"]
        assert dbt_cli().cli(data_tests, raise_on_error=False).wait().is_successful()
