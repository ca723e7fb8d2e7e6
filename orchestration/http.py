"""HTTP for every outbound call (Socrata, PACO's file host, the alert webhook): one policy, written once.

- A total deadline per call, its retries included (`deadline_seconds`): the sockets a call opens are shut
  when it runs out, so a server that drips its answer a byte at a time is cut like a silent one
  (`timeout_seconds` alone restarts with every byte).
- Bodies are streamed and their decompressed size is capped (`max_body_bytes`).
- Redirects are followed by hand, only to the same scheme, host and port: a token never reaches another
  host. A call that may not be redirected at all (the webhook's POST) fails on any redirect.
- Errors name the call and its origin (`scheme://host:port`) only, never a path, query or header value,
  and chain no `requests` exception (whose text holds the URL): Dagster stores what is raised.

Retried: 202, 429 and 5xx answers, timeouts, connection resets and drops, and bodies that arrive broken
(truncated or malformed). `Retry-After` is honoured; other waits grow exponentially with jitter. Client
errors (400/401/403/404), refused redirects and unusable answers fail at once with the server's message.
"""

from __future__ import annotations

import json
import random
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import SplitResult, urljoin, urlsplit

import dagster as dg
import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection

RETRYABLE_STATUS = {202, 429, 500, 502, 503, 504}
RETRYABLE_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)
OK = frozenset({200})
MiB = 1 << 20
CHUNK_BYTES = MiB
ERROR_BODY_BYTES = 64 * 1024  # read of an error answer: enough for the portal's message
MAX_REDIRECTS = 5
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
T = TypeVar("T")


