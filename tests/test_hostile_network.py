"""Issue 21, the network half: each attack or fault, played by a hostile server on 127.0.0.1 (or a crafted
value), ends safely: a clear error naming the source and the problem, nothing committed to the lake, no
secret in the Dagster instance's storage (event log, run storage, compute logs), no request to another
host, and every call within its deadline."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import socket
import time
from dataclasses import replace
from email.utils import formatdate
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest
import requests

from catalogue import PACO_RESPONSABILIDAD_FISCAL, SECOP_II_PROCESOS
from orchestration.assets.raw import build_raw_asset
from orchestration.http import PortalError, PullStats
from orchestration.ingest import ingest_file_source, ingest_source
from orchestration.lake import Lake
from orchestration.paco import PacoFiles
from orchestration.served_rows import committed_names
from orchestration.settings import Settings
from orchestration.socrata import SocrataClient
from orchestration.webhook import AlertWebhook, alert_id
from simulator.generator import generate_processes
from simulator.replay.dataset import ReplayDataset
from simulator.replay.server import ReplayServer
from tests.hostile import Answer, HostileServer, Received, elapsed, gzip_bomb, json_answer, redirect, serve

pytestmark = pytest.mark.timeout(120)

SOURCE = SECOP_II_PROCESOS
DATASET = SOURCE.dataset_id
TOKEN = "tok-5ecret-7f3a9c"
WEBHOOK_TOKEN = "hook-5ecret-91be"
ALERT = {"award_key": "CO1.PCCNTR.1", "indicator_id": "I01", "reason": "único oferente"}
FISCAL = PACO_RESPONSABILIDAD_FISCAL
MODIFIED = 1_700_000_000


def socrata(url: str, **kwargs) -> SocrataClient:
    return SocrataClient(base_url=url, **{"backoff_seconds": 0.01, "max_retries": 2, **kwargs})


def free_port() -> int:
    """A port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def row(i: int, **fields: object) -> dict:
    return {
        ":id": f"row-{i:04d}",
        ":updated_at": f"2024-01-01T00:00:{i % 60:02d}.{i:03d}Z",
        ":created_at": "2023-06-01T00:00:00.000Z",
        "id_del_proceso": f"CO1.REQ.{i}",
        **fields,
    }


def portal(*pages: list) -> HostileServer:
    """A fake Socrata portal: metadata for any dataset, then `pages` in turn to the row requests."""
    served = iter(pages)
    metadata = {"id": DATASET, "rowsUpdatedAt": MODIFIED, "columns": [{"fieldName": f} for f in SOURCE.field_names]}

    def answer(request: Received) -> Answer:
        if request.path.startswith("/api/views/"):
            return json_answer(metadata)
        return json_answer(next(served, []))

    return HostileServer(answer)


def run_in_dagster(asset: dg.AssetsDefinition, resources: dict, home: Path) -> tuple[dg.ExecuteInProcessResult, bytes]:
    """Materialize `asset` on an instance stored under `home`; the result and every byte the instance stored
    (run and event storage, compute logs)."""
    home.mkdir()
    with dg.DagsterInstance.local_temp(str(home)) as instance:
        result = dg.materialize([asset], resources=resources, instance=instance, raise_on_error=False)
    return result, b"".join(path.read_bytes() for path in home.rglob("*") if path.is_file())


def failure_message(result: dg.ExecuteInProcessResult) -> str:
    """The step's stored error with every cause and context Dagster kept; for a raw asset, whose failed
    pull fails its check `source_available` and not the step (one source down is one source down), the
    problem that check stored."""
    failures = result.get_step_failure_events()
    if not failures:
        [check] = [c for c in result.get_asset_check_evaluations() if c.check_name == "source_available"]
        assert not check.passed and check.severity == dg.AssetCheckSeverity.ERROR
        return check.metadata["problem"].value
    [failure] = failures
    error, messages = failure.step_failure_data.error, []
    while error is not None:
        messages.append(error.message)
        error = error.cause or error.context
    return "\n".join(messages)


