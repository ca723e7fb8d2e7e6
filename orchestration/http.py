"""HTTP with retries for the portals we read (Socrata, PACO's file host): one policy, written once.

Retried: 202, 429 and 5xx answers, timeouts, connection resets and drops, and bodies that arrive
broken (truncated or malformed). `Retry-After` is honoured; other waits grow exponentially with
jitter. Client errors (400/401/403/404) fail at once with the server's message.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import dagster as dg
import requests

RETRYABLE_STATUS = {202, 429, 500, 502, 503, 504}
T = TypeVar("T")


class PortalError(RuntimeError):
    """A request that failed for good (a client error, or retries exhausted)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class BrokenBody(Exception):
    """A 200 answer whose body is unusable (truncated, malformed): worth another try."""


@dataclass
class PullStats:
    pages: int = 0
    rows: int = 0
    bytes: int = 0
    retries: int = 0


class RetryingHttpResource(dg.ConfigurableResource):
    """Retry settings shared by the portal clients."""

    timeout_seconds: float = 120.0
    max_retries: int = 6
    backoff_seconds: float = 1.0
    max_backoff_seconds: float = 60.0

    def request(
        self,
        send: Callable[[], requests.Response],
        read: Callable[[requests.Response], T],
        what: str,
        stats: PullStats,
        accept: frozenset[int] = frozenset({200}),
    ) -> T:
        """`send()` until an accepted status whose body `read()` can use; `what` names it in errors."""
        for attempt in range(self.max_retries + 1):
            delay = min(self.max_backoff_seconds, self.backoff_seconds * 2**attempt) * random.uniform(0.5, 1.0)
            try:
                with send() as response:
                    if response.status_code in accept:
                        return read(response)
                    if response.status_code not in RETRYABLE_STATUS:
                        raise PortalError(
                            f"{what} failed: HTTP {response.status_code}: {error_message(response)}",
                            response.status_code,
                        )
                    problem = f"HTTP {response.status_code}"
                    retry_after = response.headers.get("Retry-After", "")
                    if retry_after.isdigit():
                        delay = min(self.max_backoff_seconds, float(retry_after))
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
                problem = type(exc).__name__
            except BrokenBody as exc:
                problem = str(exc)
            if attempt == self.max_retries:
                raise PortalError(f"{what} failed after {attempt + 1} attempts: {problem}")
            stats.retries += 1
            time.sleep(delay)
        raise AssertionError("unreachable")


def error_message(response: requests.Response) -> str:
    """The portal's own explanation: Socrata's `code`/`errorCode` and `message`, or the body's start."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        return f"{body.get('code') or body.get('errorCode')}: {body.get('message')}"
    return json.dumps(body)[:200]
