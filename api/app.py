"""The read API over the marts (docs/api.md): `create_app(reader)` is the FastAPI application.

Every route reads the warehouse through `reader` (warehouse.reader: DuckDB or Redshift) with the SQL of
api.queries; lists page by keyset cursor and download as CSV or Parquet (api.downloads); every text a
person reads is in the request's language (`lang`, Spanish by default)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import orjson
from fastapi import APIRouter, Depends, FastAPI, Path, Query
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from fastapi_offline import FastAPIOffline

from api import cursor, queries
from api.documents import entity_keys, supplier_keys
from api.downloads import BATCH_ROWS, FORMATS, STREAMS, Items, filename
from api.errors import ERROR_RESPONSES, ApiError, install_error_handlers, quoted
from api.flag_list import FlagList
from api.items import (
    ALERT_FIELDS,
    FLAG_FIELDS,
    alert_item,
    award_item,
    flag_item,
    indicator_item,
    plain_row,
    profile_lines,
)
from api.queries import MAX_PAGE_SIZE
from texts import DEFAULT_LANGUAGE, LANGUAGES, indicator_name
from warehouse.reader import WarehouseReader

PREFIX = "/api/v1"
DEFAULT_PAGE_SIZE = 100
MAX_DOWNLOAD_ROWS = 2_000_000  # rows in one CSV or Parquet download; more asks for narrower filters
PLACES_SECONDS = 60.0  # how long the spellings of departments and municipalities are kept
# The columns of an indicator summary download after the names.
SUMMARY_FIELDS = [
    "run_date",
    "flagged_units",
    "flagged_awards",
    "flagged_amount",
    "flagged_excess_amount",
    "total_awards",
    "unit",
    "is_evaluated",
    "not_evaluated_reason",
    "not_evaluated_evidence",
]

Lang = Annotated[Literal[LANGUAGES], Query(description="Language of the texts: es (Spanish, default) or en.")]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Rows per page, at most {MAX_PAGE_SIZE}.")]
Cursor = Annotated[str | None, Query(description="The `next_cursor` of the previous page; none for the first.")]
Format = Annotated[
    Literal["json", "csv", "parquet"],
    Query(description="json: a page; csv or parquet: every row of the list (filters apply, not paging), streamed."),
]
Order = Annotated[Literal["desc", "asc"], Query(description="Sort direction.")]
Year = Annotated[int | None, Query(ge=2000, le=2100, description="Awards of this year only.")]
PartySort = Annotated[
    Literal["flags", "flagged_value", "value", "risk"],
    Query(description="Flags, value of the flagged awards, value awarded, or risk score (over all its awards)."),
]
Place = Annotated[str | None, Query(max_length=100, description="Of the award; any case, with or without accents.")]


@dataclass(frozen=True)
class ListRequest:
    """What every list takes besides its filters and sort: paging, format and language."""

    page_size: int
    cursor: str | None
    format: str
    lang: str


def list_request(
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
    format: Format = "json",
    lang: Lang = DEFAULT_LANGUAGE,
) -> ListRequest:
    return ListRequest(page_size, cursor, format, lang)


Listing = Annotated[ListRequest, Depends(list_request)]
Item = Callable[[Mapping[str, Any]], dict[str, Any]]


Read = Callable[[queries.Query], list[dict[str, Any]]]


@dataclass(frozen=True)
class ListSpec:
    """One list: its name (in cursors and file names), its query from (cursor values, limit), its order as
    requested, the item a row becomes, the item's fields in a download, and what runs its queries."""

    name: str
    build: Callable[[list | None, int | None], queries.Query]
    order: queries.Order
    sort: str
    direction: str
    item: Item
    fields: list[str]
    read: Read

    def after(self, row: Mapping[str, Any]) -> list[object]:
        """The cursor values of `row`: the list goes on after it."""
        return [row["sort_value"], *[row[key.split(".")[-1]] for key in self.order.keys]]


