"""A Socrata (SODA 2.1) client on `requests`: keyset paging, watermarks, retries (spec/socrata.md)."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass

import dagster as dg
import requests
from pydantic import Field

RETRYABLE_STATUS = {202, 429, 500, 502, 503, 504}
KEYSET_ORDER = ":updated_at,:id"


class SocrataError(RuntimeError):
    """A request that failed for good (a client error, or retries exhausted)."""


@dataclass
class PullStats:
    pages: int = 0
    rows: int = 0
    bytes: int = 0
    retries: int = 0


def _soql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def keyset_where(since: str | None, after: tuple[str, str] | None) -> str | None:
    """`$where` for the next page: rows at or after the watermark, strictly after the last (updated_at, id)."""
    clauses = []
    if since is not None:
        clauses.append(f":updated_at >= {_soql_literal(since)}")
    if after is not None:
        updated_at, row_id = (_soql_literal(v) for v in after)
        clauses.append(f"(:updated_at > {updated_at} OR (:updated_at = {updated_at} AND :id > {row_id}))")
    return " AND ".join(clauses) or None


class SocrataClient(dg.ConfigurableResource):
    """Reads datasets from a Socrata portal (datos.gov.co, or the local replay server)."""

    base_url: str = Field(description="Portal root, e.g. https://www.datos.gov.co")
    app_token: str | None = Field(default=None, description="Optional X-App-Token (never logged)")
    page_size: int = Field(default=50_000, description="Rows per request")
    timeout_seconds: float = 120.0
    max_retries: int = 6
    backoff_seconds: float = 1.0
    max_backoff_seconds: float = 60.0

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.app_token:
            headers["X-App-Token"] = self.app_token
        return headers

    def _get_json(self, session: requests.Session, path: str, params: dict, stats: PullStats):
        """GET with exponential backoff and jitter on throttling, server errors and broken bodies."""
        url = f"{self.base_url.rstrip('/')}{path}"
        for attempt in range(self.max_retries + 1):
            delay = min(self.max_backoff_seconds, self.backoff_seconds * 2**attempt) * random.uniform(0.5, 1.0)
            try:
                response = session.get(url, params=params, headers=self._headers(), timeout=self.timeout_seconds)
            except (requests.ConnectionError, requests.Timeout) as exc:
                problem = f"{type(exc).__name__}"
            else:
                if response.status_code == 200:
                    try:
                        body = response.json()
                        stats.bytes += len(response.content)
                        return body
                    except ValueError:
                        problem = "malformed or truncated JSON body"
                elif response.status_code in RETRYABLE_STATUS:
                    problem = f"HTTP {response.status_code}"
                    retry_after = response.headers.get("Retry-After", "")
                    if retry_after.isdigit():
                        delay = min(self.max_backoff_seconds, float(retry_after))
                else:
                    raise SocrataError(f"GET {path} failed: HTTP {response.status_code}: {_error_message(response)}")
            if attempt == self.max_retries:
                raise SocrataError(f"GET {path} failed after {attempt + 1} attempts: {problem}")
            stats.retries += 1
            time.sleep(delay)
        raise AssertionError("unreachable")

    def metadata(self, dataset_id: str) -> dict:
        with requests.Session() as session:
            return self._get_json(session, f"/api/views/{dataset_id}.json", {}, PullStats())

    def pages(self, dataset_id: str, since: str | None, stats: PullStats) -> Iterator[list[dict]]:
        """Every row with `:updated_at >= since` (all rows if None), in (`:updated_at`, `:id`) order.

        Keyset paging: each request asks for rows after the last one received, so deep pages cost
        the same as the first and rows updated during the pull move to the end instead of being skipped.
        """
        after: tuple[str, str] | None = None
        with requests.Session() as session:
            while True:
                params = {"$select": ":*,*", "$order": KEYSET_ORDER, "$limit": str(self.page_size)}
                where = keyset_where(since, after)
                if where:
                    params["$where"] = where
                page = self._get_json(session, f"/resource/{dataset_id}.json", params, stats)
                if not isinstance(page, list):
                    raise SocrataError(f"{dataset_id}: expected a JSON array of rows, got {type(page).__name__}")
                if not page:
                    return
                stats.pages += 1
                stats.rows += len(page)
                yield page
                if len(page) < self.page_size:
                    return
                last = page[-1]
                after = (last[":updated_at"], last[":id"])


def _error_message(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        return f"{body.get('code') or body.get('errorCode')}: {body.get('message')}"
    return json.dumps(body)[:200]
