"""A Socrata-compatible (SODA 2.1) replay server on 127.0.0.1, backed by in-memory DuckDB.

Serves stored snapshots (parquet or CSV files) the way datos.gov.co does (docs/socrata.md):
`/resource/<id>.json|.csv` with `$select/$where/$order/$limit/$offset` and equality filters,
`/api/views/<id>.json` metadata and `/api/views/<id>/rows.csv?accessType=DOWNLOAD` exports. Rows keep
stable system fields (`:id`, `:created_at`, `:updated_at`); `ReplayDataset.upsert` simulates publisher
changes and `FaultConfig` injects throttling, server errors, delays, truncated bodies and dropped
connections. Optional `app_tokens` answer 403 to unknown tokens, as Socrata does.

PACO's files (docs/sources.md#how-data-is-obtained) are served as PACO's Azure blob container does, under
`/paco-pulic-info/<file>` from a folder (`files_dir`), read from disk at each request: rewrite a file to
publish a new version (new `Last-Modified` and `ETag`; conditional requests get 304).

Pages are served in two steps so that 50,000-row pages of wide datasets stay fast: the row ids of the
page are chosen on the filter and sort columns only, then just those rows are rendered (to JSON or CSV
lines) inside DuckDB.
"""

from __future__ import annotations

import ipaddress
import itertools
import json
import logging
import random
import re
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from simulator.replay.dataset import (
    DATASET_ID_RE,
    ReplayDataset,
    csv_header,
    csv_line_sql,
    dataset_output_columns,
    json_line_sql,
    page_sql,
)
from simulator.replay.soql import (
    CompiledQuery,
    SoqlError,
    compile_query,
    malformed,
)

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 1000
MAX_COUNT = 2**63 - 1  # the largest $limit or $offset: DuckDB's BIGINT
_RESOURCE_PARAMS = frozenset({"$select", "$where", "$order", "$limit", "$offset", "$$app_token"})
_RESOURCE_PATH = re.compile(r"/resource/(?P<id>[^/.]+)\.(?P<format>json|csv)")
_VIEW_PATH = re.compile(r"/api/views/(?P<id>[^/.]+)\.json")
_EXPORT_PATH = re.compile(r"/api/views/(?P<id>[^/.]+)/rows\.csv")
JSON_CONTENT_TYPE = "application/json;charset=utf-8"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
PACO_CONTAINER = "paco-pulic-info"  # the real container name is spelled this way
_BLOB_PREFIX = f"/{PACO_CONTAINER}/"
_BLOB_NAME = re.compile(r"[^./\\\x00-\x1f][^/\\\x00-\x1f]*")  # a plain file name, not hidden, no separators
_BLOB_CHUNK = 64 * 1024
_NO_ANSWER = -1  # `_Response.cut`: close the connection before the status line
_TOKEN_IN_TEXT = re.compile(r"((?:\$\$|%24%24)app_token=)[^&\s\"]*", re.IGNORECASE)


# -- HTTP ------------------------------------------------------------------------------------------


@dataclass
class FaultConfig:
    """Fault injection for GETs of `/resource` and of PACO files; all off by default, seeded.

    Metadata, exports and HEAD requests are never faulted.
    """

    error_rate: float = 0.0  # share answered 500 (JSON) or 503 (HTML maintenance page)
    throttle_rate: float = 0.0  # share answered 429
    truncate_rate: float = 0.0  # share whose body is cut in half (a file announces its full Content-Length)
    drop_rate: float = 0.0  # share whose connection closes abruptly: no answer, or mid-body
    delay_seconds: float = 0.0  # added before every answer
    seed: int = 0
    retry_after: int | None = 1  # Retry-After seconds sent with a 429; None sends no header
    tokenless_requests_per_minute: int | None = None  # budget for requests without an app token

    def __post_init__(self) -> None:
        rates = (self.error_rate, self.throttle_rate, self.truncate_rate, self.drop_rate)
        if any(rate < 0 for rate in rates) or sum(rates) > 1:
            raise ValueError("fault rates must be >= 0 and sum to at most 1")


@dataclass
class _Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes | Iterator[bytes]  # an iterator is streamed until the connection closes
    cut: int | None = None  # a fault: close after the headers and this many body bytes (or _NO_ANSWER)