class JSON(Response):
    """orjson's JSON. A route returns it itself: FastAPI then skips its own encoding of the answer
    (jsonable_encoder walks every value in Python), the items being plain JSON values already."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def create_app(
    reader: WarehouseReader,
    max_download_rows: int = MAX_DOWNLOAD_ROWS,
    batch_rows: int = BATCH_ROWS,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]] | None = None,
) -> FastAPI:
    """The API over `reader`'s marts; a download of more than `max_download_rows` rows is refused (422), the
    others read `batch_rows` at a time. `lifespan` runs around the server's life (api.__main__ closes the
    reader at its end)."""
    app = FastAPIOffline(
        title="SECOP red flags",
        version="1",
        description=(
            "Corruption red flags in Colombian public procurement (SECOP II): flagged contracts with the evidence "
            "and reason of each flag, entity and supplier profiles, live alerts, indicator summaries. Every list "
            "also downloads as CSV or Parquet. Texts in Spanish (`lang=es`, default) or English (`lang=en`)."
        ),
        default_response_class=JSON,
        redoc_url=None,
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.include_router(_router(_Warehouse(reader, max_download_rows, batch_rows)))

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/docs")

    return app


class _Warehouse:
    """The reader, the flag list (api.flag_list), the download limit and batch size, the indicator ids (read
    once) and the places' spellings (read again after PLACES_SECONDS: a build may bring new ones)."""

    def __init__(self, reader: WarehouseReader, max_download_rows: int, batch_rows: int) -> None:
        self.reader = reader
        self.flag_list = FlagList(reader)
        self.max_download_rows = max_download_rows
        self.batch_rows = batch_rows
        self._indicators: tuple[str, ...] = ()
        self._places: dict[str, tuple[float, dict[str, tuple[str, ...]]]] = {}
        self._lock = threading.Lock()

    def rows(self, query: queries.Query) -> list[dict[str, Any]]:
        return self.reader.rows(query.sql, query.params)

    def indicators(self) -> tuple[str, ...]:
        with self._lock:
            if not self._indicators:
                self._indicators = tuple(row["indicator_id"] for row in self.rows(queries.INDICATOR_IDS))
            return self._indicators

    def places(self, column: str, name: str | None) -> queries.Places:
        """The spellings of the place `name` in the awards' `column` (compared folded); None for no filter."""
        if name is None:
            return None
        with self._lock:
            read_at, spellings = self._places.get(column, (0.0, {}))
            if time.monotonic() - read_at > PLACES_SECONDS:
                spellings = {}
                for row in self.rows(queries.place_spellings(column)):
                    folded = queries.fold(row["place"])
                    spellings[folded] = (*spellings.get(folded, ()), row["place"])
                self._places[column] = (time.monotonic(), spellings)
        return spellings.get(queries.fold(name)) or (name,)  # a place no award names: nothing matches

    def checked_indicator(self, value: str | None) -> str | None:
        if value is not None and value not in self.indicators():
            raise ApiError(
                422, "unknown_indicator", "indicator", value=quoted(value), choices=", ".join(self.indicators())
            )
        return value

    def answer(self, spec: ListSpec, request: ListRequest) -> Any:
        """A page of the list, or the whole list as a download."""
        if request.format != "json":
            [counted] = spec.read(queries.count(spec.build(None, None)))
            return self.download(
                spec.name, counted["row_count"], self.keyset_batches(spec), request.format, spec.fields
            )
        return JSON(self.page(spec, request))

    def keyset_batches(self, spec: ListSpec) -> Items:
        """Every item of the list, `batch_rows` at a time, each batch the page after the last (a top-N per batch
        instead of one sort of every row: memory stays flat)."""
        after = None
        while True:
            rows = spec.read(spec.build(after, self.batch_rows))
            if rows:
                yield [spec.item(row) for row in rows]
            if len(rows) < self.batch_rows:
                return
            after = spec.after(rows[-1])

    def page(self, spec: ListSpec, request: ListRequest) -> dict[str, Any]:
        """One page of a list and the cursor of the next (None after the last)."""
        after = None
        if request.cursor is not None:
            try:
                after = cursor.decode(request.cursor, spec.name, spec.sort, spec.direction, spec.order.types)
            except cursor.BadCursor:
                raise ApiError(422, "bad_cursor", "cursor") from None
        rows = spec.read(spec.build(after, request.page_size + 1))
        more = len(rows) > request.page_size
        rows = rows[: request.page_size]
        next_cursor = cursor.encode(spec.name, spec.sort, spec.direction, spec.after(rows[-1])) if more else None
        return {
            "items": [spec.item(row) for row in rows],
            "next_cursor": next_cursor,
            "page_size": request.page_size,
            "sort": spec.sort,
            "order": spec.direction,
        }

    def download(
        self, list_name: str, rows: int, batches: Items, file_format: str, fields: list[str]
    ) -> StreamingResponse:
        """`batches`, a list of `rows` items, as a streamed CSV or Parquet file (refused beyond the download
        limit)."""
        if rows > self.max_download_rows:
            raise ApiError(422, "too_many_rows", None, rows=rows, limit=self.max_download_rows)
        stream = STREAMS[file_format](batches, fields)
        headers = {"Content-Disposition": f'attachment; filename="{filename(list_name, file_format)}"'}
        return StreamingResponse(stream, media_type=FORMATS[file_format], headers=headers)


