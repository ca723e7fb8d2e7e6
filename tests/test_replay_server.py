"""The replay server over real HTTP on 127.0.0.1: SODA 2.1 behaviour, changes, faults."""

from __future__ import annotations

import csv
import http.client
import io
import json
import logging
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from email.utils import parsedate_to_datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import requests

from catalogue import SECOP_II_PROCESOS
from simulator.replay.dataset import ReplayDataset
from simulator.replay.server import PACO_CONTAINER, FaultConfig, ReplayServer, serve_directory

DATASET_ID = SECOP_II_PROCESOS.dataset_id
ROWS = 300
REAL_SAMPLE = (
    Path(__file__).resolve().parents[1].parent
    / "shared/real_samples/p6dx-8zbt/carlosbax25__secop2_adjudicados_limpio.csv"
)
FIXED_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
PACO_FILE = "responsabilidades_fiscales.csv"
PACO_CSV = "Responsable Fiscal,Tipo y Num Docuemento,TR\nJUAN PÉREZ,CC 123,I\n" * 2_000  # ~90 KB: several chunks
BROKEN = (requests.ConnectionError, requests.exceptions.ChunkedEncodingError)


def url_value(i: int) -> str | None:
    if i % 3 == 0:
        return None
    if i % 3 == 1:
        return f"https://community.secop.gov.co/p/{i}"  # a plain string, as some exports store it
    return json.dumps({"url": f"https://community.secop.gov.co/p/{i}"})


def processes_table(rows: int = ROWS) -> pa.Table:
    """A few catalogue columns, one column the catalogue does not know, nulls and CSV-hostile text."""
    return pa.table(
        {
            "id_del_proceso": [f"CO1.REQ.{i}" for i in range(rows)],
            "entidad": [None if i % 7 == 0 else f"ENTIDAD {i % 11}" for i in range(rows)],
            "precio_base": [str(i * 1000) for i in range(rows)],
            "fecha_de_publicacion_del": [f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(rows)],
            "urlproceso": [url_value(i) for i in range(rows)],
            "nota": ['dice "hola", y\nsigue' if i % 10 == 0 else f"nota {i}" for i in range(rows)],
        }
    )


@pytest.fixture
def data_file(tmp_path) -> Path:
    path = tmp_path / f"{DATASET_ID}.parquet"
    pq.write_table(processes_table(), path)
    return path


@pytest.fixture
def server(data_file):
    with ReplayServer([ReplayDataset.from_file(data_file)]) as running:
        yield running


def get(server: ReplayServer, path: str = f"/resource/{DATASET_ID}.json", **params) -> requests.Response:
    return requests.get(server.url + path, params=params, timeout=30)


def rows(server: ReplayServer, **params) -> list[dict]:
    response = get(server, **params)
    assert response.status_code == 200, response.text
    return response.json()


def keyset_pull(server: ReplayServer, page_size: int) -> list[dict]:
    pulled, last = [], None
    while True:
        where = {"$where": f":id > '{last}'"} if last else {}
        page = rows(server, **{"$select": ":id,*", "$order": ":id", "$limit": page_size, **where})
        pulled += page
        if len(page) < page_size:
            return pulled
        last = page[-1][":id"]


def test_keyset_paging_on_id_returns_every_row_once(server):
    pulled = keyset_pull(server, page_size=37)
    ids = [row[":id"] for row in pulled]
    assert len(ids) == len(set(ids)) == ROWS and ids == sorted(ids)
    assert [row["id_del_proceso"] for row in pulled] == [f"CO1.REQ.{i}" for i in range(ROWS)]  # file order


def test_offset_paging_with_order_is_stable(server):
    pages = [rows(server, **{"$order": ":id", "$limit": 100, "$offset": offset}) for offset in (0, 100, 200, 300)]
    assert [len(p) for p in pages] == [100, 100, 100, 0]
    assert len({row["id_del_proceso"] for page in pages for row in page}) == ROWS


def test_default_limit_is_1000_and_there_is_no_maximum(tmp_path):
    path = tmp_path / "abcd-1234.parquet"
    pq.write_table(processes_table(2_500), path)
    with ReplayServer([ReplayDataset.from_file(path)]) as server:
        assert len(rows(server, path="/resource/abcd-1234.json", **{"$order": ":id"})) == 1_000
        assert len(rows(server, path="/resource/abcd-1234.json", **{"$order": ":id", "$limit": 100_000})) == 2_500