class PortalError(RuntimeError):
    """A request that failed for good (a client error, a refused answer, retries or deadline exhausted).

    `status` is the HTTP status the server answered when that is the reason (404: not published)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class BrokenBody(Exception):
    """A 200 answer whose body is unusable (truncated, malformed): worth another try."""


class BadAnswer(Exception):
    """An answer no retry will mend (an error page served as 200, a body over the cap, a refused redirect)."""


@dataclass
class PullStats:
    pages: int = 0
    rows: int = 0
    bytes: int = 0
    retries: int = 0


def origin(url: str) -> str:
    """`scheme://host[:port]` of a URL: all an error may show of it (no credentials, path or query)."""
    parts = _url_parts(url)
    if parts is None:
        return "an invalid URL"
    host, port = parts.hostname or "", parts.port
    return f"{parts.scheme}://{f'[{host}]' if ':' in host else host}{f':{port}' if port else ''}"


def printable(text: str, limit: int = 200) -> str:
    """`text` without control characters (a hostile server's answer must not forge log lines), cut."""
    return "".join(c if c.isprintable() else " " for c in text[:limit])


def checked_token(value: str, variable: str) -> str:
    """`value` if it can travel as a header: printable ASCII, no spaces. The error names only `variable`."""
    if not re.fullmatch(r"[\x21-\x7e]+", value):
        raise ValueError(f"{variable} must be printable ASCII without spaces or control characters")
    return value


def checked_url(value: str, variable: str, *, secret: bool = False) -> str:
    """`value` if it is a URL we may call: http(s), a host, no spaces or control characters.

    A portal root (the default) holds no credentials, query or fragment. A `secret` URL (the alert
    webhook, which may hold a token) must use https unless it points at this machine. The error names
    only `variable`, never the value.
    """
    parts = _url_parts(value)
    if not parts or re.search(r"[\x00-\x20\x7f-\x9f]", value) or parts.scheme not in ("http", "https"):
        raise ValueError(f"{variable} must be an http(s) URL with a host, without spaces or control characters")
    if secret and parts.scheme != "https" and parts.hostname not in LOOPBACK_HOSTS:
        raise ValueError(f"{variable} must be an https URL (http only for 127.0.0.1 or localhost)")
    if not secret and (parts.username or parts.password or parts.query or parts.fragment):
        raise ValueError(f"{variable} must not hold credentials, a query or a fragment")
    return value


def _url_parts(value: str) -> SplitResult | None:
    """The parts of a URL with a host and a valid port, or None."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (raises for a port that is not a number)
    except ValueError:
        return None
    return parts if parts.hostname else None


class Deadline:
    """The time one call may take, its retries included.

    While an attempt is `watching`, every socket its thread opens is shut when the time runs out: the
    blocked read returns at once, whether the server is silent or drips its answer.
    """

    _current = threading.local()  # the deadline of the attempt running in this thread

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def remaining(self) -> float:
        return max(0.0, self.ends - time.monotonic())

    @contextmanager
    def watching(self) -> Iterator[None]:
        timer = threading.Timer(self.remaining(), self._expire)
        timer.daemon = True
        Deadline._current.deadline = self
        timer.start()
        try:
            yield
        finally:
            timer.cancel()
            Deadline._current.deadline = None
            with self._lock:
                for sock in self._sockets:
                    sock.close()
                self._sockets.clear()

    def watch(self, sock: socket.socket) -> None:
        """Shut `sock` at the deadline (through a duplicate: TLS wrapping detaches the original)."""
        with self._lock:
            self._sockets.append(sock.dup())
            if self.expired:
                _shut(self._sockets[-1])

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    @classmethod
    def of_this_thread(cls) -> Deadline | None:
        return getattr(cls._current, "deadline", None)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:  # already closed by its connection
        pass


class _WatchedSockets:
    """urllib3 connections whose new sockets join the deadline of the call opening them."""

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()  # type: ignore[misc]
        if deadline := Deadline.of_this_thread():
            deadline.watch(sock)
        return sock


class _HTTPConnection(_WatchedSockets, HTTPConnection):
    pass


class _HTTPSConnection(_WatchedSockets, HTTPSConnection):
    pass


class _HTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


_WATCHED_POOLS = {"http": _HTTPPool, "https": _HTTPSPool}


class _WatchedAdapter(HTTPAdapter):
    """requests' adapter, on connections that honour the call's deadline (proxied ones too)."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _WATCHED_POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if isinstance(manager, urllib3.ProxyManager):
            manager.pool_classes_by_scheme = _WATCHED_POOLS
        return manager


def _session() -> requests.Session:
    """A session for one attempt: its connections are new, so each is watched by this attempt's deadline."""
    session = requests.Session()
    adapter = _WatchedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class _Retry(Exception):
    def __init__(self, problem: str, wait: float | None = None):
        super().__init__(problem)
        self.problem, self.wait = problem, wait


class RetryingHttpResource(dg.ConfigurableResource):
    """Limits and retry settings shared by the outbound clients."""

    connect_timeout_seconds: float = 10.0
    timeout_seconds: float = 120.0  # the longest silence while reading
    deadline_seconds: float = 900.0  # the longest a call may take, its retries included
    max_body_bytes: int = 512 * MiB  # decompressed
    max_retries: int = 6
    backoff_seconds: float = 1.0
    max_backoff_seconds: float = 60.0

    def secrets(self) -> tuple[str, ...]:
        """Values never to show, even when a server echoes them in its error message."""
        return ()

    def request(
        self,
        method: str,
        url: str,
        read: Callable[[requests.Response], T],
        what: str,
        stats: PullStats,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        payload: object = None,
        accept: frozenset[int] = OK,
        follow_redirects: bool = True,
    ) -> T:
        """`method url` until an accepted status whose body `read()` can use; `what` names it in errors.

        `read` raises BrokenBody for a body worth another try, BadAnswer for one that is not.
        """
        what = f"{what} ({origin(url)})"
        deadline = Deadline(self.deadline_seconds)
        send = {"params": params, "headers": headers, "json": payload}
        for attempt in range(self.max_retries + 1):
            try:
                return self._attempt(method, url, send, read, what, deadline, accept, follow_redirects)
            except _Retry as retry:
                problem, wait = retry.problem, retry.wait
            if attempt == self.max_retries:
                break
            wait = self._backoff(attempt) if wait is None else wait
            if wait >= deadline.remaining():
                raise PortalError(
                    f"{what} failed: its deadline of {self.deadline_seconds:g} s leaves no time "
                    f"for attempt {attempt + 2} (last: {problem})"
                )
            stats.retries += 1
            time.sleep(wait)
        raise PortalError(f"{what} failed after {attempt + 1} attempts: {problem}")

    def _attempt(
        self,
        method: str,
        url: str,
        send: dict,
        read: Callable[[requests.Response], T],
        what: str,
        deadline: Deadline,
        accept: frozenset[int],
        follow_redirects: bool,
    ) -> T:
        """One try: the result, a _Retry, or a PortalError (raised outside any `except`: nothing chained)."""
        if not deadline.remaining():
            raise PortalError(f"{what} failed: no answer within its deadline of {self.deadline_seconds:g} s")
        retry: _Retry | None = None
        failure: tuple[str, int | None] | None = None
        with deadline.watching(), _session() as session:
            try:
                with self._open(session, method, url, send, deadline, follow_redirects) as response:
                    status = response.status_code
                    if status in accept:
                        result = read(response)
                    elif status in RETRYABLE_STATUS:
                        retry = _Retry(f"HTTP {status}", self._retry_after(response))
                    else:
                        failure = (f"HTTP {status}: {self._error_message(response)}", status)
            except RETRYABLE_ERRORS as exc:
                retry = _Retry(type(exc).__name__)
            except BrokenBody as exc:
                retry = _Retry(str(exc))
            except BadAnswer as exc:
                failure = (str(exc), None)
            except (requests.RequestException, UnicodeError) as exc:  # refused by requests before sending
                failure = (f"{type(exc).__name__} (the request could not be sent)", None)
        if deadline.expired:
            raise PortalError(f"{what} failed: no complete answer within its deadline of {self.deadline_seconds:g} s")
        if failure:
            raise PortalError(f"{what} failed: {failure[0]}", failure[1])
        if retry:
            raise retry
        return result

    def _open(
        self, session: requests.Session, method: str, url: str, send: dict, deadline: Deadline, follow: bool
    ) -> requests.Response:
        """The answer, streaming; redirects within the same origin followed by hand, any other refused."""
        for _ in range(MAX_REDIRECTS + 1):
            timeout = (
                min(self.connect_timeout_seconds, deadline.remaining()),
                min(self.timeout_seconds, deadline.remaining()),
            )
            response = session.request(method, url, stream=True, allow_redirects=False, timeout=timeout, **send)
            if not response.is_redirect:
                return response
            response.close()
            target = urljoin(url, response.headers["Location"])
            if not follow:
                raise BadAnswer(f"HTTP {response.status_code}: a redirect (to {origin(target)}), not followed")
            if origin(target) != origin(url):
                raise BadAnswer(
                    f"HTTP {response.status_code}: a redirect to another host ({origin(target)}), not followed"
                )
            url, send = target, {**send, "params": None}  # the Location holds the query
        raise BadAnswer(f"more than {MAX_REDIRECTS} redirects")

    def chunks(self, response: requests.Response) -> Iterator[bytes]:
        """The body, decompressed, in chunks; BadAnswer once it passes `max_body_bytes`."""
        received = 0
        for chunk in response.iter_content(CHUNK_BYTES):
            received += len(chunk)
            if received > self.max_body_bytes:
                raise BadAnswer(f"the answer is larger than {self.max_body_bytes:,} bytes (max_body_bytes)")
            yield chunk
        deadline = Deadline.of_this_thread()
        if deadline and deadline.expired:  # a body without a length ends, as if whole, where the deadline cut it
            raise BadAnswer("the answer was cut at the deadline")

    def body(self, response: requests.Response) -> bytes:
        return b"".join(self.chunks(response))

    def _backoff(self, attempt: int) -> float:
        return min(self.max_backoff_seconds, self.backoff_seconds * 2**attempt) * random.uniform(0.5, 1.0)

    def _retry_after(self, response: requests.Response) -> float | None:
        value = response.headers.get("Retry-After", "")
        return min(self.max_backoff_seconds, float(value)) if value.isascii() and value.isdigit() else None

    def _error_message(self, response: requests.Response) -> str:
        """The server's explanation from the start of its body, secrets masked (a server may echo them)."""
        head = b""
        try:
            for chunk in response.iter_content(CHUNK_BYTES):
                head += chunk
                if len(head) >= ERROR_BODY_BYTES:
                    break
        except RETRYABLE_ERRORS:
            pass  # the status says enough
        text = error_message(head[:ERROR_BODY_BYTES])
        for secret in filter(None, self.secrets()):
            text = text.replace(secret, "***")
        return printable(text)


def error_message(body: bytes) -> str:
    """The portal's own explanation: Socrata's `code`/`errorCode` and `message`, or the body's start."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return body.decode("utf-8", errors="replace")
    if isinstance(parsed, dict):
        return f"{parsed.get('code') or parsed.get('errorCode')}: {parsed.get('message')}"
    return json.dumps(parsed)