def raw_asset_run(url: str, lake: Lake, home: Path) -> tuple[dg.ExecuteInProcessResult, bytes]:
    """The real `raw/secop_ii_procesos` asset against `url`, the token coming from the environment as in
    deployments (an `EnvVar` never enters the run's stored configuration)."""
    resources = {
        "socrata": socrata(url, app_token=dg.EnvVar("SECOP_APP_TOKEN")),
        "paco": PacoFiles(base_url=url),
        "lake": lake,
    }
    return run_in_dagster(build_raw_asset(SOURCE), resources, home)


@dg.asset
def notify(webhook: AlertWebhook) -> None:
    webhook.post({"run_id": "r1", "alerts": [ALERT]})


# 1. Secrets in the Dagster event log -------------------------------------------------------------------


def test_an_unreachable_webhook_leaves_no_token_in_the_instance(tmp_path, monkeypatch):
    port = free_port()
    monkeypatch.setenv("SECOP_ALERT_WEBHOOK_URL", f"http://127.0.0.1:{port}/hook?token={WEBHOOK_TOKEN}")
    webhook = AlertWebhook(url=dg.EnvVar("SECOP_ALERT_WEBHOOK_URL"), backoff_seconds=0.01)
    result, stored = run_in_dagster(notify, {"webhook": webhook}, tmp_path / "dagster")
    message = failure_message(result)
    assert f"the alert webhook (http://127.0.0.1:{port}) failed after 3 attempts: ConnectionError" in message
    assert "the alerts stay pending" in message
    assert f"127.0.0.1:{port}".encode() in stored  # the failure is stored, and searched
    assert WEBHOOK_TOKEN.encode() not in stored and b"/hook" not in stored


def test_a_token_with_a_newline_is_refused_at_load_and_never_stored(tmp_path, monkeypatch):
    monkeypatch.setenv("SECOP_APP_TOKEN", TOKEN + "\n")
    with pytest.raises(ValueError, match="SECOP_APP_TOKEN must be printable ASCII") as refused:
        Settings.from_env()
    assert TOKEN not in str(refused.value)
    # A run given such a token anyway fails before any request, naming the variable only.
    with serve(json_answer({})) as server:
        result, stored = raw_asset_run(server.url, Lake(uri=str(tmp_path / "lake")), tmp_path / "dagster")
    assert not server.received and "SECOP_APP_TOKEN must be printable ASCII" in failure_message(result)
    assert b"SECOP_APP_TOKEN" in stored and TOKEN.encode() not in stored


def test_a_server_echoing_the_token_in_its_error_has_it_masked(tmp_path, monkeypatch):
    monkeypatch.setenv("SECOP_APP_TOKEN", TOKEN)
    echo = HostileServer(lambda request: json_answer({"code": "bad", "message": request.headers["X-App-Token"]}, 400))
    with echo:
        result, stored = raw_asset_run(echo.url, Lake(uri=str(tmp_path / "lake")), tmp_path / "dagster")
    assert echo.received[0].headers["X-App-Token"] == TOKEN  # it was sent, and echoed
    assert f"Socrata dataset {DATASET} metadata ({echo.url}) failed: HTTP 400: bad: ***" in failure_message(result)
    assert TOKEN.encode() not in stored


@pytest.mark.parametrize(
    "url",
    [
        f"file:///etc/passwd?token={WEBHOOK_TOKEN}",
        f"gopher://127.0.0.1:70/_{WEBHOOK_TOKEN}",
        f"http://hooks.example.org/alerts?token={WEBHOOK_TOKEN}",  # a token in clear over the network
        f"https://hooks.example.org/alerts?token={WEBHOOK_TOKEN}\r\nX-Injected: 1",
        f"https://hooks.example.org/al erts?token={WEBHOOK_TOKEN}",
    ],
)
def test_an_unsafe_webhook_url_is_refused_naming_only_the_variable(monkeypatch, url):
    monkeypatch.setenv("SECOP_ALERT_WEBHOOK_URL", url)
    with pytest.raises(ValueError, match="SECOP_ALERT_WEBHOOK_URL must be an") as refused:
        Settings.from_env()
    with pytest.raises(ValueError, match="SECOP_ALERT_WEBHOOK_URL must be an") as refused_at_post:
        AlertWebhook(url=url).post({"alerts": [ALERT]})
    assert WEBHOOK_TOKEN not in str(refused.value) + str(refused_at_post.value)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SECOP_SOCRATA_URL", f"https://user:{TOKEN}@www.datos.gov.co"),
        ("SECOP_SOCRATA_URL", f"https://www.datos.gov.co/?$$app_token={TOKEN}"),
        ("SECOP_PACO_URL", f"ftp://paco.example/{TOKEN}"),
        ("SECOP_PACO_URL", f"https://paco.example/\n{TOKEN}"),
    ],
)
def test_portal_urls_are_checked_at_load(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=f"^{variable} must") as refused:
        Settings.from_env()
    assert TOKEN not in str(refused.value)


