"""A small SoQL subset compiled to DuckDB SQL, for the replay server (docs/socrata.md).

Supported: `$select` (`*`, `:*`, columns with optional `AS alias`, `count(*)`), `$where` (comparisons,
`AND`/`OR`/`NOT`, parentheses, `IS [NOT] NULL`, `[NOT] BETWEEN … AND …`, `[NOT] IN (…)`, `[NOT] LIKE`),
`$order` (columns, `ASC`/`DESC`) and simple equality filters. Comparisons are typed by the column's
Socrata type: `number` compares numerically, `calendar_date` and the system timestamps as timestamps,
everything else as text. Literals are always bound as parameters. Anything else raises `SoqlError`.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

# System fields and their SoQL types; `:created_at`/`:updated_at` are TIMESTAMP (UTC) in the table.
SYSTEM_FIELDS: dict[str, str] = {
    ":id": "row_identifier",
    ":created_at": "fixed_timestamp",
    ":updated_at": "fixed_timestamp",
}
FIXED_TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%gZ"  # DuckDB strftime: `%g` = milliseconds

_KEYWORDS = frozenset({"and", "or", "not", "is", "null", "between", "in", "like", "as", "asc", "desc"})
_COMPARISONS = {"=": "=", "==": "=", "!=": "<>", "<>": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_TOKEN_RE = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<string>'(?:[^']|'')*')
    | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
    | (?P<name>:\*|:?[A-Za-z_@][\w@]*|`[^`]+`)
    | (?P<op><=|>=|!=|<>|==|[=<>(),*-])
    """,
    re.VERBOSE,
)


