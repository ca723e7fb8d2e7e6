"""Served rows (the dicts of a Socrata JSON page): checked, then made an Arrow table of strings at C speed.

A page is checked before anything of it is used: every row a JSON object with an `:id` and an
`:updated_at` Socrata timestamp, in order, none more than a day ahead (it would become the watermark).

Every value stays as served: strings as they are, any other JSON value (the `{"url": ...}` objects,
booleans, numbers) as compact JSON text. The common case, string values under known field names,
converts in one call through an Arrow struct; a page that breaks that assumption takes a slower path
that handles anything. A served field that could clash with a system column (any name starting with
`_`) or with another column but for case (any name not in lower case: Spark resolves names
case-insensitively) is renamed `served__<name in lower case>` and reported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from functools import reduce
from json.encoder import encode_basestring  # the C encoder, same output as json.dumps(ensure_ascii=False)

import pyarrow as pa
import pyarrow.compute as pc

from orchestration.http import PortalError

SYSTEM_FIELDS = {":id": "_row_id", ":updated_at": "_source_updated_at", ":created_at": "_source_created_at"}
IGNORED_FIELDS = (":version",)  # served by `$select=:*` on some back ends; not part of the raw contract
RENAMED_PREFIX = "served__"  # a served field renamed so it clashes with no other column
# Socrata's system timestamps: UTC, millisecond precision, `Z`; so text order is time order.
SOCRATA_TIMESTAMP = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z")
CLOCK_SKEW = timedelta(days=1)  # how far ahead of our clock a served `:updated_at` may be


def latest_acceptable_timestamp() -> str:
    """The latest `:updated_at` taken as true: now plus the clock skew, as Socrata writes timestamps."""
    return (datetime.now(timezone.utc) + CLOCK_SKEW).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def check_rows(rows: list, where: str) -> None:
    """A PortalError naming `where` and the row unless every row is a JSON object with a non-empty `:id`
    and a valid `:updated_at`, in `:updated_at` order, no later than `latest_acceptable_timestamp()`."""
    latest, previous = latest_acceptable_timestamp(), ""
    for position, row in enumerate(rows, 1):
        problem = _row_problem(row, previous, latest)
        if problem:
            raise PortalError(f"{where}, row {position}: {problem}")
        previous = row[":updated_at"]


def _row_problem(row: object, previous: str, latest: str) -> str | None:
    if type(row) is not dict:
        return f"a JSON {type(row).__name__}, not an object"
    row_id, updated_at = row.get(":id"), row.get(":updated_at")
    if type(row_id) is not str or not row_id:
        return "no :id string"
    if type(updated_at) is not str or not SOCRATA_TIMESTAMP.fullmatch(updated_at):
        return "no :updated_at timestamp like 2024-01-31T12:00:00.000Z"
    if updated_at > latest:
        return f":updated_at {updated_at} is more than {CLOCK_SKEW.days} day ahead of this clock"
    if updated_at < previous:
        return f":updated_at {updated_at} is earlier than the row before ({previous}): not in :updated_at order"
    return None


def compact_json(value: object) -> str | None:
    """A served value as text: strings unchanged, anything else as compact JSON."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("url"), str):
        return '{"url":' + encode_basestring(value["url"]) + "}"
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _stringify(rows: list[dict], field_name: str) -> None:
    """Replace non-string values of one field by their JSON text, in place (the hot loop of a url column)."""
    encode = encode_basestring
    for row in rows:
        value = row.get(field_name)
        if value is None or value.__class__ is str:
            continue
        if value.__class__ is dict and len(value) == 1 and value.get("url").__class__ is str:
            row[field_name] = '{"url":' + encode(value["url"]) + "}"
        else:
            row[field_name] = compact_json(value)


def _slow_table(rows: list[dict], names: Sequence[str]) -> pa.Table:
    return pa.table({name: pa.array([compact_json(row.get(name)) for row in rows], pa.string()) for name in names})


def committed_names(served: Sequence[str], fields: Sequence[str]) -> dict[str, str]:
    """New names of the served fields (beyond `fields`) that cannot be committed as served, old to new.

    A name starting with `_` is the system columns' space; a name not in lower case could meet its twin
    (`ID_CONTRATO` beside `id_contrato`), in this page or a later one, and Spark, resolving names
    case-insensitively, would refuse both. Such a field becomes `served__<name in lower case>`, numbered
    if that is taken: every committed name is then lower case, so no two can differ only by case.
    """
    plain = [name for name in served if name == name.lower() and not name.startswith("_")]
    taken = {name.lower() for name in [*fields, *SYSTEM_FIELDS.values(), *plain]}
    renamed = {}
    for name in sorted(set(served) - set(plain)):
        committed = base = RENAMED_PREFIX + name.lower().lstrip("_")
        number = 1
        while committed in taken:
            number += 1
            committed = f"{base}_{number}"
        renamed[name] = committed
        taken.add(committed)
    return renamed


def served_table(
    rows: list[dict], fields: Sequence[str], json_fields: Sequence[str] = (), own_fields: Sequence[str] = ()
) -> tuple[pa.Table, dict[str, str]]:
    """Columns `fields`, then any other field served, then `_row_id`, `_source_updated_at`, `_source_created_at`;
    and the served fields renamed (see `committed_names`), old name to new.

    `json_fields` are fields known to hold objects (the catalogue's url columns): they are turned into
    JSON text before the conversion. `own_fields` are system columns the caller put in the rows itself
    (a file row's `_overflow`): kept as they are. A field no row carries is an all-null column.
    """
    for name in json_fields:
        _stringify(rows, name)
    names = [*fields, *SYSTEM_FIELDS, *IGNORED_FIELDS]
    struct = pa.struct([(name, pa.string()) for name in names])
    try:
        table = pa.Table.from_struct_array(pa.array(rows, type=struct))
    except (pa.ArrowTypeError, pa.ArrowInvalid):  # a non-string value somewhere else
        table = _slow_table(rows, names)
    # A row with more keys than known non-null values carries a field we did not ask for.
    known = reduce(pc.add, (pc.cast(pc.is_valid(table.column(name)), pa.int32()) for name in names))
    renamed: dict[str, str] = {}
    if pc.any(pc.greater(pa.array([len(row) for row in rows], pa.int32()), known)).as_py():
        served = sorted(k for k in set().union(*rows) - set(names) if not k.startswith(":"))
        renamed = committed_names([name for name in served if name not in own_fields], [*fields, *own_fields])
        others = _slow_table(rows, served)
        ordered = [*fields, *others.column_names, *SYSTEM_FIELDS]
        columns = {name: table.column(name) for name in names} | {n: others.column(n) for n in others.column_names}
        table = pa.table({name: columns[name] for name in ordered})
    table = table.drop_columns([name for name in IGNORED_FIELDS if name in table.column_names])
    system = {**SYSTEM_FIELDS, **renamed}
    return table.rename_columns([system.get(name, name) for name in table.column_names]), renamed
