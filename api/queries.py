"""The read API's SQL, written once in the subset DuckDB and Redshift both run, every user value a `?`.

Lists page by keyset (`Order.after`): the rows after the last one sent, in a total order (the sort value,
then the list's key columns), so a page costs the same at row 10 and at row 1,000,000.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

TEXT = "text"  # a key column's type in a cursor (bound as it is)
MAX_PAGE_SIZE = 1_000  # rows a page of a list holds at most


class Query(NamedTuple):
    sql: str
    params: list[object]


def fold(value: str) -> str:
    """A place name as the place filters compare it: words trimmed and single-spaced, any case, no accents."""
    decomposed = unicodedata.normalize("NFKD", value)
    return " ".join("".join(char for char in decomposed if not unicodedata.combining(char)).casefold().split())


def place_spellings(column: str) -> Query:
    """Every spelling of the awards' department or municipality (a few hundred at most)."""
    return Query(f"select distinct {column} as place from fct_contract_risk where {column} is not null", [])


@dataclass(frozen=True)
class Order:
    """A list's total order: a sort expression (`sql_type` for its cursor value), then key columns ascending."""

    expression: str
    sql_type: str
    keys: tuple[str, ...]
    descending: bool = True

    @property
    def types(self) -> list[str]:
        return [self.sql_type, *[TEXT] * len(self.keys)]

    def clause(self) -> str:
        direction = "desc" if self.descending else "asc"
        return ", ".join([f"{self.expression} {direction}", *[f"{key} asc" for key in self.keys]])

    def after(self, values: list[object]) -> Query:
        """The condition "after the row with these (sort value, keys...)" and its parameters: first the plain
        range on the sort value (which an engine checks cheaply, skipping blocks by their min/max), then the
        exact order."""
        columns = [(self.expression, "<" if self.descending else ">", self.sql_type)]
        columns += [(key, ">", TEXT) for key in self.keys]
        sql, params = "", []
        for (column, operator, sql_type), value in reversed(list(zip(columns, values, strict=True))):
            if not sql:
                sql, params = f"{column} {operator} {_placeholder(sql_type)}", [value]
            else:
                sql = (
                    f"({column} {operator} {_placeholder(sql_type)} or ({column} = {_placeholder(sql_type)} and {sql}))"
                )
                params = [value, value, *params]
        sort_range = f"{self.expression} {'<=' if self.descending else '>='} {_placeholder(self.sql_type)}"
        return Query(f"{sort_range} and {sql}", [values[0], *params])


def _placeholder(sql_type: str) -> str:
    return "?" if sql_type == TEXT else f"cast(? as {sql_type})"


@dataclass
class Conditions:
    """A `where` built a condition at a time, each with its parameters."""

    parts: list[str] = field(default_factory=list)
    params: list[object] = field(default_factory=list)

    def add(self, sql: str, *params: object) -> None:
        self.parts.append(sql)
        self.params.extend(params)

    def sql(self) -> str:
        return " and ".join(self.parts) if self.parts else "1 = 1"


def _page(select: str, conditions: Conditions, order: Order, after: list[object] | None, limit: int | None) -> Query:
    if after is not None:
        keyset = order.after(after)
        conditions.add(keyset.sql, *keyset.params)
    sql = f"{select}\nwhere {conditions.sql()}\norder by {order.clause()}"
    params = list(conditions.params)
    if limit is not None:
        sql += "\nlimit ?"
        params.append(limit)
    return Query(sql, params)


def count(query: Query) -> Query:
    """The number of rows `query` (without a limit) gives."""
    return Query(f"select count(*) as row_count from (\n{query.sql}\n) as counted", query.params)


# --- flagged contracts ---------------------------------------------------------------------------------------

FLAG_SORTS = {
    "risk": ("flags.risk_score", "decimal(9, 6)"),
    "date": ("coalesce(flags.award_date, cast('1900-01-01' as date))", "date"),
    "value": ("coalesce(flags.award_value, cast(-1 as decimal(30, 3)))", "decimal(30, 3)"),
}
FLAG_KEYS = ("flags.award_key", "flags.indicator_id")
# A flag as the API shows it (fct_flag_details): the row render_reason reads, the award's names, risk and link.
FLAG_SHOWN = (
    *("award_key", "indicator_id", "indicator_group", "unit_key"),
    *("entity_key", "entity_name", "supplier_key", "supplier_name"),
    *("award_date", "award_value", "excess_amount", "match_method", "evidence"),
    *("risk_score", "department", "municipality", "secop_url"),
)
FLAG_COLUMNS = ", ".join(f"flags.{column}" for column in FLAG_SHOWN)
# What a list of flags filters and sorts by (api.flag_list keeps these in its query table).
FLAG_LIST_COLUMNS = (
    *("award_key", "indicator_id", "entity_key", "supplier_key", "department", "municipality"),
    *("award_date", "award_value", "risk_score"),
)