# 2. Redirects ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 307, 308])
@pytest.mark.parametrize("elsewhere", ["another port", "another host name"])
def test_socrata_never_follows_a_redirect_to_another_host(tmp_path, monkeypatch, status, elsewhere):
    monkeypatch.setenv("SECOP_APP_TOKEN", TOKEN)
    with serve(json_answer([])) as other, HostileServer(lambda request: redirect(status, target)) as server:
        target = other.url if elsewhere == "another port" else f"http://localhost:{server.port}"
        target += f"/api/views/{DATASET}.json"
        lake = Lake(uri=str(tmp_path / "lake"))
        result, stored = raw_asset_run(server.url, lake, tmp_path / "dagster")
    assert not other.received and len(server.received) == 1  # refused at once, never retried
    assert f"HTTP {status}: a redirect to another host ({target.split('/api')[0]}), not followed" in (
        failure_message(result)
    )
    assert not lake.committed(SOURCE.name) and TOKEN.encode() not in stored


def test_socrata_follows_a_redirect_on_the_same_host(monkeypatch):
    def answer(request: Received) -> Answer:
        if request.path.startswith("/v2/"):
            return json_answer([{"n": "42"}])
        return redirect(301, f"/v2{request.path}")

    with HostileServer(answer) as server:
        assert socrata(server.url, app_token=TOKEN).count(DATASET) == 42
    moved, served = server.received
    assert served.path == f"/v2{moved.path}" and "count" in served.path  # the query kept
    assert served.headers["X-App-Token"] == TOKEN


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_the_webhook_treats_any_redirect_as_a_failure(status):
    with serve(Answer(204)) as other:
        elsewhere = serve(redirect(status, f"{other.url}/alerts"))
        same_host = serve(redirect(status, "/alerts"))
        with elsewhere, same_host:
            for server in (elsewhere, same_host):
                with pytest.raises(
                    dg.Failure, match=f"HTTP {status}: a redirect .*not followed.*stay pending"
                ) as failed:
                    AlertWebhook(url=f"{server.url}/hook?token={WEBHOOK_TOKEN}").post({"alerts": [ALERT]})
                assert [r.method for r in server.received] == ["POST"]  # no GET without a body, no retry
                assert WEBHOOK_TOKEN not in str(failed.value)
    assert not other.received


# 3. Poisoned raw data ----------------------------------------------------------------------------------


def test_served_fields_that_clash_are_renamed_and_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("SECOP_APP_TOKEN", TOKEN)
    poisoned = [row(1, _batch_id="mine", _row_id="forged", ID_DEL_PROCESO="upper"), row(2, nuevo="x")]
    lake = Lake(uri=str(tmp_path / "lake"))
    with portal(poisoned) as server:
        result, _ = raw_asset_run(server.url, lake, tmp_path / "dagster")
    assert result.success
    [entry] = lake.committed(SOURCE.name)
    table = pq.read_table(tmp_path / "lake" / entry.file)
    names = table.column_names
    assert len({name.lower() for name in names}) == len(names)  # Spark reads them: no case-insensitive twins
    assert table.column("_row_id").to_pylist() == ["row-0001", "row-0002"]
    assert table.column("_batch_id").to_pylist() == [entry.batch_id] * 2
    assert table.column("served__batch_id").to_pylist() == ["mine", None]
    assert table.column("served__row_id").to_pylist() == ["forged", None]
    assert table.column("id_del_proceso").to_pylist() == ["CO1.REQ.1", "CO1.REQ.2"]
    assert table.column("served__id_del_proceso").to_pylist() == ["upper", None]
    [event] = result.get_asset_materialization_events()
    metadata = {k: v.value for k, v in event.materialization.metadata.items()}
    assert metadata["renamed_columns"] == {
        "_batch_id": "served__batch_id",
        "_row_id": "served__row_id",
        "ID_DEL_PROCESO": "served__id_del_proceso",
    }
    assert {"served__batch_id", "served__row_id", "served__id_del_proceso", "nuevo"} <= set(metadata["new_columns"])