def test_without_order_each_request_gets_a_different_order(server):
    orders = [tuple(r["id_del_proceso"] for r in rows(server)) for _ in range(3)]
    assert all(sorted(order) == sorted(orders[0]) for order in orders)
    assert len(set(orders)) == 3


def test_system_fields_only_when_selected(server):
    (plain,) = rows(server, **{"$order": ":id", "$limit": 1})
    assert not [name for name in plain if name.startswith(":")]
    (system,) = rows(server, **{"$select": ":*", "$order": ":id", "$limit": 1})
    assert set(system) == {":id", ":created_at", ":updated_at"}
    assert FIXED_TIMESTAMP.fullmatch(system[":created_at"]) and FIXED_TIMESTAMP.fullmatch(system[":updated_at"])
    (both,) = rows(server, **{"$select": ":*, *", "$order": ":id", "$limit": 1})
    assert both[":id"] == system[":id"] and both["id_del_proceso"] == plain["id_del_proceso"]
    (chosen,) = rows(server, **{"$select": ":id, precio_base", "$order": ":id", "$limit": 1})
    assert chosen == {":id": system[":id"], "precio_base": "0"}


def test_json_values_nulls_numbers_dates_and_urls(server):
    by_key = {r["id_del_proceso"]: r for r in rows(server, **{"$order": ":id", "$limit": 10})}
    assert "entidad" not in by_key["CO1.REQ.0"] and by_key["CO1.REQ.1"]["entidad"] == "ENTIDAD 1"  # null omitted
    assert "urlproceso" not in by_key["CO1.REQ.3"]
    assert by_key["CO1.REQ.1"]["urlproceso"] == {"url": "https://community.secop.gov.co/p/1"}
    assert by_key["CO1.REQ.2"]["urlproceso"] == {"url": "https://community.secop.gov.co/p/2"}
    assert by_key["CO1.REQ.5"]["precio_base"] == "5000"  # numbers are JSON strings
    assert by_key["CO1.REQ.5"]["fecha_de_publicacion_del"] == "2024-06-06T00:00:00.000"  # floating timestamp
    assert "fase" not in by_key["CO1.REQ.5"]  # catalogue column absent from the file: always null


def test_response_headers(server):
    response = get(server, **{"$select": ":id, precio_base, urlproceso", "$order": ":id", "$limit": 1})
    assert response.headers["Content-Type"] == "application/json;charset=utf-8"
    assert json.loads(response.headers["X-SODA2-Fields"]) == [":id", "precio_base", "urlproceso"]
    assert json.loads(response.headers["X-SODA2-Types"]) == ["row_identifier", "number", "url"]
    modified = parsedate_to_datetime(response.headers["Last-Modified"]).timestamp()
    assert modified == server.dataset(DATASET_ID).rows_updated_at


def test_where_compares_by_column_type(server):
    cheap = rows(server, **{"$where": "precio_base < 9000", "$order": "precio_base DESC"})
    assert [r["precio_base"] for r in cheap] == [str(i * 1000) for i in range(8, -1, -1)]
    march = rows(server, **{"$where": "fecha_de_publicacion_del between '2024-03-01' and '2024-03-31T23:59:59'"})
    assert march and all(r["fecha_de_publicacion_del"].startswith("2024-03-") for r in march)
    nulls = rows(server, **{"$where": "entidad IS NULL AND nota != 'x'", "$limit": ROWS})
    assert len(nulls) == len(range(0, ROWS, 7))


def test_equality_filters_and_app_tokens(server):
    response = requests.get(
        f"{server.url}/resource/{DATASET_ID}.json",
        params={"id_del_proceso": "CO1.REQ.43", "$$app_token": "token"},
        headers={"X-App-Token": "token"},
        timeout=30,
    )
    assert [r["id_del_proceso"] for r in response.json()] == ["CO1.REQ.43"]
    assert rows(server, precio_base="43000.0", entidad="ENTIDAD 10") == response.json()


def test_count_star(server):
    assert rows(server, **{"$select": "count(*)"}) == [{"count": str(ROWS)}]
    assert rows(server, **{"$select": "count(*)", "$where": "precio_base >= 100000"}) == [{"count": "200"}]