Places = tuple[str, ...] | None  # the spellings in the warehouse of one place (non-empty), or no filter


@dataclass(frozen=True)
class FlagFilters:
    indicator: str | None = None
    entity_key: str | None = None
    supplier_key: str | None = None
    department: Places = None
    municipality: Places = None
    date_from: date | None = None
    date_to: date | None = None
    min_risk: float | None = None


def flag_order(sort: str, descending: bool) -> Order:
    expression, sql_type = FLAG_SORTS[sort]
    return Order(expression, sql_type, FLAG_KEYS, descending)


def _place_conditions(conditions: Conditions, table: str, department: Places, municipality: Places) -> None:
    """The award's department and municipality (columns of `table`): any of the spellings given."""
    for column, spellings in (("department", department), ("municipality", municipality)):
        if spellings is not None:
            conditions.add(f"{table}.{column} in ({', '.join('?' for _ in spellings)})", *spellings)


def flags(filters: FlagFilters, order: Order, after: list[object] | None = None, limit: int | None = None) -> Query:
    """Flagged contracts, one row per (award, indicator), in `order`, after the cursor's row: their keys and sort
    values (api.flag_list adds the columns shown)."""
    conditions = Conditions()
    if filters.indicator is not None:
        conditions.add("flags.indicator_id = ?", filters.indicator)
    if filters.entity_key is not None:
        conditions.add("flags.entity_key = ?", filters.entity_key)
    if filters.supplier_key is not None:
        conditions.add("flags.supplier_key = ?", filters.supplier_key)
    _place_conditions(conditions, "flags", filters.department, filters.municipality)
    if filters.date_from is not None:
        conditions.add("flags.award_date >= cast(? as date)", filters.date_from.isoformat())
    if filters.date_to is not None:
        conditions.add("flags.award_date <= cast(? as date)", filters.date_to.isoformat())
    if filters.min_risk is not None:
        conditions.add("flags.risk_score >= cast(? as decimal(9, 6))", f"{filters.min_risk:.6f}")
    keys = ", ".join(FLAG_KEYS)
    select = f"select {keys}, {order.expression} as sort_value\nfrom fct_flag_details as flags"
    return _page(select, conditions, order, after, limit)


def award(award_key: str) -> Query:
    return Query("select * from fct_contract_risk where award_key = ?", [award_key])


def award_flags(award_key: str) -> Query:
    select = (
        f"select {FLAG_COLUMNS}\nfrom fct_flag_details as flags\nwhere flags.award_key = ?\norder by flags.indicator_id"
    )
    return Query(select, [award_key])


# --- entities and suppliers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    """Buying entities or suppliers: their key column in the marts, their dimension and its name column."""

    kind: str  # entity | supplier
    key: str
    dimension: str
    profile: str  # its profile lines (fct_entity_profile, fct_supplier_profile)
    name: str
    other: str  # the counterpart's kind
    counterparts: str  # what a profile calls the counterparts: an entity's suppliers, a supplier's buyers
    described_by: tuple[str, ...]  # the dimension's columns a list shows besides the totals

    @property
    def list_fields(self) -> tuple[str, ...]:
        """A row of a list of parties: the totals of its awards in the list's year and place, then its row in the
        dimension (its standing over all its awards)."""
        totals = ("awards", "awarded_value", "flagged_awards", "flagged_value", "flags")
        return (self.key, self.name, *totals, *self.described_by)


STANDING = ("risk_score", "risk_rank", "peers")
ENTITY = Party(
    "entity",
    "entity_key",
    "dim_entity",
    "fct_entity_profile",
    "entity_name",
    "supplier",
    "suppliers",
    ("department", "municipality", *STANDING),
)
SUPPLIER = Party(
    "supplier", "supplier_key", "dim_supplier", "fct_supplier_profile", "supplier_name", "entity", "buyers", STANDING
)
PARTIES = {party.kind: party for party in (ENTITY, SUPPLIER)}
PARTY_SORTS = {
    "flags": ("totals.flags", "bigint"),
    "risk": ("coalesce(parties.risk_score, 0)", "decimal(9, 6)"),
    "flagged_value": ("totals.flagged_value", "decimal(38, 3)"),
    "value": ("totals.awarded_value", "decimal(38, 3)"),
}
# What a set of awards (fct_contract_risk rows) adds up to.
AWARD_TOTALS = """
        count(*) as awards,
        coalesce(sum(risk.award_value), 0) as awarded_value,
        sum(case when risk.flag_count > 0 then 1 else 0 end) as flagged_awards,
        coalesce(sum(case when risk.flag_count > 0 then risk.award_value else 0 end), 0) as flagged_value,
        sum(risk.flag_count) as flags"""