def test_committed_names_are_lower_case_and_distinct():
    served = ["_batch_id", "ID_X", "Id_X", "served__id_x", "ok", "Nuevo", "_overflow"]
    assert committed_names(served, ["a", "_overflow"]) == {
        "_batch_id": "served__batch_id",
        "ID_X": "served__id_x_2",
        "Id_X": "served__id_x_3",
        "Nuevo": "served__nuevo",
        "_overflow": "served__overflow",
    }


def test_case_twins_on_different_pages_land_under_distinct_names(tmp_path):
    lake = Lake(uri=str(tmp_path / "lake"))
    with portal([row(1, Campo="A")], [row(2, campo="b")]) as server:
        result = ingest_source(SOURCE, socrata(server.url, page_size=1), lake, rows_per_file=10)
    [written] = result.files
    table = pq.read_table(tmp_path / "lake" / written.relpath)
    assert table.column("served__campo").to_pylist() == ["A", None]
    assert table.column("campo").to_pylist() == [None, "b"]
    assert len({name.lower() for name in table.column_names}) == len(table.column_names)
    assert result.renamed_columns == {"Campo": "served__campo"}


@pytest.mark.parametrize(
    ("poison", "problem"),
    [
        ({":updated_at": "9999-12-31T00:00:00.000Z"}, ":updated_at 9999-12-31T00:00:00.000Z is more than 1 day ahead"),
        ({":updated_at": "zzz"}, "no :updated_at timestamp like"),
        ({":updated_at": None}, "no :updated_at timestamp like"),
        ({":updated_at": 1704067200}, "no :updated_at timestamp like"),
        ({":id": ""}, "no :id string"),
        ({":updated_at": "2024-01-01T00:00:00.000Z"}, ":updated_at 2024-01-01T00:00:00.000Z is earlier than the row"),
        ("a string", "a JSON str, not an object"),
        (["a", "list"], "a JSON list, not an object"),
    ],
)
def test_a_poisoned_row_is_refused_before_anything_is_committed(tmp_path, poison, problem):
    bad = {**row(4), **poison} if isinstance(poison, dict) else poison
    lake = Lake(uri=str(tmp_path / "lake"))
    with portal([row(1), row(2)], [row(3), bad]) as server:
        with pytest.raises(PortalError) as refused:
            ingest_source(SOURCE, socrata(server.url, page_size=2), lake, rows_per_file=2)
    assert f"Socrata dataset {DATASET}, page 2, row 2: {problem}" in str(refused.value)
    assert not lake.committed(SOURCE.name) and lake.watermark(SOURCE.name) is None
    assert [e.rows for e in lake.log(SOURCE.name)] == [2]  # the first page was written, never committed


def test_a_future_newest_row_does_not_become_the_live_cursor():
    with serve(json_answer([{"n": "1", **row(1, **{":updated_at": "9999-12-31T00:00:00.000Z"})}])) as server:
        with pytest.raises(PortalError, match="newest row, row 1: :updated_at 9999-12-31.*ahead"):
            socrata(server.url).changes_after(DATASET, None)


# 4. No overall limits ----------------------------------------------------------------------------------

DEADLINE = 1.5
SLACK = 2.0  # scheduling, a connect, a retry's first bytes


def paco_csv() -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows([[c.display_name for c in FISCAL.columns], ["PERSONA", "CC 1", "X", "I"]])
    return text.getvalue().encode()


PACO_HEADERS = [("Last-Modified", formatdate(MODIFIED, usegmt=True)), ("Content-Type", "text/csv")]


