"""A hostile HTTP server for tests, on 127.0.0.1 only: it answers whatever the test scripts, byte by byte if
asked (a drip), and records every request it receives (so a test can assert a host was never reached)."""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REASONS = {200: "OK", 204: "No Content", 301: "Moved Permanently", 302: "Found", 307: "Temporary Redirect"}


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Answer:
    """What the server writes: a status line, headers and a body. With `drip_seconds`, every byte from
    `drip_from` on is written alone, `drip_seconds` apart (0: from the status line on)."""

    status: int = 200
    headers: Sequence[tuple[str, str]] = ()
    body: bytes = b""
    drip_seconds: float = 0.0
    drip_from: int = 0
    sized: bool = True  # send a Content-Length (else the body ends when the connection closes)

    def raw(self) -> bytes:
        headers = [*self.headers, ("Connection", "close")]
        if self.sized:
            headers.append(("Content-Length", str(len(self.body))))
        head = f"HTTP/1.1 {self.status} {REASONS.get(self.status, 'Whatever')}\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in headers)
        return (head + "\r\n").encode("latin-1") + self.body

    @property
    def head_length(self) -> int:
        return len(self.raw()) - len(self.body)


def json_answer(value: object, status: int = 200, **kwargs) -> Answer:
    headers = [("Content-Type", "application/json;charset=utf-8"), *kwargs.pop("headers", ())]
    return Answer(status, headers, json.dumps(value).encode(), **kwargs)


def redirect(status: int, location: str) -> Answer:
    return Answer(status, [("Location", location)])


def gzip_bomb(expanded_bytes: int, content_type: str = "application/json") -> Answer:
    """A small gzip body that expands to `expanded_bytes` of zeros."""
    body = gzip.compress(b"0" * expanded_bytes, compresslevel=9)
    return Answer(200, [("Content-Type", content_type), ("Content-Encoding", "gzip")], body)


@dataclass
class HostileServer:
    """Serves `answer(request)` to every request until stopped (a `with` block)."""

    answer: Callable[[Received], Answer]
    received: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def handle_one_request(self) -> None:
                super().handle_one_request()
                self.close_connection = True

            def do_GET(self) -> None:  # noqa: N802 (http.server naming)
                self._serve()

            do_HEAD = do_POST = do_GET  # noqa: N815

            def _serve(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                request = Received(self.command, self.path, dict(self.headers.items()), body)
                server.received.append(request)
                server._write(self, server.answer(request))

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server signature)
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        self._thread = threading.Thread(target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def _write(self, handler: BaseHTTPRequestHandler, answer: Answer) -> None:
        raw = answer.raw()
        if handler.command == "HEAD":
            raw = raw[: answer.head_length]
        try:
            handler.wfile.write(raw[: answer.drip_from] if answer.drip_seconds else raw)
            handler.wfile.flush()
            if answer.drip_seconds:
                for byte in raw[answer.drip_from :]:
                    if self._stopping.wait(answer.drip_seconds):
                        return
                    handler.wfile.write(bytes([byte]))
                    handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up: what a deadline is for

    @property
    def port(self) -> int:
        return self._http.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self._stopping.set()
        self._http.shutdown()
        self._http.server_close()
        self._thread.join(timeout=10)

    def __enter__(self) -> HostileServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(answer: Answer) -> HostileServer:
    """A server giving every request the same answer."""
    return HostileServer(lambda request: answer)


def elapsed(call: Callable[[], object]) -> tuple[float, Exception | None]:
    """Seconds `call()` took, and what it raised."""
    started = time.monotonic()
    try:
        call()
    except Exception as exc:  # noqa: BLE001 (the test inspects it)
        return time.monotonic() - started, exc
    return time.monotonic() - started, None
