"""What Redshift SQL may contain, checked offline: the functions of the Amazon Redshift SQL reference and
no construct Redshift lacks. Parsing alone proves little (sqlglot parses DuckDB-only functions in the
Redshift dialect as unknown calls), so every call is checked against the reference's functions."""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp

# Amazon Redshift SQL reference: SQL functions (aggregate, window, conditional, date, math, string, hash,
# type conversion) and the expressions sqlglot renders as calls.
REDSHIFT_FUNCTIONS = frozenset(
    """
    abs acos add_months any_value approximate ascii asin atan atan2 avg bit_and bit_or bool_and bool_or
    btrim cast cbrt ceil ceiling char_length character_length charindex checksum chr coalesce concat
    convert convert_timezone cos cot count cume_dist current_date current_time current_timestamp
    date_cmp date_part date_part_year date_trunc dateadd datediff decode degrees dense_rank dexp dlog1
    dlog10 exp extract first_value floor func_sha1 getdate greatest initcap lag last_day last_value lead
    least left len length listagg ln log lower lpad ltrim max md5 median min mod months_between
    next_day nth_value ntile nullif nvl nvl2 percent_rank percentile_cont percentile_disc pi position
    power quote_ident quote_literal radians random rank ratio_to_report regexp_count regexp_instr
    regexp_replace regexp_substr repeat replace replicate reverse right round row_number rpad rtrim sha1
    sha2 sign sin soundex split_part sqrt stddev stddev_pop stddev_samp strpos strtol substr substring
    sum sysdate tan timeofday timestamp_cmp to_char to_date to_number to_timestamp translate trim trunc
    upper var_pop var_samp variance
    """.split()
)
# Expression nodes that are not calls in Redshift SQL although sqlglot models them as functions.
NOT_CALLS = (exp.Case, exp.If, exp.Exists, exp.Concat, exp.CurrentDate, exp.CurrentTimestamp)
UNSUPPORTED = (exp.Lambda, exp.Array, exp.Struct, exp.TableSample)


def parse(sql: str) -> exp.Expression:
    return sqlglot.parse_one(sql, read="redshift")


def called_functions(sql: str) -> set[str]:
    """The names of the functions a statement calls, as Redshift spells them."""
    names = set()
    for node in parse(sql).find_all(exp.Func):
        if isinstance(node, NOT_CALLS):
            continue
        call = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(", node.sql(dialect="redshift"))
        if call:
            names.add(call.group(1).lower())
    return names


def constructs_redshift_lacks(sql: str) -> set[str]:
    """DuckDB's (and others') constructs in a statement that Redshift has not, by name."""
    tree = parse(sql)
    kinds = {type(node).__name__ for node in tree.find_all(*UNSUPPORTED)}
    # DuckDB's `* exclude (...)`, `* replace (...)`, `* rename (...)`: any argument of a star.
    if any(any(star.args.get(arg) for arg in exp.Star.arg_types) for star in tree.find_all(exp.Star)):
        kinds.add("select * exclude/replace")
    # Redshift (PostgreSQL 8) rejects a subquery in FROM or JOIN without an alias.
    if any(isinstance(sub.parent, exp.From | exp.Join) and not sub.alias for sub in tree.find_all(exp.Subquery)):
        kinds.add("subquery without alias")
    return kinds
