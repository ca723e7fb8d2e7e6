"""Served JSON rows to Arrow strings: the fast struct path and the general path give the raw contract."""

import json

import pyarrow as pa

from orchestration.served_rows import compact_json, served_table

SYSTEM = {":id": "row-1", ":updated_at": "2024-01-01T00:00:00.000Z", ":created_at": "2023-01-01T00:00:00.000Z"}


def test_strings_urls_and_missing_fields():
    rows = [
        {"a": "x", "u": {"url": 'https://h/?q="1"&ñ'}, **SYSTEM, ":version": "rv-1"},
        {"u": "https://plain", **SYSTEM},
    ]
    table, renamed = served_table(rows, ["a", "b", "u"], json_fields=["u"])
    assert table.column_names == ["a", "b", "u", "_row_id", "_source_updated_at", "_source_created_at"]
    assert renamed == {}
    assert all(pa.types.is_string(f.type) for f in table.schema)
    assert table.column("a").to_pylist() == ["x", None] and table.column("b").null_count == 2
    assert table.column("u").to_pylist() == ['{"url":"https://h/?q=\\"1\\"&ñ"}', "https://plain"]


def test_other_json_values_and_new_fields_take_the_general_path():
    rows = [{"a": True, "n": 1.5, "new": {"k": [1, 2]}, **SYSTEM}, {"a": "y", **SYSTEM}]
    table, renamed = served_table(rows, ["a", "n"])
    assert table.column_names == ["a", "n", "new", "_row_id", "_source_updated_at", "_source_created_at"]
    assert renamed == {}
    assert table.column("a").to_pylist() == ["true", "y"] and table.column("n").to_pylist() == ["1.5", None]
    assert json.loads(table.column("new")[0].as_py()) == {"k": [1, 2]}


def test_compact_json_matches_json_dumps():
    for value in ({"url": "a\\b\n\u2028é"}, {"url": "x", "description": "d"}, [1, "2"], False, None, "s"):
        expected = (
            value
            if value is None or isinstance(value, str)
            else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        )
        assert compact_json(value) == expected