@dataclass(frozen=True)
class _Cut:
    """A fault that breaks the answer itself; `coin` is a seeded number in [0, 1)."""

    kind: Literal["truncate", "drop"]
    coin: float


def _json_response(status: int, payload: object, headers: Iterable[tuple[str, str]] = ()) -> _Response:
    return _Response(status, [("Content-Type", JSON_CONTENT_TYPE), *headers], json.dumps(payload).encode())


def _error(status: int, code: str, message: str, headers: Iterable[tuple[str, str]] = ()) -> _Response:
    return _json_response(status, {"code": code, "error": True, "message": message, "data": {}}, headers)


class _Faults:
    """Draws the fault of each request (thread-safe, seeded) and keeps the token-less budget."""

    def __init__(self, config: FaultConfig) -> None:
        self.config = config
        self._random = random.Random(config.seed)
        self._lock = threading.Lock()
        self._minute, self._tokenless = -1, 0

    def draw(self, has_token: bool) -> _Response | _Cut | None:
        """An early response (429/5xx), a `_Cut` (truncate or drop), or None for a normal answer."""
        if self.config.delay_seconds:
            time.sleep(self.config.delay_seconds)
        with self._lock:
            if not has_token and self._over_budget():
                retry = [("Retry-After", str(60 - int(time.time()) % 60))]
                return _error(429, "throttled", "Too many requests without an app token", retry)
            draw, coin = self._random.random(), self._random.random()
        config = self.config
        if draw < config.error_rate:
            if coin < 0.5:
                return _error(500, "internal_error", "Internal server error (simulated)")
            page = b"<html><body><h1>Service Unavailable</h1><p>Down for maintenance (simulated).</p></body></html>"
            return _Response(503, [("Content-Type", "text/html; charset=utf-8")], page)
        if draw < config.error_rate + config.throttle_rate:
            retry = [("Retry-After", str(config.retry_after))] if config.retry_after is not None else []
            return _error(429, "throttled", "Too many requests (simulated)", retry)
        if draw < config.error_rate + config.throttle_rate + config.truncate_rate:
            return _Cut("truncate", coin)
        if draw < config.error_rate + config.throttle_rate + config.truncate_rate + config.drop_rate:
            return _Cut("drop", coin)
        return None

    def _over_budget(self) -> bool:
        if self.config.tokenless_requests_per_minute is None:
            return False
        minute = int(time.time() // 60)
        if minute != self._minute:
            self._minute, self._tokenless = minute, 0
        self._tokenless += 1
        return self._tokenless > self.config.tokenless_requests_per_minute


@dataclass(frozen=True)
class _ResourceRequest:
    select: str | None
    where: str | None
    order: str | None
    limit: int
    offset: int
    filters: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, query: Mapping[str, list[str]]) -> _ResourceRequest:
        for name, values in query.items():
            if len(values) > 1:
                raise malformed(f"parameter {name} given more than once", name)
            if name.startswith("$") and name not in _RESOURCE_PARAMS:
                raise malformed(f"unsupported parameter {name}", name)
        value = {name: values[0].strip() or None for name, values in query.items()}
        return cls(
            select=value.get("$select"),
            where=value.get("$where"),
            order=value.get("$order"),
            limit=_count_param(value, "$limit", DEFAULT_LIMIT),
            offset=_count_param(value, "$offset", 0),
            filters={name: values[0] for name, values in query.items() if not name.startswith("$")},
        )


def _count_param(value: Mapping[str, str | None], name: str, default: int) -> int:
    """`$limit` or `$offset`: ASCII digits, at most what DuckDB's BIGINT holds (else a 400, as Socrata's)."""
    if name not in value:
        return default
    text = value[name] or ""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_COUNT)) or int(text) > MAX_COUNT:
        raise malformed(f"{name} must be an integer from 0 to {MAX_COUNT}, got {text[:40]!r}", text[:40])
    return int(text)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.0"
    timeout = 10  # seconds a silent or stalled client may hold a handler thread

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self._answer(self.server.replay._respond("GET", self.path, self.headers), with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802 (http.server naming)
        self._answer(self.server.replay._respond("HEAD", self.path, self.headers), with_body=False)

    def _answer(self, response: _Response, with_body: bool) -> None:
        """Send the response; a `cut` closes the connection early (the announced length stays whole)."""
        try:
            if response.cut == _NO_ANSWER:
                return
            self.send_response(response.status)
            for name, value in response.headers:
                self.send_header(name, value)
            sized = any(name.lower() == "content-length" for name, _ in response.headers)
            if isinstance(response.body, bytes) and response.status != 304 and not sized:
                self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if with_body:
                body = [response.body] if isinstance(response.body, bytes) else response.body
                for chunk in _limited(body, response.cut):
                    self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            log.debug("client went away during %s", _redacted(self.path))
        finally:
            if hasattr(response.body, "close"):
                response.body.close()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server signature)
        log.debug("%s %s", self.address_string(), _redacted(format % args))


