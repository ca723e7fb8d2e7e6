"""Keyset cursors: where a page ended, as an opaque token the next request hands back.

A cursor is base64url JSON `{"list", "sort", "order", "after": [sort value, key...]}`. It carries no
secret; it is validated strictly instead: the list, sort and order must be the request's, and each value
must have its column's type, so a forged cursor can only move the start of a page (every value is bound
as a `?` parameter anyway).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

MAX_CURSOR_CHARS = 2_000
_DECIMAL = re.compile(r"-?[0-9]{1,32}(\.[0-9]{1,6})?")


class BadCursor(ValueError):
    """The cursor is not one this list, sort and order produced."""


def encoded_value(value: Any) -> str | int:
    """A sort or key value as JSON keeps it exactly (decimals and dates as text)."""
    if isinstance(value, bool) or value is None:
        raise TypeError(f"not a keyset value: {value!r}")
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (int, str)):
        return value
    raise TypeError(f"not a keyset value: {value!r}")


def encode(list_name: str, sort: str, order: str, after: list[Any]) -> str:
    body = {"list": list_name, "sort": sort, "order": order, "after": [encoded_value(v) for v in after]}
    raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def checked_value(value: object, sql_type: str) -> str | int:
    """`value` when it is a valid literal of `sql_type` (decimal, bigint, date, timestamp, text); else BadCursor."""
    kind = sql_type.split("(")[0]
    if kind == "bigint":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif isinstance(value, str):
        if kind == "decimal" and _DECIMAL.fullmatch(value):
            return value
        if kind == "date" and _parses(date.fromisoformat, value):
            return value
        if kind == "timestamp" and _parses(datetime.fromisoformat, value):
            return value
        if kind == "text" and len(value) <= 1_000:
            return value
    raise BadCursor(f"a cursor value is not a {sql_type}")


def _parses(parse: Any, value: str) -> bool:
    try:
        parse(value)
    except ValueError:
        return False
    return True


def decode(cursor: str, list_name: str, sort: str, order: str, types: list[str]) -> list[str | int]:
    """The `after` values of `cursor`, each checked against its column's SQL type; BadCursor otherwise."""
    if len(cursor) > MAX_CURSOR_CHARS or not re.fullmatch(r"[A-Za-z0-9_-]+", cursor):
        raise BadCursor("not a cursor")
    try:
        body = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise BadCursor("not a cursor") from None
    if not isinstance(body, dict) or set(body) != {"list", "sort", "order", "after"}:
        raise BadCursor("not a cursor")
    if (body["list"], body["sort"], body["order"]) != (list_name, sort, order):
        raise BadCursor("a cursor of another list or order")
    after = body["after"]
    if not isinstance(after, list) or len(after) != len(types):
        raise BadCursor("a cursor of another list")
    return [checked_value(value, sql_type) for value, sql_type in zip(after, types, strict=True)]
