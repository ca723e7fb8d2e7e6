"""Every error the API answers, as `{"error": {"status", "code", "parameter", "message"}}` with the message in
the request's language (texts/api.yml): 404 for an unknown award, entity, supplier or path, 422 for any bad
parameter (typed parameters checked by FastAPI included), 503 when the warehouse does not answer."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from texts import DEFAULT_LANGUAGE, LANGUAGES, text
from warehouse.reader import WarehouseUnavailable

MAX_QUOTED_CHARS = 80  # a user's value is quoted back at most this long


class ErrorDetail(BaseModel):
    status: int
    code: str
    parameter: str | None
    message: str


class ErrorAnswer(BaseModel):
    """The body of every 4xx and 5xx (for the OpenAPI description)."""

    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorAnswer, "description": "Unknown award, entity, supplier, run date or path"},
    422: {"model": ErrorAnswer, "description": "A parameter that is not valid (the message says which and why)"},
    503: {"model": ErrorAnswer, "description": "The warehouse does not answer"},
}


class ApiError(Exception):
    """An answer other than 200: its status and the texts/api.yml template `code` with its fields."""

    def __init__(self, status: int, code: str, parameter: str | None = None, **fields: Any) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.parameter = parameter
        self.fields = {"parameter": parameter, **fields}


def quoted(value: Any) -> str:
    shown = str(value)
    return repr(shown if len(shown) <= MAX_QUOTED_CHARS else shown[:MAX_QUOTED_CHARS] + "…")


def request_language(request: Request) -> str:
    lang = request.query_params.get("lang")
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def error_response(status: int, code: str, lang: str, parameter: str | None = None, **fields: Any) -> JSONResponse:
    message = text(f"api.{code}", lang, parameter=parameter, **fields)
    body = {"status": status, "code": code, "parameter": parameter, "message": message}
    return JSONResponse({"error": body}, status_code=status)


def _validation_error(error: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A FastAPI (pydantic) parameter error as a texts/api.yml template and its fields."""
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    value = quoted(error.get("input"))
    if kind == "less_than_equal" and error["loc"][-1] == "page_size":
        return "page_size_too_large", {"value": value, "limit": context.get("le")}
    if kind in ("less_than_equal", "less_than"):
        return "too_large", {"value": value, "limit": context.get("le", context.get("lt"))}
    if kind in ("greater_than_equal", "greater_than"):
        return "too_small", {"value": value, "limit": context.get("ge", context.get("gt"))}
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(context.get("expected", "")))
        return "bad_choice", {"value": value, "choices": ", ".join(choices)}
    if kind.startswith("date_"):
        return "bad_date", {"value": value}
    if kind.startswith("datetime_"):
        return "bad_timestamp", {"value": value}
    if kind in ("int_parsing", "float_parsing", "int_from_float", "finite_number"):
        return "not_a_number", {"value": value}
    return "bad_parameter", {"value": value, "detail": error.get("msg", kind)}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> JSONResponse:
        return error_response(error.status, error.code, request_language(request), **error.fields)

    @app.exception_handler(RequestValidationError)
    async def invalid_parameter(request: Request, error: RequestValidationError) -> JSONResponse:
        lang = request_language(request)
        first, *_ = error.errors()
        code, fields = _validation_error(first)
        return error_response(422, code, lang, parameter=str(first["loc"][-1]), **fields)

    @app.exception_handler(StarletteHTTPException)
    async def unknown_path(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 404:
            return error_response(404, "not_found", request_language(request), path=quoted(request.url.path))
        return JSONResponse({"error": {"status": error.status_code, "message": error.detail}}, error.status_code)

    @app.exception_handler(WarehouseUnavailable)
    async def warehouse_down(request: Request, error: WarehouseUnavailable) -> JSONResponse:
        return error_response(503, "warehouse_unavailable", request_language(request))
