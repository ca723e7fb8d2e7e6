"""A Socrata (SODA 2.1) client on `requests`: keyset paging, watermarks, retries (spec/socrata.md)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import orjson
import requests
from pydantic import Field

from orchestration.http import BrokenBody, PortalError, PullStats, RetryingHttpResource

KEYSET_ORDER = ":updated_at,:id"


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


class SocrataClient(RetryingHttpResource):
    """Reads datasets from a Socrata portal (datos.gov.co, or the local replay server)."""

    base_url: str = Field(description="Portal root, e.g. https://www.datos.gov.co")
    app_token: str | None = Field(default=None, description="Optional X-App-Token (never logged)")
    page_size: int = Field(default=50_000, description="Rows per request (the API allows up to 50,000)")

    def _get_json(self, session: requests.Session, path: str, params: dict, stats: PullStats):
        headers = {"Accept": "application/json"}
        if self.app_token:
            headers["X-App-Token"] = self.app_token
        url = f"{self.base_url.rstrip('/')}{path}"

        def read(response: requests.Response):
            try:
                body = orjson.loads(response.content)
            except orjson.JSONDecodeError as exc:
                raise BrokenBody("malformed or truncated JSON body") from exc
            stats.bytes += len(response.content)
            return body

        send = partial(session.get, url, params=params, headers=headers, timeout=self.timeout_seconds)
        try:
            return self.request(send, read, f"GET {path}", stats)
        except PortalError as exc:
            if exc.status in (401, 403) and self.app_token:
                raise PortalError(f"{exc} (the app token in SECOP_APP_TOKEN was refused)", exc.status) from exc
            raise

    def metadata(self, dataset_id: str) -> dict:
        with requests.Session() as session:
            return self._get_json(session, f"/api/views/{dataset_id}.json", {}, PullStats())

    def changes_after(self, dataset_id: str, after: tuple[str, str] | None) -> tuple[int, tuple[str, str] | None]:
        """How many rows changed after the (`:updated_at`, `:id`) position, and the newest one's position
        (all rows when `after` is None). Two small requests: what a poll costs."""
        where = {"$where": keyset_where(None, after)} if after else {}
        stats = PullStats()
        with requests.Session() as session:
            path = f"/resource/{dataset_id}.json"
            [counted] = self._get_json(session, path, {"$select": "count(*) AS n", **where}, stats)
            newest = self._get_json(
                session,
                path,
                {"$select": ":id,:updated_at", "$order": ":updated_at DESC,:id DESC", "$limit": "1", **where},
                stats,
            )
        return int(counted["n"]), ((newest[0][":updated_at"], newest[0][":id"]) if newest else None)

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
                    raise PortalError(f"{dataset_id}: expected a JSON array of rows, got {type(page).__name__}")
                if not page:
                    return
                stats.pages += 1
                stats.rows += len(page)
                last_page = len(page) < self.page_size
                after = (page[-1][":updated_at"], page[-1][":id"])
                yield page
                del page  # the caller has it: memory holds one page, not two, during the next request
                if last_page:
                    return
