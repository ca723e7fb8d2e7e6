"""The live producer and the sensor's polls, over the replay server's real HTTP API (no Spark, no dbt)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest
from dagster._core.events import DagsterEvent, DagsterEventType, StepSuccessData
from dagster._core.test_utils import create_run_for_test

from catalogue import SECOP_II_CONTRATOS
from orchestration.live.job import LIVE_JOB
from orchestration.live.sensor import SPARK_STEP, LiveCursor, in_flight, poll_contracts
from orchestration.socrata import SocrataClient
from simulator.datasets import generate_sources
from simulator.dbt_vars import STREAMING_INDICATORS
from simulator.generator import generate_processes
from simulator.producer import CONTRACTS_FILE, ContractProducer, hold_back_contracts
from simulator.replay.server import serve_directory
from simulator.truth import flags_path, load_planted_flags
from spark_jobs.identifiers import canonical_document


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("world")
    generated = generate_processes(3_000, root, seed=5)
    generate_sources(root, generated.path, seed=5)
    return root


HELD_BACK = 26  # half of them planted: one per streamed indicator in turn


@pytest.fixture(scope="module")
def held(world):
    before = pq.read_table(world / CONTRACTS_FILE)
    return before, hold_back_contracts(world, HELD_BACK, planted_share=0.5, seed=5)


def test_held_back_contracts_leave_the_served_world_with_their_expected_alerts(world, held):
    before, result = held
    contracts = pq.read_table(result.contracts)
    served = pq.read_table(world / CONTRACTS_FILE)
    held_ids = set(contracts.column("id_contrato").to_pylist())
    assert len(held_ids) == contracts.num_rows == HELD_BACK
    assert served.num_rows == before.num_rows - HELD_BACK
    assert not held_ids & set(served.column("id_contrato").to_pylist())
    entities = [canonical_document(nit) for nit in contracts.column("nit_entidad").to_pylist()]
    assert len(set(entities)) == HELD_BACK  # one per entity: each is judged against the served world alone

    truth = load_planted_flags(flags_path(world))
    expected = [tuple(line.split(",")) for line in result.expected_alerts.read_text().splitlines()[1:]]
    assert expected == sorted({(key, i) for i in STREAMING_INDICATORS for key in truth[i] & held_ids})
    assert result.planted == len({key for key, _ in expected}) == HELD_BACK // 2
    assert set(Counter(i for _, i in expected)) == set(STREAMING_INDICATORS)  # every indicator in turn


def test_producer_publishes_new_contracts_and_updates_through_the_api(world, held):
    _, result = held
    with serve_directory(world) as server:
        client = SocrataClient(base_url=server.url, backoff_seconds=0.05)
        dataset = SECOP_II_CONTRATOS.dataset_id
        _, newest = client.changes_after(dataset, None)
        producer = ContractProducer(server, result.contracts, burst=5, update_share=0.5, seed=1)
        first = producer.publish_next()
        assert [p.is_update for p in first] == [False] * 5
        rows, latest = client.changes_after(dataset, newest)
        assert rows == 5 and latest == (
            first[-1].published_at.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
            first[-1].row_id,
        )
        for _ in producer:
            pass
        updates = [p for p in producer.published if p.is_update]
        assert updates and producer.remaining == 0
        new_ids = {p.contract_id: p.row_id for p in producer.published if not p.is_update}
        assert len(new_ids) == HELD_BACK
        assert all(new_ids[u.contract_id] == u.row_id for u in updates)  # an update keeps its :id
        rows, _ = client.changes_after(dataset, newest)
        assert rows == HELD_BACK  # each contract once, at its latest version


def test_sensor_places_its_cursor_then_requests_one_run_per_window(world, held):
    _, result = held
    with serve_directory(world) as server, dg.instance_for_test() as instance:
        client = SocrataClient(base_url=server.url, backoff_seconds=0.05)
        placed = poll_contracts(None, client, instance)
        assert not placed.run_requests and "alerts start after" in placed.skip_reason.skip_message
        assert poll_contracts(placed.cursor, client, instance).run_requests == []  # nothing new yet

        producer = ContractProducer(server, result.contracts, burst=3, update_share=0.0)
        producer.publish_next()
        tick = poll_contracts(placed.cursor, client, instance)
        [request] = tick.run_requests
        assert request.job_name == LIVE_JOB and request.tags["secop/new_rows"] == "3"
        window = request.run_config["ops"]["warehouse_models"]["config"]
        assert window["live_window_start"] == window["alerts_since"] == LiveCursor.parse(placed.cursor).updated_at
        assert window["live_window_end"] == LiveCursor.parse(tick.cursor).updated_at
        assert poll_contracts(placed.cursor, client, instance).run_requests[0].run_key == request.run_key

        # While a live run is going, a poll keeps its cursor: the next run takes these rows too.
        instance.add_run(
            dg.DagsterRun(job_name=LIVE_JOB, run_id="live-run-in-flight", status=dg.DagsterRunStatus.STARTED)
        )
        producer.publish_next()
        waiting = poll_contracts(tick.cursor, client, instance)
        assert not waiting.run_requests and waiting.cursor == tick.cursor


def _step_event(instance: dg.DagsterInstance, run_id: str, event_type: DagsterEventType, data=None) -> None:
    event = DagsterEvent(event_type.value, job_name=LIVE_JOB, step_key=SPARK_STEP, event_specific_data=data)
    instance.report_dagster_event(event, run_id)


def test_a_live_run_holds_the_next_poll_back_only_until_its_spark_step_ends():
    with dg.instance_for_test() as instance:
        assert not in_flight(instance)
        run = create_run_for_test(instance, job_name=LIVE_JOB, status=dg.DagsterRunStatus.STARTED)
        assert in_flight(instance)  # still ingesting
        _step_event(instance, run.run_id, DagsterEventType.STEP_START)
        assert in_flight(instance)  # cleaning
        _step_event(instance, run.run_id, DagsterEventType.STEP_SUCCESS, StepSuccessData(duration_ms=1.0))
        assert not in_flight(instance)  # evaluating: the next run may start, its dbt step waits for the pool
        create_run_for_test(instance, job_name=LIVE_JOB, status=dg.DagsterRunStatus.STARTING)
        assert in_flight(instance)  # one still starting always holds the next back