class SoqlError(Exception):
    """A query Socrata would reject with HTTP 400; `body()` is the documented error object."""

    def __init__(self, code: str, message: str, data: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data or {}

    def body(self) -> dict[str, object]:
        return {"code": self.code, "error": True, "message": self.message, "data": self.data}


def malformed(message: str, query: str) -> SoqlError:
    return SoqlError("query.compiler.malformed", message, {"query": query})


def _type_mismatch(message: str, query: str) -> SoqlError:
    return SoqlError("query.soql.type-mismatch", message, {"query": query})


@dataclass(frozen=True)
class OutputColumn:
    """One column of the response: its field name, a DuckDB expression giving VARCHAR, its SoQL type."""

    name: str
    sql: str
    soql_type: str


@dataclass(frozen=True)
class CompiledQuery:
    columns: tuple[OutputColumn, ...]
    where: str  # boolean SQL expression ("TRUE" when unfiltered); placeholders are `?`
    params: tuple[object, ...]  # values for the placeholders of `where`, in order
    order: str  # ORDER BY list (no placeholders); empty for an aggregate query
    aggregate: bool


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def soql_type(data_type: str) -> str:
    """The SoQL type name (X-SODA2-Types) of a Socrata `dataTypeName`."""
    return "floating_timestamp" if data_type == "calendar_date" else data_type


def compile_query(
    schema: Mapping[str, str],
    *,
    select: str | None = None,
    where: str | None = None,
    order: str | None = None,
    filters: Mapping[str, str] | None = None,
) -> CompiledQuery:
    """Compile SoQL clauses against `schema` (field name -> Socrata `dataTypeName`, in column order).

    Without `order` the rows come in a fresh pseudo-random order on every call, as unordered
    Socrata results are not stable (clients must send `$order`).
    """
    types = {**SYSTEM_FIELDS, **schema}
    columns, aggregate = _Parser(select, types).select(list(schema)) if select else (_star(schema), False)
    conditions, params = [], []
    if where:
        sql, where_params = _Parser(where, types).where()
        conditions.append(f"({sql})")
        params.extend(where_params)
    for field_name, value in (filters or {}).items():
        sql, filter_params = _Parser(f"{field_name}={value}", types, tokenize=False).equality(field_name, value)
        conditions.append(sql)
        params.extend(filter_params)
    if aggregate:
        if order:
            raise malformed("$order on an aggregate query needs $group, which is not supported", order)
        order_sql = ""
    elif order:
        order_sql = _Parser(order, types).order()
    else:
        order_sql = f'hash(":id", {random.getrandbits(31)})'
    return CompiledQuery(tuple(columns), " AND ".join(conditions) or "TRUE", tuple(params), order_sql, aggregate)


def parse_timestamp(text: str) -> datetime:
    """ISO-8601 date or date-time (optional `Z` or offset) -> naive UTC datetime; ValueError if not."""
    value = datetime.fromisoformat(text.strip().removesuffix("Z").removesuffix("z"))
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def _star(schema: Mapping[str, str]) -> list[OutputColumn]:
    return [OutputColumn(name, quote_ident(name), soql_type(t)) for name, t in schema.items()]


def _system_columns() -> list[OutputColumn]:
    return [_output_column(name, name, t) for name, t in SYSTEM_FIELDS.items()]


def _output_column(alias: str, field_name: str, data_type: str) -> OutputColumn:
    sql = quote_ident(field_name)
    if data_type == "fixed_timestamp":
        sql = f"strftime({sql}, '{FIXED_TIMESTAMP_FORMAT}')"
    return OutputColumn(alias, sql, soql_type(data_type))


def _comparison_class(data_type: str) -> str:
    if data_type == "number":
        return "number"
    if data_type in ("calendar_date", "fixed_timestamp"):
        return "timestamp"
    return "text"


@dataclass(frozen=True)
class _Token:
    kind: str  # "string", "number", "name", "op" or "end"
    text: str
    pos: int

    def is_op(self, *ops: str) -> bool:
        return self.kind == "op" and self.text in ops

    def is_keyword(self, *words: str) -> bool:
        return self.kind == "name" and self.text.lower() in words


@dataclass(frozen=True)
class _Column:
    name: str
    data_type: str

    @property
    def cls(self) -> str:
        return _comparison_class(self.data_type)

    def typed_sql(self) -> str:
        """The column as a value of its comparison class (numbers and floating dates are cast)."""
        sql = quote_ident(self.name)
        if self.data_type == "number":
            return f"TRY_CAST({sql} AS DOUBLE)"
        if self.data_type == "calendar_date":
            return f"TRY_CAST({sql} AS TIMESTAMP)"
        return sql


@dataclass(frozen=True)
class _Literal:
    value: str
    is_number: bool


_Operand = _Column | _Literal


def _tokenize(text: str) -> list[_Token]:
    tokens, pos = [], 0
    while pos < len(text):
        match = _TOKEN_RE.match(text, pos)
        if match is None:
            what = "unterminated string literal" if text[pos] == "'" else f"unexpected character {text[pos]!r}"
            raise malformed(f"{what} at position {pos}", text)
        if match.lastgroup != "space":
            tokens.append(_Token(match.lastgroup or "", match.group(), pos))
        pos = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


class _Parser:
    """Recursive-descent parser over one clause; emits SQL and collects bound parameters."""

    def __init__(self, text: str, types: Mapping[str, str], *, tokenize: bool = True) -> None:
        self.text = text
        self.types = types
        self.tokens = _tokenize(text) if tokenize else []
        self.index = 0
        self.params: list[object] = []

    # -- clauses ----------------------------------------------------------------------------------

    def select(self, business_fields: list[str]) -> tuple[list[OutputColumn], bool]:
        """The output columns, and whether the query is an aggregate (`count(*)`)."""
        columns: list[OutputColumn] = []
        aggregate = False
        while True:
            if self._peek().is_keyword("count") and self.tokens[self.index + 1].is_op("("):
                columns.append(self._count())
                aggregate = True
            else:
                columns.extend(self._select_item(business_fields))
            if not self._accept_op(","):
                break
        self._expect_end()
        if aggregate and len(columns) > 1:
            raise malformed("mixing count(*) with columns needs $group, which is not supported", self.text)
        return columns, aggregate

    def where(self) -> tuple[str, list[object]]:
        sql = self._or()
        self._expect_end()
        return sql, self.params

    def equality(self, field_name: str, value: str) -> tuple[str, list[object]]:
        sql = self._comparison(self._resolve(field_name, 0), "=", _Literal(value, is_number=False))
        return sql, self.params

    def order(self) -> str:
        keys = []
        while True:
            column = self._column()
            descending = self._peek().is_keyword("desc")
            if descending or self._peek().is_keyword("asc"):
                self._next()
            keys.append(f"{column.typed_sql()} {'DESC NULLS FIRST' if descending else 'ASC NULLS LAST'}")
            if not self._accept_op(","):
                break
        self._expect_end()
        return ", ".join(keys)

    # -- $select ----------------------------------------------------------------------------------

    def _select_item(self, business_fields: list[str]) -> list[OutputColumn]:
        token = self._peek()
        if token.is_op("*"):
            self._next()
            return _star({name: self.types[name] for name in business_fields})
        if token.kind == "name" and token.text == ":*":
            self._next()
            return _system_columns()
        column = self._column()
        return [_output_column(self._alias(column.name), column.name, column.data_type)]

    def _count(self) -> OutputColumn:
        self.index += 2  # `count` `(`
        self._expect_op("*")
        self._expect_op(")")
        return OutputColumn(self._alias("count"), "CAST(count(*) AS VARCHAR)", "number")

    def _alias(self, default: str) -> str:
        if not self._peek().is_keyword("as"):
            return default
        self._next()
        token = self._next()
        if token.kind != "name" or token.text.startswith(":"):
            raise self._error("expected an alias after AS", token)
        return token.text.strip("`")

    # -- $where -----------------------------------------------------------------------------------

    def _or(self) -> str:
        parts = [self._and()]
        while self._peek().is_keyword("or"):
            self._next()
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def _and(self) -> str:
        parts = [self._not()]
        while self._peek().is_keyword("and"):
            self._next()
            parts.append(self._not())
        return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"

    def _not(self) -> str:
        if self._peek().is_keyword("not"):
            self._next()
            return f"(NOT {self._not()})"
        if self._accept_op("("):
            sql = self._or()
            self._expect_op(")")
            return sql
        return self._predicate()

    def _predicate(self) -> str:
        left = self._operand()
        token = self._next()
        if token.kind == "op" and token.text in _COMPARISONS:
            return self._comparison(left, _COMPARISONS[token.text], self._operand())
        if token.is_keyword("is"):
            negated = self._accept_keyword("not")
            self._expect_keyword("null")
            return self._null_check(left, negated)
        negated = token.is_keyword("not")
        if negated:
            token = self._next()
        if token.is_keyword("between"):
            low = self._operand()
            self._expect_keyword("and")
            return self._typed("BETWEEN", negated, left, low, self._operand())
        if token.is_keyword("in"):
            return self._typed("IN", negated, left, *self._operand_list())
        if token.is_keyword("like"):
            return self._typed("LIKE", negated, left, self._operand())
        raise self._error("expected a comparison operator, IS, BETWEEN, IN or LIKE", token)

    def _comparison(self, left: _Operand, op: str, right: _Operand) -> str:
        cls = self._class_of(left, right)
        return f"{self._sql(left, cls)} {op} {self._sql(right, cls)}"

    def _typed(self, keyword: str, negated: bool, left: _Operand, *others: _Operand) -> str:
        cls = self._class_of(left, *others)
        if keyword == "LIKE" and cls != "text":
            raise _type_mismatch("LIKE needs text operands", self.text)
        sqls = [self._sql(operand, cls) for operand in (left, *others)]
        prefix = f"{sqls[0]} {'NOT ' if negated else ''}{keyword}"
        if keyword == "BETWEEN":
            return f"({prefix} {sqls[1]} AND {sqls[2]})"
        if keyword == "IN":
            return f"({prefix} ({', '.join(sqls[1:])}))"
        return f"({prefix} {sqls[1]})"

    def _null_check(self, operand: _Operand, negated: bool) -> str:
        if isinstance(operand, _Literal):
            raise self._error("IS NULL needs a column", self._peek())
        return f"({quote_ident(operand.name)} IS {'NOT ' if negated else ''}NULL)"

    def _operand_list(self) -> list[_Operand]:
        self._expect_op("(")
        operands = [self._operand()]
        while self._accept_op(","):
            operands.append(self._operand())
        self._expect_op(")")
        return operands

    def _operand(self) -> _Operand:
        token = self._peek()
        if token.kind == "string":
            self._next()
            return _Literal(token.text[1:-1].replace("''", "'"), is_number=False)
        sign = "-" if self._accept_op("-") else ""
        if sign or token.kind == "number":
            number = self._next()
            if number.kind != "number":
                raise self._error("expected a number after '-'", number)
            return _Literal(sign + number.text, is_number=True)
        return self._column()

    # -- typing -----------------------------------------------------------------------------------

    def _class_of(self, *operands: _Operand) -> str:
        classes = {o.cls for o in operands if isinstance(o, _Column)}
        if len(classes) > 1:
            raise _type_mismatch(f"cannot compare {' and '.join(sorted(classes))} values", self.text)
        if classes:
            return classes.pop()
        return "number" if all(isinstance(o, _Literal) and o.is_number for o in operands) else "text"

    def _sql(self, operand: _Operand, cls: str) -> str:
        if isinstance(operand, _Column):
            return operand.typed_sql()
        self.params.append(self._coerce(operand, cls))
        return "?"

    def _coerce(self, literal: _Literal, cls: str) -> object:
        try:
            if cls == "number":
                return float(literal.value)
            if not literal.is_number:
                return parse_timestamp(literal.value) if cls == "timestamp" else literal.value
        except ValueError:
            pass
        raise _type_mismatch(f"{literal.value!r} is not a valid {cls} value here", self.text)

    # -- tokens -----------------------------------------------------------------------------------

    def _column(self) -> _Column:
        token = self._next()
        if token.kind != "name" or token.is_keyword(*_KEYWORDS) or token.text == ":*":
            raise self._error("expected a column name", token)
        if self._peek().is_op("("):
            raise self._error(f"function {token.text}() is not supported", token)
        return self._resolve(token.text.strip("`"), token.pos)

    def _resolve(self, name: str, pos: int) -> _Column:
        if name not in self.types:
            raise SoqlError(
                "query.soql.no-such-column",
                f"No such column: {name}; position: {pos}",
                {"column": name, "query": self.text},
            )
        return _Column(name, self.types[name])

    def _peek(self) -> _Token:
        return self.tokens[self.index]

    def _next(self) -> _Token:
        token = self.tokens[self.index]
        if token.kind != "end":
            self.index += 1
        return token

    def _accept_op(self, op: str) -> bool:
        if self._peek().is_op(op):
            self._next()
            return True
        return False

    def _accept_keyword(self, word: str) -> bool:
        if self._peek().is_keyword(word):
            self._next()
            return True
        return False

    def _expect_op(self, op: str) -> None:
        if not self._accept_op(op):
            raise self._error(f"expected {op!r}", self._peek())

    def _expect_keyword(self, word: str) -> None:
        if not self._accept_keyword(word):
            raise self._error(f"expected {word.upper()}", self._peek())

    def _expect_end(self) -> None:
        if self._peek().kind != "end":
            raise self._error("unexpected text", self._peek())

    def _error(self, message: str, token: _Token) -> SoqlError:
        found = repr(token.text) if token.kind != "end" else "end of input"
        return malformed(f"{message}, found {found} at position {token.pos}", self.text)