@dataclass(frozen=True)
class PartyFilters:
    department: Places = None
    municipality: Places = None
    year: int | None = None


def party_order(party: Party, sort: str, descending: bool) -> Order:
    expression, sql_type = PARTY_SORTS[sort]
    return Order(expression, sql_type, (f"totals.{party.key}",), descending)


def parties(
    party: Party, filters: PartyFilters, order: Order, after: list[object] | None = None, limit: int | None = None
) -> Query:
    """Entities or suppliers with the totals of their awards (of `year`, in the place), in `order`."""
    inner = Conditions()
    inner.add(f"risk.{party.key} is not null")
    if filters.year is not None:
        inner.add("risk.award_date >= cast(? as date)", date(filters.year, 1, 1).isoformat())
        inner.add("risk.award_date < cast(? as date)", date(filters.year + 1, 1, 1).isoformat())
    _place_conditions(inner, "risk", filters.department, filters.municipality)
    select = (
        f"select totals.{party.key}, parties.{party.name}, totals.awards, totals.awarded_value, totals.flagged_awards,"
        f" totals.flagged_value, totals.flags, {', '.join('parties.' + c for c in party.described_by)},"
        f" {order.expression} as sort_value\n"
        f"from (\n    select risk.{party.key},{AWARD_TOTALS}\n    from fct_contract_risk as risk\n"
        f"    where {inner.sql()}\n    group by risk.{party.key}\n) as totals\n"
        f"inner join {party.dimension} as parties on parties.{party.key} = totals.{party.key}"
    )
    outer = Conditions(params=list(inner.params))
    return _page(select, outer, order, after, limit)


def party(party: Party, keys: list[str]) -> Query:
    """The dimension's rows of any of `keys` (a document's possible keys: api.documents)."""
    return Query(f"select * from {party.dimension} where {party.key} in ({', '.join('?' for _ in keys)})", keys)


def party_profile(party: Party, key: str) -> Query:
    """The party's profile lines (macro party_profile): flags by indicator, riskiest awards, counterparts."""
    return Query(f"select * from {party.profile} where {party.key} = ?", [key])


# --- alerts and indicators -----------------------------------------------------------------------------------

ALERT_ORDER = Order("alerts.detected_at", "timestamp", ("alerts.award_key", "alerts.indicator_id"), False)


def alerts(since: str | None, after: list[object] | None, limit: int | None) -> Query:
    """Live alerts in detection order (fct_contract_alerts is append-only), after the cursor's row."""
    conditions = Conditions()
    if since is not None:
        conditions.add("alerts.detected_at >= cast(? as timestamp)", since)
    select = (
        "select alerts.award_key, alerts.indicator_id, alerts.indicator_group, alerts.unit_key,"
        " alerts.entity_key, alerts.entity_name, alerts.supplier_key, alerts.supplier_name,"
        " alerts.award_date, alerts.award_value, alerts.excess_amount, alerts.match_method, alerts.evidence,"
        " alerts.secop_url, alerts.published_at, alerts.detected_at, alerts.lag_seconds,"
        f" {ALERT_ORDER.expression} as sort_value\n"
        "from fct_contract_alerts as alerts"
    )
    return _page(select, conditions, ALERT_ORDER, after, limit)


INDICATOR_IDS = Query("select indicator_id from indicators order by indicator_id", [])
RUN_DATES = Query("select distinct run_date from fct_indicator_summary order by run_date desc", [])


def indicator_summary(run_date: date) -> Query:
    return Query(
        "select * from fct_indicator_summary where run_date = cast(? as date) order by indicator_group, indicator_id",
        [run_date.isoformat()],
    )


def award_process(award_key: str) -> Query:
    """Every award of the award's process (fct_contract_risk.process_id: the process grain), itself included."""
    return Query(
        "select risk.process_id, risk.award_key, risk.supplier_key, risk.supplier_name, risk.award_date,"
        " risk.award_value, risk.flag_count, risk.risk_score, risk.secop_url\n"
        "from fct_contract_risk as this\n"
        "inner join fct_contract_risk as risk on risk.process_id = this.process_id\n"
        "where this.award_key = ?\norder by risk.award_key",
        [award_key],
    )