def _party_key(party: queries.Party, raw: str, parameter: str) -> list[str]:
    keys = supplier_keys(raw) if party is queries.SUPPLIER else entity_keys(raw)
    if not keys:
        code = "malformed_document" if party is queries.SUPPLIER else "malformed_nit"
        raise ApiError(422, code, parameter, value=quoted(raw))
    return keys


def _checked_dates(date_from: date | None, date_to: date | None) -> None:
    if date_from is not None and date_to is not None and date_from > date_to:
        raise ApiError(422, "bad_date_range", "date_from", date_from=date_from, date_to=date_to)


def _router(warehouse: _Warehouse) -> APIRouter:
    router = APIRouter(prefix=PREFIX, responses=ERROR_RESPONSES)

    @router.get("/indicators", tags=["indicators"], summary="Indicators and their summary of a run date")
    def indicators(
        run_date: Annotated[date | None, Query(description="A run date (YYYY-MM-DD); the latest by default.")] = None,
        format: Format = "json",
        lang: Lang = DEFAULT_LANGUAGE,
    ) -> Any:
        run_dates = [row["run_date"] for row in warehouse.rows(queries.RUN_DATES)]
        chosen = run_date or (run_dates[0] if run_dates else None)
        if run_date is not None and run_date not in run_dates:
            choices = ", ".join(day.isoformat() for day in run_dates)
            raise ApiError(404, "unknown_run_date", "run_date", run_date=run_date, choices=choices)
        query = queries.indicator_summary(chosen or date.min)
        item = lambda row: indicator_item(row, lang)  # noqa: E731
        if format != "json":
            fields = ["indicator_id", "indicator_name", "indicator_group", "group_name", *SUMMARY_FIELDS]
            items = [item(row) for row in warehouse.rows(query)]
            return warehouse.download(f"indicators_{chosen}", len(items), [items], format, fields)
        return JSON(
            {
                "run_date": chosen,
                "run_dates": run_dates,
                "indicators": [item(row) for row in warehouse.rows(query)] if chosen else [],
            }
        )

    @router.get(
        "/flags", tags=["flags"], summary="Flagged contracts: one row per (award, indicator), filtered, sorted, paged"
    )
    def flags(
        request: Listing,
        indicator: Annotated[str | None, Query(description="An indicator id (GET /indicators).")] = None,
        entity: Annotated[str | None, Query(description="The buying entity's NIT, any spelling.")] = None,
        supplier: Annotated[
            str | None, Query(description="The supplier's document, any spelling, or its SECOP:/NAME: key.")
        ] = None,
        department: Place = None,
        municipality: Place = None,
        date_from: Annotated[date | None, Query(description="Awarded on or after (YYYY-MM-DD).")] = None,
        date_to: Annotated[date | None, Query(description="Awarded on or before (YYYY-MM-DD).")] = None,
        min_risk: Annotated[float | None, Query(ge=0, le=1, description="The award's risk score at least.")] = None,
        sort: Annotated[
            Literal["risk", "date", "value"], Query(description="risk score, award date or value.")
        ] = "risk",
        order: Order = "desc",
    ) -> Any:
        _checked_dates(date_from, date_to)
        filters = queries.FlagFilters(
            indicator=warehouse.checked_indicator(indicator),
            entity_key=_party_key(queries.ENTITY, entity, "entity")[0] if entity is not None else None,
            supplier_key=_party_key(queries.SUPPLIER, supplier, "supplier")[0] if supplier is not None else None,
            department=warehouse.places("department", department),
            municipality=warehouse.places("municipality", municipality),
            date_from=date_from,
            date_to=date_to,
            min_risk=min_risk,
        )
        keyset = queries.flag_order(sort, order == "desc")
        spec = ListSpec(
            "flags",
            lambda after, limit: queries.flags(filters, keyset, after, limit),
            keyset,
            sort,
            order,
            lambda row: flag_item(row, request.lang),
            list(FLAG_FIELDS),
            warehouse.flag_list.rows,
        )
        return warehouse.answer(spec, request)

    @router.get(
        "/contracts/{award_key}", tags=["flags"], summary="One award: its risk, its flags with reasons, its process"
    )
    def contract(
        award_key: Annotated[str, Path(max_length=200, description="fct_contract_risk.award_key")],
        lang: Lang = DEFAULT_LANGUAGE,
    ) -> Any:
        found = warehouse.rows(queries.award(award_key))
        if not found:
            raise ApiError(404, "unknown_award", "award_key", key=quoted(award_key))
        process = warehouse.rows(queries.award_process(award_key))
        return JSON(
            {
                "award": award_item(found[0]),
                "flags": [flag_item(row, lang) for row in warehouse.rows(queries.award_flags(award_key))],
                "process": {
                    "process_id": process[0]["process_id"] if process else None,
                    "awards": [award_item({k: v for k, v in row.items() if k != "process_id"}) for row in process],
                },
            }
        )

    def profile(party: queries.Party, document: str, lang: str) -> dict[str, Any]:
        keys = _party_key(party, document, "document")
        found = {row[party.key]: row for row in warehouse.rows(queries.party(party, keys))}
        key = next((key for key in keys if key in found), None)  # the most likely key that exists
        if key is None:
            raise ApiError(404, f"unknown_{party.kind}", "document", document=quoted(document), key=keys[0])
        lines = profile_lines(party, warehouse.rows(queries.party_profile(party, key)))
        return {
            party.kind: plain_row(found[key]),
            "flags_by_indicator": [
                {**row, "indicator_name": indicator_name(row["indicator_id"], lang)} for row in lines["indicator"]
            ],
            "riskiest_awards": [award_item(row) for row in lines["award"]],
            party.counterparts: lines["counterpart"],
            "flags_url": f"{PREFIX}/flags?{urlencode({party.kind: key})}",
        }

    def party_routes(party: queries.Party, plural: str, who: str, document_words: str) -> None:
        """A party's profile and the list of them: one declaration for entities and suppliers."""

        @router.get(
            f"/{plural}/{{document}}", tags=[plural], summary=f"{who}'s profile, by {document_words} in any spelling"
        )
        def one(document: Annotated[str, Path(max_length=200)], lang: Lang = DEFAULT_LANGUAGE) -> Any:
            return JSON(profile(party, document, lang))

        @router.get(
            f"/{plural}",
            tags=[plural],
            summary=f"{plural.capitalize()} with the totals of their awards, most flagged first",
        )
        def listed(
            request: Listing,
            department: Place = None,
            municipality: Place = None,
            year: Year = None,
            sort: PartySort = "flags",
            order: Order = "desc",
        ) -> Any:
            places = warehouse.places("department", department), warehouse.places("municipality", municipality)
            filters = queries.PartyFilters(*places, year)
            keyset = queries.party_order(party, sort, order == "desc")
            spec = ListSpec(
                f"{party.kind}_list",
                lambda after, limit: queries.parties(party, filters, keyset, after, limit),
                keyset,
                sort,
                order,
                plain_row,
                list(party.list_fields),
                warehouse.rows,
            )
            return warehouse.answer(spec, request)

    party_routes(queries.ENTITY, "entities", "A buying entity", "its NIT")
    party_routes(queries.SUPPLIER, "suppliers", "A supplier", "its document")

    @router.get("/alerts", tags=["alerts"], summary="Live alerts in detection order, since a cursor or a time")
    def alerts(
        request: Listing,
        since: Annotated[datetime | None, Query(description="Detected at or after (YYYY-MM-DDTHH:MM:SS).")] = None,
    ) -> Any:
        since_text = since.isoformat() if since is not None else None
        spec = ListSpec(
            "alerts",
            lambda after, limit: queries.alerts(since_text, after, limit),
            queries.ALERT_ORDER,
            "detected_at",
            "asc",
            lambda row: alert_item(row, request.lang),
            list(ALERT_FIELDS),
            warehouse.rows,
        )
        if request.format != "json":
            return warehouse.answer(spec, request)
        page = warehouse.page(spec, request)  # polling goes on from its last alert, or from where it started
        page["next_cursor"] = page["next_cursor"] or _last_cursor(page["items"]) or request.cursor
        return JSON(page)

    return router


def _last_cursor(items: list[dict[str, Any]]) -> str | None:
    """The cursor after the last alert of a page: polling with it returns only alerts detected later."""
    if not items:
        return None
    last = items[-1]
    return cursor.encode("alerts", "detected_at", "asc", [last["detected_at"], last["award_key"], last["indicator_id"]])
