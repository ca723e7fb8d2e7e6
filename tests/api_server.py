"""The read API served for tests: uvicorn on 127.0.0.1 (a free port) in a thread, and a small JSON client."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from api.app import create_app
from warehouse.reader import WarehouseReader
from workbench.spark_connect import free_port


@contextmanager
def serve_api(reader: WarehouseReader, **options: Any) -> Iterator[str]:
    """The API over `reader` on 127.0.0.1 while the block runs; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(reader, **options), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the API did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def fetch(url: str, **params: Any) -> tuple[int, dict[str, str], bytes]:
    """GET `url` with `params` (None values left out): status, headers (lower-case names), body."""
    query = urllib.parse.urlencode({name: value for name, value in params.items() if value is not None})
    try:
        with urllib.request.urlopen(f"{url}?{query}" if query else url, timeout=60) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def get_json(url: str, status: int = 200, **params: Any) -> Any:
    """The JSON answer of GET `url`, which must have `status`."""
    code, _, body = fetch(url, **params)
    assert code == status, (url, params, code, body[:500])
    return json.loads(body)


def every_page(url: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a paged list, following next_cursor to the end (alerts: to the first empty page)."""
    items, cursor = [], None
    while True:
        page = get_json(url, **params, cursor=cursor)
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None or not page["items"]:
            return items