@pytest.mark.parametrize("drip_from", ["status line", "body"])
@pytest.mark.parametrize("sized", [True, False])
@pytest.mark.parametrize("client", ["socrata", "paco", "webhook"])
def test_a_server_that_drips_is_cut_at_the_deadline(tmp_path, client, sized, drip_from):
    answer = {
        "socrata": json_answer([row(1)] * 50),
        "paco": Answer(200, PACO_HEADERS, paco_csv() * 20),
        "webhook": json_answer({"ok": True} | {f"k{i}": i for i in range(200)}),
    }[client]
    answer = replace(answer, sized=sized, drip_seconds=0.05)
    answer = replace(answer, drip_from=0 if drip_from == "status line" else answer.head_length + 10)
    limits = {"deadline_seconds": DEADLINE, "timeout_seconds": 1.0, "backoff_seconds": 0.01}
    harmless = client == "webhook" and drip_from == "body"  # the webhook reads its answer's status, not its body
    with serve(answer) as server:
        call = {
            "socrata": lambda: socrata(server.url, **limits).metadata(DATASET),
            "paco": lambda: PacoFiles(base_url=server.url, **limits).download(FISCAL.dataset_id, tmp_path, PullStats()),
            "webhook": lambda: AlertWebhook(url=f"{server.url}/hook", **limits).post({"alerts": [ALERT]}),
        }[client]
        seconds, error = elapsed(call)
    assert seconds < DEADLINE + SLACK
    if harmless:
        assert error is None and seconds < DEADLINE
    else:
        assert isinstance(error, PortalError | dg.Failure) and f"deadline of {DEADLINE:g} s" in str(error)
    assert not list(tmp_path.glob("paco-*"))  # no partial download left behind


@pytest.fixture(scope="module")
def bomb() -> Answer:
    return gzip_bomb(200 * 2**20)  # ~200 KB on the wire, 200 MiB unpacked


def test_a_decompression_bomb_is_cut_at_the_size_cap(bomb, tmp_path):
    assert len(bomb.body) < 1 << 20
    with serve(bomb) as server:
        seconds, error = elapsed(lambda: socrata(server.url, max_body_bytes=8 << 20).metadata(DATASET))
        assert isinstance(error, PortalError) and "larger than 8,388,608 bytes (max_body_bytes)" in str(error)
        assert len(server.received) == 1  # not retried
        paco = PacoFiles(base_url=server.url, max_body_bytes=8 << 20)
        server.answer = lambda request: replace(bomb, headers=[*bomb.headers, *PACO_HEADERS])
        with pytest.raises(PortalError, match=f"PACO file {FISCAL.dataset_id} .* larger than 8,388,608 bytes"):
            paco.download(FISCAL.dataset_id, tmp_path, PullStats())
    assert seconds < 10 and not list(tmp_path.glob("paco-*"))


def test_paging_that_does_not_move_forward_fails_clearly():
    """A server that ignores `$where` serves the same full page forever: stopped at the second page."""
    same_time = [row(1), {**row(2), ":updated_at": row(1)[":updated_at"]}]
    with serve(json_answer(same_time)) as server:
        with pytest.raises(PortalError, match="page 2 ends where an earlier page ended: .*ignores the keyset"):
            list(socrata(server.url, page_size=2).pages(DATASET, None, PullStats()))
        assert len(server.received) == 2
        with pytest.raises(PortalError, match="row ids: page 2 ends where an earlier page ended"):
            list(socrata(server.url, page_size=2).row_ids(DATASET, PullStats()))
    with serve(json_answer([row(1), row(2)])) as server:
        with pytest.raises(PortalError, match="page 2: starts before the rows asked for .*ignores \\$where"):
            list(socrata(server.url, page_size=2).pages(DATASET, None, PullStats()))
        with pytest.raises(PortalError, match="page 1: starts before the rows asked for"):
            list(socrata(server.url, page_size=2).pages(DATASET, "2024-06-01T00:00:00.000Z", PullStats()))


def test_an_html_page_served_as_200_fails_at_once():
    page = Answer(200, [("Content-Type", "text/html; charset=utf-8")], b"<html>Mantenimiento</html>")
    with serve(page) as server:
        with pytest.raises(PortalError) as refused:
            socrata(server.url, max_retries=6).metadata(DATASET)
    assert str(refused.value) == (
        f"Socrata dataset {DATASET} metadata ({server.url}) failed: "
        "answered text/html; charset=utf-8, not JSON (an error page?)"
    )
    assert len(server.received) == 1


# 8. PACO with Content-Encoding: gzip -------------------------------------------------------------------