def _limited(chunks: Iterable[bytes], limit: int | None) -> Iterator[bytes]:
    """The chunks, stopping after `limit` bytes when a limit is given."""
    for chunk in chunks:
        if limit is not None and len(chunk) >= limit:
            yield chunk[:limit]
            return
        if limit is not None:
            limit -= len(chunk)
        yield chunk


def _redacted(text: str) -> str:
    """The text with `$$app_token` values hidden, for logs."""
    return _TOKEN_IN_TEXT.sub(r"\1***", text)


class _HTTPServer(ThreadingHTTPServer):
    """One thread per request; closing the server waits for the requests in flight."""

    request_queue_size = 128
    daemon_threads = False
    block_on_close = True

    def __init__(self, address: tuple[str, int], replay: ReplayServer) -> None:
        self.replay = replay
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        log.debug("error while handling a request from %s", client_address, exc_info=True)


class ReplayServer:
    """Serves datasets over HTTP on a loopback address; `start()`/`stop()` or use as a context manager.

    `files_dir` holds the PACO files served under `paco_url`; `app_tokens`, when given, are the only
    app tokens accepted (requests without a token are still served).
    """

    def __init__(
        self,
        datasets: Iterable[ReplayDataset],
        host: str = "127.0.0.1",
        port: int = 0,
        faults: FaultConfig | None = None,
        files_dir: Path | None = None,
        app_tokens: frozenset[str] | None = None,
    ) -> None:
        self._datasets: dict[str, ReplayDataset] = {}
        for dataset in datasets:
            if dataset.dataset_id in self._datasets:
                raise ValueError(f"dataset {dataset.dataset_id} given twice")
            self._datasets[dataset.dataset_id] = dataset
        if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"the replay server binds loopback addresses only, not {host}")
        if files_dir is not None and not Path(files_dir).is_dir():
            raise ValueError(f"{files_dir} is not a folder")
        self._files_dir = Path(files_dir).resolve() if files_dir is not None else None
        self._app_tokens = frozenset(app_tokens) if app_tokens is not None else None
        self._faults = _Faults(faults or FaultConfig())
        self._httpd = _HTTPServer((host, port), self)
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._served = 0
        self._served_lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def paco_url(self) -> str:
        """Base URL of the PACO files, the local stand-in for PACO's blob container."""
        return f"{self.url}/{PACO_CONTAINER}"

    @property
    def files_dir(self) -> Path | None:
        return self._files_dir

    @property
    def requests_served(self) -> int:
        """Every request answered (or dropped), GET and HEAD, rows, metadata and files."""
        return self._served

    def dataset(self, dataset_id: str) -> ReplayDataset:
        return self._datasets[dataset_id]

    def start(self) -> ReplayServer:
        """Serve in a background thread (no-op if already serving)."""
        if self._stopped:
            raise RuntimeError("a stopped replay server cannot be restarted")
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="replay-server", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wait for requests in flight, join the thread, close the socket (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
        self._httpd.server_close()

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _respond(self, method: str, path: str, headers: Mapping[str, str]) -> _Response:
        """The answer to a GET or HEAD; only GETs of rows and files are faulted."""
        with self._served_lock:
            self._served += 1
        url = urlsplit(path)
        query = parse_qs(url.query, keep_blank_values=True)
        is_get = method == "GET"
        try:
            if url.path.startswith(_BLOB_PREFIX):
                return self._file(url.path.removeprefix(_BLOB_PREFIX), headers, is_get)
            tokens = _app_tokens(headers, query)
            if self._app_tokens is not None and not tokens <= self._app_tokens:
                return _error(403, "permission_denied", "Invalid app_token specified")
            if match := _RESOURCE_PATH.fullmatch(url.path):
                return self._resource(match["id"], match["format"], query, bool(tokens), is_get)
            if match := _VIEW_PATH.fullmatch(url.path):
                dataset = self._find(match["id"])
                return _json_response(200, dataset.metadata(), [_last_modified(dataset)])
            if match := _EXPORT_PATH.fullmatch(url.path):
                return self._export(self._find(match["id"]))
            raise _NotFound(f"No such resource: {url.path}")
        except SoqlError as error:
            return _json_response(400, error.body())
        except _NotFound as error:
            return _error(404, "not_found", str(error))
        except Exception:
            log.exception("replay server failed on %s", _redacted(path))
            return _error(500, "internal_error", "Internal server error")

    def _find(self, dataset_id: str) -> ReplayDataset:
        if dataset_id not in self._datasets:
            raise _NotFound(f"Dataset {dataset_id} not found")
        return self._datasets[dataset_id]

    def _resource(
        self, dataset_id: str, fmt: str, query: Mapping[str, list[str]], has_token: bool, is_get: bool
    ) -> _Response:
        fault = self._faults.draw(has_token) if is_get else None
        if isinstance(fault, _Response):
            return fault
        dataset = self._find(dataset_id)
        request = _ResourceRequest.parse(query)
        compiled = compile_query(
            dataset.schema, select=request.select, where=request.where, order=request.order, filters=request.filters
        )
        truncate = fault is not None and fault.kind == "truncate"
        response = _rows_response(dataset, compiled, fmt, request.limit, request.offset, truncate)
        if fault is not None and fault.kind == "drop":
            response.cut = _drop_point(len(response.body), fault.coin)
        return response

    def _file(self, name: str, headers: Mapping[str, str], is_get: bool) -> _Response:
        """A PACO file (GET or HEAD) as the blob host serves it; 404 for anything but a file of `files_dir`."""
        path = self._file_path(unquote(name))
        if path is None:
            return _blob_not_found()
        fault = self._faults.draw(has_token=True) if is_get else None  # the blob host has no token budget
        if isinstance(fault, _Response):
            return fault
        try:
            response = _file_response(path, headers, with_body=is_get)
        except FileNotFoundError:  # deleted meanwhile
            return _blob_not_found()
        if fault is not None:
            size = int(dict(response.headers).get("Content-Length", 0))  # 0 for a 304
            response.cut = size // 2 if fault.kind == "truncate" else _drop_point(size, fault.coin)
        return response

    def _file_path(self, name: str) -> Path | None:
        """The file called `name` directly inside `files_dir`, or None (also for any other path)."""
        if self._files_dir is None or not _BLOB_NAME.fullmatch(name):
            return None
        path = self._files_dir / name
        return path if path.is_file() and path.resolve().parent == self._files_dir else None

    def _export(self, dataset: ReplayDataset) -> _Response:
        header = csv_header(c.display_name for c in dataset.columns).encode()
        lines = dataset.stream_lines(f"SELECT {csv_line_sql(dataset_output_columns(dataset))} FROM data")
        body = itertools.chain([header], ("".join(line + "\n" for line in batch).encode() for batch in lines))
        disposition = ("Content-Disposition", f'attachment; filename="{dataset.dataset_id}.csv"')
        return _Response(200, [("Content-Type", CSV_CONTENT_TYPE), disposition, _last_modified(dataset)], body)


class _NotFound(Exception):
    pass


def _app_tokens(headers: Mapping[str, str], query: Mapping[str, list[str]]) -> frozenset[str]:
    """The app tokens a request carries (`X-App-Token` header, `$$app_token` parameter)."""
    return frozenset(token for token in (headers.get("X-App-Token"), *query.get("$$app_token", [])) if token)


def _drop_point(length: int, coin: float) -> int:
    """Where a dropped connection breaks: no answer at all, or after the headers and under half the body."""
    return _NO_ANSWER if coin < 0.5 or length == 0 else int(length * (coin - 0.5))


def _file_response(path: Path, headers: Mapping[str, str], with_body: bool) -> _Response:
    """200 with the file streamed (headers only unless `with_body`), or 304 when the client's copy is current."""
    stat = path.stat()
    etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
    validators = [("Last-Modified", formatdate(int(stat.st_mtime), usegmt=True)), ("ETag", etag)]
    if _not_modified(headers, etag, int(stat.st_mtime)):
        return _Response(304, validators, b"")
    content_type = CSV_CONTENT_TYPE if path.suffix.lower() == ".csv" else "application/octet-stream"
    headers_out = [("Content-Type", content_type), ("Content-Length", str(stat.st_size)), *validators]
    return _Response(200, headers_out, _file_chunks(path, stat.st_size) if with_body else b"")


def _file_chunks(path: Path, size: int) -> Iterator[bytes]:
    """Up to `size` bytes of the file, read when the body is sent."""
    with path.open("rb") as handle:
        while size > 0 and (chunk := handle.read(min(_BLOB_CHUNK, size))):
            size -= len(chunk)
            yield chunk


def _not_modified(headers: Mapping[str, str], etag: str, modified: int) -> bool:
    """Whether a conditional GET/HEAD gets 304 (`If-None-Match` wins over `If-Modified-Since`)."""
    if (match := headers.get("If-None-Match")) is not None:
        return any(tag.strip().removeprefix("W/") in (etag, "*") for tag in match.split(","))
    try:
        since = parsedate_to_datetime(headers.get("If-Modified-Since") or "")
    except (TypeError, ValueError):
        return False
    return modified <= since.replace(tzinfo=since.tzinfo or timezone.utc).timestamp()


def _blob_not_found() -> _Response:
    """Azure Blob Storage's 404 for a missing blob."""
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f0Z")
    body = (
        '<?xml version="1.0" encoding="utf-8"?><Error><Code>BlobNotFound</Code>'
        f"<Message>The specified blob does not exist.\nRequestId:{uuid.uuid4()}\nTime:{now}</Message></Error>"
    )
    return _Response(404, [("Content-Type", "application/xml"), ("x-ms-error-code", "BlobNotFound")], body.encode())


def _last_modified(dataset: ReplayDataset) -> tuple[str, str]:
    return ("Last-Modified", formatdate(dataset.rows_updated_at, usegmt=True))


def _rows_response(
    dataset: ReplayDataset, query: CompiledQuery, fmt: str, limit: int, offset: int, truncate: bool
) -> _Response:
    """A page as JSON or CSV with the SODA 2.1 headers; `truncate` cuts the body in half (a fault)."""
    params = [*query.params, limit, offset]
    if fmt == "json":
        lines = dataset.fetch_lines(page_sql(query, json_line_sql(query.columns)), params)
        body, content_type = "[" + ",\n".join(lines) + "]\n", JSON_CONTENT_TYPE
    else:
        lines = dataset.fetch_lines(page_sql(query, csv_line_sql(query.columns)), params)
        body = csv_header(c.name for c in query.columns) + "".join(line + "\n" for line in lines)
        content_type = CSV_CONTENT_TYPE
    headers = [
        ("Content-Type", content_type),
        ("X-SODA2-Fields", json.dumps([c.name for c in query.columns])),
        ("X-SODA2-Types", json.dumps([c.soql_type for c in query.columns])),
        _last_modified(dataset),
        ("X-Socrata-RequestId", uuid.uuid4().hex),
        ("Access-Control-Allow-Origin", "*"),
    ]
    payload = body.encode()
    return _Response(200, headers, payload[: len(payload) // 2] if truncate else payload)


def serve_directory(
    data_dir: Path,
    host: str = "127.0.0.1",
    port: int = 0,
    faults: FaultConfig | None = None,
    app_tokens: frozenset[str] | None = None,
) -> ReplayServer:
    """Serve every `<4x4>.parquet` / `<4x4>.csv` of `data_dir` and the PACO files of `data_dir/paco/`.

    Returns the server, started; raises FileNotFoundError when there is neither.
    """
    data_dir = Path(data_dir)
    paths = sorted(
        p for p in data_dir.iterdir() if p.suffix in (".parquet", ".csv") and DATASET_ID_RE.fullmatch(p.stem)
    )
    files_dir = data_dir / "paco" if (data_dir / "paco").is_dir() else None
    if not paths and not (files_dir and any(p.is_file() for p in files_dir.iterdir())):
        raise FileNotFoundError(f"no <dataset-id>.parquet or .csv files and no paco/ files in {data_dir}")
    datasets = [ReplayDataset.from_file(p) for p in paths]
    return ReplayServer(datasets, host, port, faults, files_dir=files_dir, app_tokens=app_tokens).start()