def test_csv_resource_quotes_and_leaves_nulls_empty(server):
    response = get(
        server,
        f"/resource/{DATASET_ID}.csv",
        **{"$select": "id_del_proceso, entidad, nota, urlproceso", "$order": ":id", "$limit": 11},
    )
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.text.startswith('"id_del_proceso","entidad","nota","urlproceso"\n"CO1.REQ.0",,')
    records = list(csv.reader(io.StringIO(response.text)))
    assert records[0] == ["id_del_proceso", "entidad", "nota", "urlproceso"]
    assert records[1] == ["CO1.REQ.0", "", 'dice "hola", y\nsigue', ""]
    assert records[2][3] == "https://community.secop.gov.co/p/1"  # url objects become the url
    assert records[3][3] == "https://community.secop.gov.co/p/2"
    assert len(records) == 12


def test_full_export_uses_display_names(server):
    response = get(server, f"/api/views/{DATASET_ID}/rows.csv", accessType="DOWNLOAD")
    assert response.status_code == 200
    records = list(csv.DictReader(io.StringIO(response.text)))
    assert len(records) == ROWS
    assert {"ID del Proceso", "Precio Base", "Fase", "nota"} <= set(records[0])
    assert sorted(r["ID del Proceso"] for r in records) == sorted(f"CO1.REQ.{i}" for i in range(ROWS))


def test_metadata(server):
    meta = get(server, f"/api/views/{DATASET_ID}.json").json()
    assert meta["id"] == DATASET_ID and meta["name"] == SECOP_II_PROCESOS.title
    assert meta["newBackend"] is True and meta["viewType"] == "tabular"
    for key in ("createdAt", "publicationDate", "rowsUpdatedAt", "viewLastModified"):
        assert isinstance(meta[key], int) and abs(meta[key] - time.time()) < 60
    columns = {c["fieldName"]: c for c in meta["columns"]}
    assert [c["position"] for c in meta["columns"]] == list(range(1, len(columns) + 1))
    assert columns["precio_base"]["name"] == "Precio Base" and columns["precio_base"]["dataTypeName"] == "number"
    assert columns["fecha_de_publicacion_del"]["dataTypeName"] == "calendar_date"
    assert columns["urlproceso"]["dataTypeName"] == "url"
    assert set(SECOP_II_PROCESOS.field_names) < set(columns)  # catalogue columns listed even if absent
    assert columns["nota"] == {**columns["nota"], "name": "nota", "dataTypeName": "text"}


def test_upsert_moves_updated_at_and_rows_updated_at(server):
    dataset = server.dataset(DATASET_ID)
    before = get(server, f"/api/views/{DATASET_ID}.json").json()["rowsUpdatedAt"]
    original = rows(server, **{"$select": ":*,*", "$order": ":id", "$limit": 2})
    [latest] = rows(server, **{"$select": ":updated_at", "$order": ":updated_at DESC", "$limit": 1})
    replaced = {"id_del_proceso": "CO1.REQ.0", "precio_base": "1", "fecha_de_publicacion_del": "2025-05-05"}
    changed = dataset.upsert([replaced], [original[0][":id"]])
    added = dataset.upsert([{"id_del_proceso": "CO1.REQ.NEW"}])
    assert changed == [original[0][":id"]] and added == ["row-0000~0000~012c"]  # row number 300, in hex

    meta = get(server, f"/api/views/{DATASET_ID}.json").json()
    assert meta["rowsUpdatedAt"] > before and meta["viewLastModified"] >= meta["rowsUpdatedAt"]
    watermark = latest[":updated_at"]
    fresh = rows(server, **{"$select": ":*,*", "$where": f":updated_at > '{watermark}'", "$order": ":updated_at,:id"})
    assert [r[":id"] for r in fresh] == changed + added
    assert fresh[0][":created_at"] == original[0][":created_at"] < fresh[0][":updated_at"] < fresh[1][":updated_at"]
    assert fresh[0]["precio_base"] == "1" and "entidad" not in fresh[0]  # whole row replaced
    assert fresh[0]["fecha_de_publicacion_del"] == "2025-05-05T00:00:00.000"
    assert dataset.row_count == ROWS + 1