def test_a_gzipped_paco_file_lands(tmp_path):
    csv_bytes = paco_csv()
    packed = Answer(200, [*PACO_HEADERS, ("Content-Encoding", "gzip")], gzip.compress(csv_bytes))
    lake = Lake(uri=str(tmp_path / "lake"))
    with serve(packed) as server:
        result = ingest_file_source(FISCAL, PacoFiles(base_url=server.url, max_retries=0), lake)
    assert result.rows == 1 and result.stats.bytes == len(csv_bytes) and result.stats.retries == 0
    assert lake.watermark(FISCAL.name) == "2023-11-14T22:13:20.000Z"


# 9. The replay server's bad limits ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def replay(tmp_path_factory):
    data = generate_processes(1_000, tmp_path_factory.mktemp("gen"), seed=3).path
    with ReplayServer([ReplayDataset.from_file(data)]) as server:
        yield server


@pytest.mark.parametrize("value", [str(10**30), str(2**63), "9" * 5000, "²", "١٢"])
@pytest.mark.parametrize("name", ["$limit", "$offset"])
def test_the_replay_server_answers_400_to_a_bad_limit(replay, name, value):
    response = requests.get(f"{replay.url}/resource/{DATASET}.json", params={"$order": ":id", name: value}, timeout=30)
    assert response.status_code == 400
    assert response.json()["code"] == "query.compiler.malformed" and name in response.json()["message"]
    largest = {"$order": ":id", "$limit": str(2**63 - 1), "$offset": str(2**63 - 1)}
    assert requests.get(f"{replay.url}/resource/{DATASET}.json", params=largest, timeout=30).json() == []


# For registers that forget: counts, row ids and "not published" -----------------------------------------


def test_count_and_row_ids_over_the_replay_server(replay):
    client = socrata(replay.url, page_size=300)
    stats = PullStats()
    pages = list(client.row_ids(DATASET, stats))
    ids = [row_id for page in pages for row_id in page]
    assert client.count(DATASET) == len(ids) == len(set(ids)) == 1_000 == stats.rows
    assert [len(page) for page in pages] == [300, 300, 300, 100] and stats.pages == 4
    served = {r[":id"] for page in client.pages(DATASET, None, PullStats()) for r in page}
    assert set(ids) == served
    assert client.count(DATASET, f":id > '{sorted(ids)[899]}'") == 100


def test_a_dataset_not_published_is_told_apart_by_its_404(replay):
    with pytest.raises(PortalError) as missing:
        socrata(replay.url).metadata("zzzz-9999")
    assert missing.value.status == 404 and "Socrata dataset zzzz-9999 metadata" in str(missing.value)
    with serve(json_answer({"code": "nope"}, 503)) as failing, pytest.raises(PortalError) as unavailable:
        socrata(failing.url).metadata(DATASET)
    assert unavailable.value.status is None and "after 3 attempts: HTTP 503" in str(unavailable.value)


# Webhook delivery, exactly once in effect --------------------------------------------------------------


def test_a_webhook_retry_after_a_timeout_carries_the_same_idempotency_keys():
    """The receiver processes the first POST but answers too late; the retry is recognisable as the same."""

    def answer(request: Received) -> Answer:
        if len(server.received) == 1:
            time.sleep(1.5)  # past the client's read timeout: processed, but the client does not know
        return Answer(204)

    with HostileServer(answer) as server:
        webhook = AlertWebhook(url=f"{server.url}/hook", timeout_seconds=0.5, backoff_seconds=0.01)
        webhook.post({"run_id": "r1", "alerts": [ALERT, {**ALERT, "indicator_id": "I02"}]})
    first, retry = server.received
    assert first.headers["Idempotency-Key"] == retry.headers["Idempotency-Key"]
    posted = [json.loads(r.body)["alerts"] for r in (first, retry)]
    assert posted[0] == posted[1]
    expected = hashlib.sha256(f"{ALERT['award_key']}\x1f{ALERT['indicator_id']}".encode()).hexdigest()
    assert posted[0][0]["alert_id"] == alert_id(ALERT) == expected
    assert posted[0][1]["alert_id"] != expected
    keys = "\n".join(a["alert_id"] for a in posted[0])
    assert first.headers["Idempotency-Key"] == hashlib.sha256(keys.encode()).hexdigest()
