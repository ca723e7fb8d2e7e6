"""A Socrata (SODA 2.1) client on `requests`: keyset paging, watermarks, retries (docs/socrata.md).

Every request goes through the shared policy of `orchestration.http` (deadline, size cap, same-host
redirects only, errors without secrets). What the portal serves is checked before it is used: JSON
(an HTML page served as 200 fails at once), rows with valid system fields, and paging that moves forward.
"""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import requests
from pydantic import Field

from orchestration.http import (
    BadAnswer,
    BrokenBody,
    PortalError,
    PullStats,
    RetryingHttpResource,
    checked_token,
    checked_url,
    printable,
)
from orchestration.served_rows import check_rows

KEYSET_ORDER = ":updated_at,:id"
TOKEN_VARIABLE = "SECOP_APP_TOKEN"
URL_VARIABLE = "SECOP_SOCRATA_URL"


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

    def secrets(self) -> tuple[str, ...]:
        return (self.app_token,) if self.app_token else ()

    def _get_json(self, path: str, params: dict, what: str, stats: PullStats):
        headers = {"Accept": "application/json"}
        if self.app_token:
            headers["X-App-Token"] = checked_token(self.app_token, TOKEN_VARIABLE)
        url = f"{checked_url(self.base_url, URL_VARIABLE).rstrip('/')}{path}"

        def read(response: requests.Response):
            content_type = printable(response.headers.get("Content-Type", ""), 60)
            if "json" not in content_type.lower():
                raise BadAnswer(f"answered {content_type or 'no Content-Type'}, not JSON (an error page?)")
            body = self.body(response)
            try:
                parsed = orjson.loads(body)
            except orjson.JSONDecodeError:
                raise BrokenBody("malformed or truncated JSON body") from None
            stats.bytes += len(body)
            return parsed

        try:
            return self.request("GET", url, read, what, stats, params=params, headers=headers)
        except PortalError as exc:
            if exc.status in (401, 403) and self.app_token:
                raise PortalError(f"{exc} (the app token in {TOKEN_VARIABLE} was refused)", exc.status) from None
            raise

    def _rows(self, dataset_id: str, params: dict, what: str, stats: PullStats) -> list:
        page = self._get_json(f"/resource/{dataset_id}.json", params, what, stats)
        if not isinstance(page, list):
            raise PortalError(f"{what}: expected a JSON array of rows, got a JSON {type(page).__name__}")
        return page

    def metadata(self, dataset_id: str) -> dict:
        """The dataset's description (`/api/views/<id>.json`); a PortalError with status 404 if it is not
        published."""
        what = f"Socrata dataset {dataset_id} metadata"
        body = self._get_json(f"/api/views/{dataset_id}.json", {}, what, PullStats())
        if not _is_view(body):
            raise PortalError(f"{what}: not a Socrata view (an object with columns[].fieldName, rowsUpdatedAt)")
        return body

    def count(self, dataset_id: str, where: str | None = None, stats: PullStats | None = None) -> int:
        """How many rows (matching `where`) the dataset has: one `count(*)` request."""
        what = f"Socrata dataset {dataset_id} count"
        params = {"$select": "count(*) AS n", **({"$where": where} if where else {})}
        rows = self._rows(dataset_id, params, what, stats or PullStats())
        value = rows[0].get("n") if len(rows) == 1 and isinstance(rows[0], dict) else None
        if isinstance(value, str) and value.isascii() and value.isdigit():
            return int(value)
        if type(value) is int and value >= 0:
            return value
        raise PortalError(f"{what}: expected one row with a count, got something else")

    def changes_after(self, dataset_id: str, after: tuple[str, str] | None) -> tuple[int, tuple[str, str] | None]:
        """How many rows changed after the (`:updated_at`, `:id`) position, and the newest one's position
        (all rows when `after` is None). Two small requests: what a poll costs."""
        where = keyset_where(None, after) if after else None
        stats = PullStats()
        counted = self.count(dataset_id, where, stats)
        params = {"$select": ":id,:updated_at", "$order": ":updated_at DESC,:id DESC", "$limit": "1"}
        what = f"Socrata dataset {dataset_id} newest row"
        newest = self._rows(dataset_id, {**params, **({"$where": where} if where else {})}, what, stats)
        check_rows(newest[:1], what)
        return counted, ((newest[0][":updated_at"], newest[0][":id"]) if newest else None)

    def pages(self, dataset_id: str, since: str | None, stats: PullStats) -> Iterator[list[dict]]:
        """Every row with `:updated_at >= since` (all rows if None), in (`:updated_at`, `:id`) order.

        Keyset paging: each request asks for rows after the last one received, so deep pages cost
        the same as the first and rows updated during the pull move to the end instead of being skipped.
        Each page is checked (`check_rows`) and must move forward: a PortalError otherwise, before the
        page is handed on.
        """
        after: tuple[str, str] | None = None
        progress = _Progress(f"Socrata dataset {dataset_id}")
        while True:
            params = {"$select": ":*,*", "$order": KEYSET_ORDER, "$limit": str(self.page_size)}
            where = keyset_where(since, after)
            if where:
                params["$where"] = where
            what = f"Socrata dataset {dataset_id}, page {stats.pages + 1}"
            page = self._rows(dataset_id, params, what, stats)
            if not page:
                return
            check_rows(page, what)
            floor = after[0] if after else since
            if floor and page[0][":updated_at"] < floor:
                raise PortalError(f"{what}: starts before the rows asked for (the portal ignores $where); stopped")
            after = (page[-1][":updated_at"], page[-1][":id"])
            progress.check(after)
            stats.pages += 1
            stats.rows += len(page)
            last_page = len(page) < self.page_size
            yield page
            del page  # the caller has it: this generator holds no page of its own during the next request
            if last_page:
                return

    def row_ids(self, dataset_id: str, stats: PullStats) -> Iterator[list[str]]:
        """Every `:id` of the dataset, a page at a time, no values: keyset paging on `:id`."""
        progress = _Progress(f"Socrata dataset {dataset_id} row ids")
        last: str | None = None
        while True:
            params = {"$select": ":id", "$order": ":id", "$limit": str(self.page_size)}
            if last is not None:
                params["$where"] = f":id > {_soql_literal(last)}"
            what = f"Socrata dataset {dataset_id} row ids, page {stats.pages + 1}"
            page = self._rows(dataset_id, params, what, stats)
            ids = [row.get(":id") if isinstance(row, dict) else None for row in page]
            if not all(isinstance(row_id, str) and row_id for row_id in ids):
                raise PortalError(f"{what}: a row without an :id string")
            if not ids:
                return
            last = ids[-1]
            progress.check(last)
            stats.pages += 1
            stats.rows += len(ids)
            yield ids
            if len(ids) < self.page_size:
                return


def _is_view(body: object) -> bool:
    """The parts of a view's metadata the pipeline reads have the types it expects."""
    if not isinstance(body, dict) or body.get("rowsUpdatedAt") is not None and type(body["rowsUpdatedAt"]) is not int:
        return False
    columns = body.get("columns", [])
    return isinstance(columns, list) and all(
        isinstance(c, dict) and isinstance(c.get("fieldName"), str) for c in columns
    )


class _Progress:
    """Keyset paging must move: a page ending where an earlier one ended means the portal ignored the
    keyset `$where` (it would serve the same rows forever). The portal's own order of `:id` values is not
    assumed to be Python's, so a position is compared for repetition, not size."""

    def __init__(self, what: str):
        self.what, self.seen = what, set()

    def check(self, position: object) -> None:
        if position in self.seen:
            raise PortalError(
                f"{self.what}: page {len(self.seen) + 1} ends where an earlier page ended: the portal does not "
                "page forward (it ignores the keyset $where); stopped"
            )
        self.seen.add(position)
