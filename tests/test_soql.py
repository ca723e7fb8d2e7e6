"""The SoQL subset compiler on its own: clauses, typing, bound literals, errors."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from simulator.replay.soql import SoqlError, compile_query, parse_timestamp

SCHEMA = {"name": "text", "amount": "number", "published": "calendar_date", "link": "url"}
ROWS = [
    ("row-1", "2024-01-01 00:00:00", "alpha", "9", "2024-01-31T00:00:00.000", None),
    ("row-2", "2024-01-02 00:00:00", "beta", "10", "2024-02-01T00:00:00.000", '{"url":"https://b"}'),
    ("row-3", "2024-01-02 00:00:00", "O'Hara", "100", None, None),
    ("row-4", "2024-01-03 12:30:00.250", None, "not a number", "2023-12-31T23:59:59.000", None),
]


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    connection.execute(
        """CREATE TABLE data (":id" VARCHAR, ":created_at" TIMESTAMP, ":updated_at" TIMESTAMP,
           name VARCHAR, amount VARCHAR, published VARCHAR, link VARCHAR)"""
    )
    connection.executemany("INSERT INTO data VALUES (?, ?, ?, ?, ?, ?, ?)", [(r[0], r[1], *r[1:]) for r in ROWS])
    yield connection
    connection.close()


def ids(con, where=None, order=":id", filters=None) -> list[str]:
    query = compile_query(SCHEMA, where=where, order=order, filters=filters)
    sql = f'SELECT ":id" FROM data WHERE {query.where} ORDER BY {query.order}'
    return [row_id for (row_id,) in con.execute(sql, list(query.params)).fetchall()]


def error(**clauses) -> SoqlError:
    with pytest.raises(SoqlError) as caught:
        compile_query(SCHEMA, **clauses)
    return caught.value


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("amount > 50", ["row-3"]),  # numeric, not lexical ("9" > "50" as text)
        ("amount >= 9 AND amount < 100", ["row-1", "row-2"]),
        ("amount between 9 and 10", ["row-1", "row-2"]),
        ("amount not between 9 and 10", ["row-3"]),
        ("amount = '10'", ["row-2"]),
        ("amount > -1.5e1", ["row-1", "row-2", "row-3"]),
        ("name > 'b'", ["row-2"]),  # text compares as text, case-sensitive
        ("name = 'O''Hara'", ["row-3"]),
        ("name != 'alpha'", ["row-2", "row-3"]),
        ("name <> 'alpha' or name is null", ["row-2", "row-3", "row-4"]),
        ("name IS NOT NULL AND NOT (name = 'beta' OR name = 'alpha')", ["row-3"]),
        ("not name = 'beta' and name is not null", ["row-1", "row-3"]),
        ("name in ('alpha', 'beta')", ["row-1", "row-2"]),
        ("name not in ('alpha')", ["row-2", "row-3"]),
        ("name like 'a%'", ["row-1"]),
        ("published < '2024-02-01'", ["row-1", "row-4"]),
        ("published >= '2024-01-31T00:00:00.000'", ["row-1", "row-2"]),
        ("published is null", ["row-3"]),
        (":updated_at > '2024-01-02T00:00:00.000Z'", ["row-4"]),
        (":updated_at = '2024-01-03T12:30:00.250'", ["row-4"]),
        (":updated_at > '2024-01-01' OR (:updated_at = '2024-01-01' AND :id > 'row-1')", ["row-2", "row-3", "row-4"]),
        (":id > 'row-2'", ["row-3", "row-4"]),
        ("((name = 'alpha'))", ["row-1"]),
    ],
)
def test_where_is_typed_by_column(con, where, expected):
    assert ids(con, where) == expected


def test_literals_are_bound_never_inlined():
    query = compile_query(SCHEMA, where="name = 'x'' OR 1=1 --' AND amount < 5")
    assert "OR 1=1" not in query.where and "5" not in query.where
    assert query.params == ("x' OR 1=1 --", 5.0)


def test_equality_filters_are_anded_and_typed(con):
    assert ids(con, filters={"amount": "10"}) == ["row-2"]
    assert ids(con, where="amount < 50", filters={"name": "alpha"}) == ["row-1"]
    assert ids(con, filters={"name": "a' OR 'a'='a"}) == []


def test_order_by_typed_columns_and_directions(con):
    assert ids(con, order="amount DESC") == ["row-4", "row-3", "row-2", "row-1"]  # unparseable -> null first
    assert ids(con, order="published, :id") == ["row-4", "row-1", "row-2", "row-3"]
    assert ids(con, order=":updated_at desc, :id asc") == ["row-4", "row-2", "row-3", "row-1"]


def test_without_order_every_compilation_orders_differently():
    orders = {compile_query(SCHEMA).order for _ in range(5)}
    assert len(orders) > 1 and all(":id" in order for order in orders)


def test_select_forms():
    def names(select):
        return [c.name for c in compile_query(SCHEMA, select=select).columns]

    assert names("*") == names(None) == list(SCHEMA)
    assert names(":*") == [":id", ":created_at", ":updated_at"]
    assert names(":*, *") == [":id", ":created_at", ":updated_at", *SCHEMA]
    assert names(":id, name AS who, :updated_at") == [":id", "who", ":updated_at"]
    types = {c.name: c.soql_type for c in compile_query(SCHEMA, select=":*,*").columns}
    assert types == {
        ":id": "row_identifier",
        ":created_at": "fixed_timestamp",
        ":updated_at": "fixed_timestamp",
        "name": "text",
        "amount": "number",
        "published": "floating_timestamp",
        "link": "url",
    }


def test_system_timestamps_render_with_milliseconds_and_z(con):
    (column,) = compile_query(SCHEMA, select=":updated_at").columns
    assert con.execute(f"SELECT {column.sql} FROM data WHERE \":id\" = 'row-4'").fetchone() == (
        "2024-01-03T12:30:00.250Z",
    )


def test_count_star(con):
    query = compile_query(SCHEMA, select="count(*)", where="amount > 9")
    assert query.aggregate and [c.name for c in query.columns] == ["count"]
    sql = f"SELECT {query.columns[0].sql} FROM data WHERE {query.where}"
    assert con.execute(sql, list(query.params)).fetchone() == ("2",)
    assert compile_query(SCHEMA, select="COUNT(*) as n").columns[0].name == "n"


@pytest.mark.parametrize("where", ["nope = 1", "name = 'a' and nope is null", "`no such` = 'x'"])
def test_unknown_column(where):
    caught = error(where=where)
    assert caught.code == "query.soql.no-such-column"
    assert caught.body()["error"] is True and caught.data["column"] in ("nope", "no such")


def test_unknown_columns_in_select_order_and_filters():
    assert error(select="name, nope").code == "query.soql.no-such-column"
    assert error(order="nope desc").code == "query.soql.no-such-column"
    assert error(filters={"nope": "1"}).code == "query.soql.no-such-column"


@pytest.mark.parametrize(
    "where",
    [
        "name =",
        "name = 'unterminated",
        "(name = 'a'",
        "name = 'a' extra",
        "name",
        "name ~ 'a'",
        "upper(name) = 'A'",
        "name between 'a'",
        "name in 'a'",
        "name is 'a'",
        "amount > - 'x'",
        "and name = 'a'",
        "",
    ],
)
def test_malformed_where(where):
    if not where:  # an empty clause is no clause
        assert compile_query(SCHEMA, where=where).where == "TRUE"
        return
    caught = error(where=where)
    assert caught.code == "query.compiler.malformed" and caught.data == {"query": where}


@pytest.mark.parametrize(
    "clauses",
    [
        {"select": "name,"},
        {"select": "count(*), name"},
        {"select": "count(name)"},
        {"select": "name as"},
        {"select": "count(*)", "order": ":id"},
        {"order": "name sideways"},
        {"order": ":id,"},
    ],
)
def test_malformed_select_and_order(clauses):
    assert error(**clauses).code == "query.compiler.malformed"


@pytest.mark.parametrize("where", ["amount > 'lots'", "name = 5", "published > 5", "amount like '1%'", "name = amount"])
def test_type_mismatch(where):
    assert error(where=where).code == "query.soql.type-mismatch"


def test_parse_timestamp_forms():
    assert parse_timestamp("2024-01-01") == datetime(2024, 1, 1)
    assert parse_timestamp("2024-01-01T10:00:00.000") == datetime(2024, 1, 1, 10)
    assert parse_timestamp("2024-01-01T10:00:00.000Z") == datetime(2024, 1, 1, 10)
    assert parse_timestamp("2024-01-01T10:00:00-05:00") == datetime(2024, 1, 1, 15)
    with pytest.raises(ValueError):
        parse_timestamp("yesterday")
