"""Served rows (the dicts of a Socrata JSON page) as an Arrow table of strings, at C speed.

Every value stays as served: strings as they are, any other JSON value (the `{"url": ...}` objects,
booleans, numbers) as compact JSON text. The common case, string values under known field names,
converts in one call through an Arrow struct; a page that breaks that assumption takes a slower path
that handles anything.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import reduce
from json.encoder import encode_basestring  # the C encoder, same output as json.dumps(ensure_ascii=False)

import pyarrow as pa
import pyarrow.compute as pc

SYSTEM_FIELDS = {":id": "_row_id", ":updated_at": "_source_updated_at", ":created_at": "_source_created_at"}
IGNORED_FIELDS = (":version",)  # served by `$select=:*` on some back ends; not part of the raw contract


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


def served_table(rows: list[dict], fields: Sequence[str], json_fields: Sequence[str] = ()) -> pa.Table:
    """Columns `fields`, then any other field served, then `_row_id`, `_source_updated_at`, `_source_created_at`.

    `json_fields` are fields known to hold objects (the catalogue's url columns): they are turned into
    JSON text before the conversion. A field no row carries is an all-null column.
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
    if pc.any(pc.greater(pa.array([len(row) for row in rows], pa.int32()), known)).as_py():
        others = _slow_table(rows, sorted(k for k in set().union(*rows) - set(names) if not k.startswith(":")))
        ordered = [*fields, *others.column_names, *SYSTEM_FIELDS]
        columns = {name: table.column(name) for name in names} | {n: others.column(n) for n in others.column_names}
        table = pa.table({name: columns[name] for name in ordered})
    table = table.drop_columns([name for name in IGNORED_FIELDS if name in table.column_names])
    return table.rename_columns([SYSTEM_FIELDS.get(name, name) for name in table.column_names])