def test_compound_keyset_on_updated_at_and_id(server):
    dataset = server.dataset(DATASET_ID)
    first_ids = [r[":id"] for r in rows(server, **{"$select": ":id", "$order": ":id", "$limit": 50})]
    dataset.upsert([{"id_del_proceso": f"CO1.REQ.{i}", "nota": "changed"} for i in range(50)], first_ids[::-1])
    dataset.upsert([{"id_del_proceso": f"CO1.REQ.X{i}"} for i in range(5)])
    pulled, after = [], None
    while True:
        params = {"$select": ":id,:updated_at,nota", "$order": ":updated_at,:id", "$limit": 40}
        if after:
            params["$where"] = f":updated_at > '{after[0]}' OR (:updated_at = '{after[0]}' AND :id > '{after[1]}')"
        page = rows(server, **params)
        pulled += page
        if len(page) < 40:
            break
        after = (page[-1][":updated_at"], page[-1][":id"])
    keys = [(r[":updated_at"], r[":id"]) for r in pulled]
    assert keys == sorted(keys) and len(set(keys)) == len(keys) == ROWS + 5
    assert [r.get("nota") for r in pulled[-55:-5]] == ["changed"] * 50


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"$where": "no_such_field = 'x'"}, "query.soql.no-such-column"),
        ({"$select": "id_del_proceso, nope"}, "query.soql.no-such-column"),
        ({"nope": "1"}, "query.soql.no-such-column"),
        ({"$where": "precio_base >"}, "query.compiler.malformed"),
        ({"$order": ":id sideways"}, "query.compiler.malformed"),
        ({"$limit": "ten"}, "query.compiler.malformed"),
        ({"$offset": "-1"}, "query.compiler.malformed"),
        ({"$group": "entidad"}, "query.compiler.malformed"),
        ({"$q": "salud"}, "query.compiler.malformed"),
        ({"$where": "precio_base > 'mucho'"}, "query.soql.type-mismatch"),
    ],
)
def test_bad_queries_answer_400_with_the_documented_body(server, params, code):
    response = get(server, **params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code and body["error"] is True and body["message"] and isinstance(body["data"], dict)


def test_unknown_dataset_or_path_is_404(server):
    for path in ("/resource/zzzz-9999.json", "/api/views/zzzz-9999.json", "/api/views/zzzz-9999/rows.csv", "/nope"):
        response = get(server, path)
        assert response.status_code == 404 and response.json()["error"] is True


def count_outcomes(server: ReplayServer, requests_count: int) -> dict[str, int]:
    outcomes = {"ok": 0, "throttled": 0, "error": 0, "truncated": 0, "dropped": 0}
    for _ in range(requests_count):
        try:
            response = get(server, **{"$order": ":id", "$limit": 20})
        except BROKEN:
            outcomes["dropped"] += 1
            continue
        if response.status_code == 429:
            assert response.headers["Retry-After"] == "1"
            outcomes["throttled"] += 1
        elif response.status_code >= 500:
            assert response.status_code in (500, 503)
            outcomes["error"] += 1
        else:
            try:
                assert len(response.json()) == 20
                outcomes["ok"] += 1
            except json.JSONDecodeError:
                outcomes["truncated"] += 1
    return outcomes


def test_fault_injection_rates_are_seeded(data_file):
    faults = FaultConfig(error_rate=0.2, throttle_rate=0.2, truncate_rate=0.2, drop_rate=0.2, seed=7)
    results = []
    for _ in range(2):
        with ReplayServer([ReplayDataset.from_file(data_file)], faults=faults) as server:
            results.append(count_outcomes(server, 100))
            assert get(server, f"/api/views/{DATASET_ID}.json").status_code == 200  # metadata is never faulted
            assert server.requests_served == 101
    assert results[0] == results[1]
    assert all(10 <= results[0][kind] <= 30 for kind in ("throttled", "error", "truncated", "dropped")), results[0]


def test_throttling_without_retry_after_and_delays(data_file):
    faults = FaultConfig(throttle_rate=1.0, retry_after=None, delay_seconds=0.2)
    with ReplayServer([ReplayDataset.from_file(data_file)], faults=faults) as server:
        started = time.monotonic()
        response = get(server)
        assert time.monotonic() - started >= 0.2
        assert response.status_code == 429 and "Retry-After" not in response.headers


def test_token_less_budget(data_file):
    faults = FaultConfig(tokenless_requests_per_minute=3)
    with ReplayServer([ReplayDataset.from_file(data_file)], faults=faults) as server:
        for _ in range(3):  # a minute boundary during the loop resets the budget: try again
            minute = int(time.time() // 60)
            statuses = [get(server, **{"$limit": 1}).status_code for _ in range(4)]
            if int(time.time() // 60) == minute:
                break
        assert statuses[-1] == 429 and 200 in statuses
        with_token = requests.get(f"{server.url}/resource/{DATASET_ID}.json", headers={"X-App-Token": "t"}, timeout=30)
        assert with_token.status_code == 200


def test_bad_fault_config():
    with pytest.raises(ValueError):
        FaultConfig(error_rate=0.6, throttle_rate=0.6)
    with pytest.raises(ValueError):
        FaultConfig(truncate_rate=0.5, drop_rate=0.6)
    with pytest.raises(ValueError):
        FaultConfig(drop_rate=-0.1)


def test_serve_directory_and_clean_stop(tmp_path):
    pq.write_table(processes_table(10), tmp_path / "abcd-1234.parquet")
    (tmp_path / "efgh-5678.csv").write_text("a,b\n1,x\n2,\n")
    (tmp_path / "notes.csv").write_text("ignored\n")
    (tmp_path / "paco").mkdir()
    (tmp_path / "paco" / PACO_FILE).write_text(PACO_CSV, encoding="utf-8")
    server = serve_directory(tmp_path)
    with server:  # already started: entering is a no-op
        assert rows(server, path="/resource/efgh-5678.json", **{"$order": ":id"}) == [{"a": "1", "b": "x"}, {"a": "2"}]
        assert server.dataset("abcd-1234").row_count == 10
        assert server.url.startswith("http://127.0.0.1:")
        assert server.paco_url == f"{server.url}/paco-pulic-info" and server.files_dir == (tmp_path / "paco").resolve()
        assert requests.get(f"{server.paco_url}/{PACO_FILE}", timeout=30).text == PACO_CSV
    with pytest.raises(requests.ConnectionError):
        requests.get(server.url + "/resource/abcd-1234.json", timeout=5)
    server.stop()  # idempotent


def test_loopback_only_and_4x4_ids(data_file):
    with pytest.raises(ValueError, match="loopback"):
        ReplayServer([ReplayDataset.from_file(data_file)], host="0.0.0.0")
    with pytest.raises(ValueError, match="dataset id"):
        ReplayDataset.from_file(data_file, dataset_id="processes")


def test_file_system_fields_are_kept(tmp_path):
    path = tmp_path / "abcd-1234.csv"
    path.write_text(
        ":id,:created_at,:updated_at,name\n"
        "row-b,2024-01-01T00:00:00.000Z,2024-02-01T10:00:00.123Z,beta\n"
        "row-a,2024-01-01T00:00:00.000Z,2024-03-01T00:00:00.000Z,alpha\n"
    )
    dataset = ReplayDataset.from_file(path)
    assert dataset.rows_updated_at == int(parsedate_to_datetime("Fri, 01 Mar 2024 00:00:00 GMT").timestamp())
    with ReplayServer([dataset]) as server:
        pulled = rows(server, path="/resource/abcd-1234.json", **{"$select": ":*,*", "$order": ":id"})
        assert [(r[":id"], r[":updated_at"], r["name"]) for r in pulled] == [
            ("row-a", "2024-03-01T00:00:00.000Z", "alpha"),
            ("row-b", "2024-02-01T10:00:00.123Z", "beta"),
        ]
        (new_id,) = dataset.upsert([{"name": "gamma"}])
        assert new_id == "row-0000~0000~0000"


def test_concurrent_reads_and_upserts(server):
    dataset = server.dataset(DATASET_ID)

    def work(i: int) -> int:
        if i % 8 == 0:
            dataset.upsert([{"id_del_proceso": f"CO1.REQ.C{i}"}])
            return 1
        return len(rows(server, **{"$order": ":id", "$limit": 10, "$offset": i}))

    with ThreadPoolExecutor(8) as pool:
        assert sum(pool.map(work, range(48))) == 6 + 42 * 10
    assert dataset.row_count == ROWS + 6


def test_upsert_rejects_unknown_fields_and_duplicate_ids(server):
    dataset = server.dataset(DATASET_ID)
    with pytest.raises(ValueError, match="unknown fields"):
        dataset.upsert([{"no_such_field": "x"}])
    with pytest.raises(ValueError, match="twice"):
        dataset.upsert([{}, {}], ["row-x", "row-x"])


def test_delete_removes_rows_from_every_answer_and_moves_rows_updated_at(server):
    dataset = server.dataset(DATASET_ID)
    before = get(server, f"/api/views/{DATASET_ID}.json").json()["rowsUpdatedAt"]
    original = {r[":id"]: r for r in keyset_pull(server, page_size=100)}
    gone = sorted(original)[10:13]
    dataset.delete(gone)

    pulled = {r[":id"]: r for r in keyset_pull(server, page_size=100)}
    assert set(pulled) == set(original) - set(gone) and pulled == {i: original[i] for i in pulled}
    assert rows(server, **{"$select": "count(*)"}) == [{"count": str(ROWS - 3)}]
    assert rows(server, **{"$where": f":id = '{gone[0]}'"}) == []
    export = get(server, f"/api/views/{DATASET_ID}/rows.csv", accessType="DOWNLOAD").text
    assert len(list(csv.DictReader(io.StringIO(export)))) == ROWS - 3
    meta = get(server, f"/api/views/{DATASET_ID}.json").json()
    assert meta["rowsUpdatedAt"] > before and meta["viewLastModified"] >= meta["rowsUpdatedAt"]
    response = get(server, **{"$limit": 1})
    assert parsedate_to_datetime(response.headers["Last-Modified"]).timestamp() == meta["rowsUpdatedAt"]


def test_delete_refuses_unknown_or_repeated_ids_and_deletes_nothing(server):
    dataset = server.dataset(DATASET_ID)
    (first,) = rows(server, **{"$select": ":id", "$order": ":id", "$limit": 1})
    with pytest.raises(ValueError, match="no rows"):
        dataset.delete([first[":id"], "row-ffff~ffff~ffff"])
    with pytest.raises(ValueError, match="twice"):
        dataset.delete([first[":id"], first[":id"]])
    assert dataset.row_count == ROWS


def test_full_replace_republishes_every_row_under_a_new_id(server):
    """A publisher's full replace: the content is the new rows, every `:id` is new (a deleted row's id is
    never reused) and every row is newer than any watermark taken before."""
    dataset = server.dataset(DATASET_ID)
    before = get(server, f"/api/views/{DATASET_ID}.json").json()["rowsUpdatedAt"]
    old = keyset_pull(server, page_size=100)
    [latest] = rows(server, **{"$select": ":updated_at", "$order": ":updated_at DESC", "$limit": 1})
    dataset.delete([old[-1][":id"]])
    republished = [{"id_del_proceso": f"CO1.REQ.{i}", "precio_base": str(i)} for i in range(0, ROWS, 2)]
    ids = dataset.replace(republished)

    pulled = rows(server, **{"$select": ":*, id_del_proceso, precio_base", "$order": ":id", "$limit": ROWS})
    assert [r[":id"] for r in pulled] == ids and len(set(ids)) == len(republished)
    assert not set(ids) & {r[":id"] for r in old}
    assert [{"id_del_proceso": r["id_del_proceso"], "precio_base": r["precio_base"]} for r in pulled] == republished
    assert all(r[":created_at"] == r[":updated_at"] > latest[":updated_at"] for r in pulled)
    fresh = rows(server, **{"$select": ":id", "$where": f":updated_at > '{latest[':updated_at']}'", "$limit": ROWS})
    assert len(fresh) == len(republished)  # an incremental pull sees the whole new content
    assert get(server, f"/api/views/{DATASET_ID}.json").json()["rowsUpdatedAt"] > before


def test_full_replace_refuses_unknown_fields_and_keeps_the_content(server):
    dataset = server.dataset(DATASET_ID)
    with pytest.raises(ValueError, match="unknown fields"):
        dataset.replace([{"id_del_proceso": "CO1.REQ.X"}, {"no_such_field": "x"}])
    assert dataset.row_count == ROWS and len(keyset_pull(server, page_size=150)) == ROWS


def test_real_sample_pages_fully_by_keyset():
    if not REAL_SAMPLE.exists():
        pytest.skip(f"real sample absent: {REAL_SAMPLE} (../shared is not part of this checkout)")
    with REAL_SAMPLE.open(newline="", encoding="utf-8") as handle:
        expected = sum(1 for _ in csv.reader(handle)) - 1
    with ReplayServer([ReplayDataset.from_file(REAL_SAMPLE, dataset_id=DATASET_ID)]) as server:
        pulled = keyset_pull(server, page_size=1_000)
        assert rows(server, **{"$select": "count(*)"}) == [{"count": str(expected)}]
    assert len(pulled) == len({r[":id"] for r in pulled}) == expected
    dates = [r["fecha_de_publicacion_del"] for r in pulled if "fecha_de_publicacion_del" in r]
    assert dates and all(d.endswith("T00:00:00.000") for d in dates)  # floating timestamps, as the API serves them


# -- PACO files, dropped connections, app tokens ---------------------------------------------------


@pytest.fixture
def paco_dir(tmp_path) -> Path:
    folder = tmp_path / "paco"
    folder.mkdir()
    (folder / PACO_FILE).write_text(PACO_CSV, encoding="utf-8")
    (folder / "obras.bin").write_bytes(b"\x00\x01")
    (folder / ".hidden").write_text("x")
    (tmp_path / "secret.csv").write_text("outside the folder\n")
    return folder


@pytest.fixture
def file_server(paco_dir):
    with ReplayServer([], files_dir=paco_dir) as running:
        yield running


def test_paco_file_get_head_and_content_types(file_server, paco_dir):
    url = f"{file_server.paco_url}/{PACO_FILE}"
    assert url == f"{file_server.url}/{PACO_CONTAINER}/{PACO_FILE}"
    response = requests.get(url, timeout=30)
    size = (paco_dir / PACO_FILE).stat().st_size
    assert response.status_code == 200 and response.content == PACO_CSV.encode()
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Length"] == str(size)
    mtime = int((paco_dir / PACO_FILE).stat().st_mtime)
    assert parsedate_to_datetime(response.headers["Last-Modified"]).timestamp() == mtime
    head = requests.head(url, timeout=30)
    assert head.status_code == 200 and head.content == b""
    assert {k: head.headers[k] for k in ("Content-Length", "Last-Modified", "ETag", "Content-Type")} == {
        k: response.headers[k] for k in ("Content-Length", "Last-Modified", "ETag", "Content-Type")
    }
    binary = requests.get(f"{file_server.paco_url}/obras.bin", timeout=30)
    assert binary.content == b"\x00\x01" and binary.headers["Content-Type"] == "application/octet-stream"
    assert file_server.requests_served == 3


def test_paco_conditional_requests_get_304(file_server):
    url = f"{file_server.paco_url}/{PACO_FILE}"
    first = requests.get(url, timeout=30)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    for headers in ({"If-None-Match": etag}, {"If-None-Match": f'"other", {etag}'}, {"If-Modified-Since": modified}):
        for method in (requests.get, requests.head):
            response = method(url, headers=headers, timeout=30)
            assert response.status_code == 304 and response.content == b"", headers
            assert response.headers["ETag"] == etag
    stale = {"If-None-Match": '"other"', "If-Modified-Since": modified}  # If-None-Match wins
    assert requests.get(url, headers=stale, timeout=30).status_code == 200
    older = {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}
    assert requests.get(url, headers=older, timeout=30).status_code == 200


@pytest.mark.parametrize(
    "name",
    ["nope.csv", "..%2Fsecret.csv", "%2E%2E%2Fsecret.csv", ".hidden", "", "sub%2F" + PACO_FILE, "%00", "../secret.csv"],
)
def test_paco_unknown_files_and_path_traversal_are_404(file_server, name):
    host, port = file_server.url.removeprefix("http://").split(":")
    for method in ("GET", "HEAD"):  # http.client sends the path as is (requests would normalise `..`)
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        connection.request(method, f"/{PACO_CONTAINER}/{name}")
        response = connection.getresponse()
        body = response.read()
        connection.close()
        assert response.status == 404 and response.getheader("x-ms-error-code") == "BlobNotFound"
        assert body == (b"" if method == "HEAD" else body) and (
            method == "HEAD" or b"<Code>BlobNotFound</Code>" in body
        )


def test_paco_without_files_dir_is_404(server):
    assert requests.get(f"{server.paco_url}/{PACO_FILE}", timeout=30).status_code == 404


def test_paco_rewritten_file_is_a_new_version(file_server, paco_dir):
    path, url = paco_dir / PACO_FILE, f"{file_server.paco_url}/{PACO_FILE}"
    os.utime(path, (time.time() - 3600, time.time() - 3600))
    before = requests.head(url, timeout=30).headers
    path.write_text(PACO_CSV + "ANA GÓMEZ,CC 456,S\n", encoding="utf-8")
    after = requests.get(url, headers={"If-None-Match": before["ETag"]}, timeout=30)
    assert after.status_code == 200 and after.text.endswith("ANA GÓMEZ,CC 456,S\n")
    assert parsedate_to_datetime(after.headers["Last-Modified"]) > parsedate_to_datetime(before["Last-Modified"])
    assert after.headers["ETag"] != before["ETag"]
    path.unlink()
    assert requests.get(url, timeout=30).status_code == 404


def test_drops_break_resource_and_file_requests(data_file, paco_dir):
    with ReplayServer(
        [ReplayDataset.from_file(data_file)], faults=FaultConfig(drop_rate=1.0), files_dir=paco_dir
    ) as server:
        failures = []
        for url in (f"{server.url}/resource/{DATASET_ID}.json", f"{server.paco_url}/{PACO_FILE}"):
            for _ in range(8):
                with pytest.raises(BROKEN) as caught:
                    requests.get(url, params={"$limit": 200}, timeout=30)
                failures.append(caught.type)
        # seeded mix: no answer at all, and a cut after the headers or mid-body
        assert requests.ConnectionError in failures and requests.exceptions.ChunkedEncodingError in failures
        assert get(server, f"/api/views/{DATASET_ID}.json").status_code == 200  # metadata is never faulted
        assert requests.head(f"{server.paco_url}/{PACO_FILE}", timeout=30).status_code == 200  # nor HEAD
        assert server.requests_served == 18


def test_truncated_file_announces_its_full_length(paco_dir):
    with ReplayServer([], faults=FaultConfig(truncate_rate=1.0), files_dir=paco_dir) as server:
        response = requests.get(f"{server.paco_url}/{PACO_FILE}", stream=True, timeout=30)
        assert response.status_code == 200
        assert response.headers["Content-Length"] == str((paco_dir / PACO_FILE).stat().st_size)
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            response.content  # noqa: B018 (reading the body raises)


def test_app_tokens(data_file, caplog):
    caplog.set_level(logging.DEBUG, logger="simulator.replay.server")
    with ReplayServer([ReplayDataset.from_file(data_file)], app_tokens=frozenset({"g00d-t0ken"})) as server:
        paths = (f"/resource/{DATASET_ID}.json", f"/api/views/{DATASET_ID}.json", f"/api/views/{DATASET_ID}/rows.csv")
        for path in paths:
            for bad in ({"headers": {"X-App-Token": "bad-s3cret"}}, {"params": {"$$app_token": "bad-s3cret"}}):
                response = requests.get(server.url + path, timeout=30, **bad)
                assert response.status_code == 403
                assert response.json() == {
                    "code": "permission_denied",
                    "error": True,
                    "message": "Invalid app_token specified",
                    "data": {},
                }
            mixed = requests.get(
                server.url + path,
                headers={"X-App-Token": "g00d-t0ken"},
                params={"$$app_token": "bad-s3cret"},
                timeout=30,
            )
            assert mixed.status_code == 403
            assert requests.get(server.url + path, headers={"X-App-Token": "g00d-t0ken"}, timeout=30).status_code == 200
            assert requests.get(server.url + path, params={"$$app_token": "g00d-t0ken"}, timeout=30).status_code == 200
            assert requests.get(server.url + path, timeout=30).status_code == 200
    assert "app_token=***" in caplog.text  # request lines are logged, token values are not
    assert "bad-s3cret" not in caplog.text and "g00d-t0ken" not in caplog.text


def test_serve_directory_with_only_paco_files_or_nothing(tmp_path):
    with pytest.raises(FileNotFoundError):
        serve_directory(tmp_path)
    (tmp_path / "paco").mkdir()
    with pytest.raises(FileNotFoundError):
        serve_directory(tmp_path)
    (tmp_path / "paco" / PACO_FILE).write_text(PACO_CSV, encoding="utf-8")
    with serve_directory(tmp_path, app_tokens=frozenset({"t"})) as server:
        assert requests.get(f"{server.paco_url}/{PACO_FILE}", timeout=30).text == PACO_CSV
        assert get(server, f"/resource/{DATASET_ID}.json").status_code == 404
