"""The dbt project compiles for Redshift (no cluster needed) and uses only SQL that Redshift has.

Parsing alone proves little (sqlglot parses DuckDB-only functions in the Redshift dialect as unknown
calls, notes/redshift-parity.md), so every function call of every compiled model is checked against
the functions of the Amazon Redshift SQL reference, and constructs Redshift lacks are rejected.
"""

from __future__ import annotations

import re

import pytest
import sqlglot
from sqlglot import exp

from tests.conftest import run_dbt

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


@pytest.fixture(scope="module")
def redshift_sql(tmp_path_factory) -> dict[str, str]:
    target = tmp_path_factory.mktemp("redshift-target")
    run_dbt("compile", "--target-path", str(target), "--no-populate-cache", DBT_TARGET="redshift")
    compiled = target / "compiled" / "secop_redflags" / "models"
    return {p.stem: p.read_text() for p in compiled.rglob("*.sql")}


def called_functions(sql: str) -> set[str]:
    """The names of the functions a statement calls, as Redshift spells them."""
    names = set()
    for node in sqlglot.parse_one(sql, read="redshift").find_all(exp.Func):
        if isinstance(node, NOT_CALLS):
            continue
        call = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(", node.sql(dialect="redshift"))
        if call:
            names.add(call.group(1).lower())
    return names


def test_every_model_compiles_for_redshift(redshift_sql):
    assert {
        "stg_secop_ii_procesos",
        "int_awards",
        "int_flags__repeat_awards",
        "fct_contract_flags",
        "fct_contract_risk",
        "fct_indicator_summary",
        "dim_entity",
        "dim_supplier",
        "t_result_indicadores_batch",
    } <= set(redshift_sql)


def test_models_call_only_redshift_functions(redshift_sql):
    unknown = {name: sorted(called_functions(sql) - REDSHIFT_FUNCTIONS) for name, sql in redshift_sql.items()}
    assert not {name: found for name, found in unknown.items() if found}


def test_models_use_no_construct_redshift_lacks(redshift_sql):
    found = {}
    for name, sql in redshift_sql.items():
        tree = sqlglot.parse_one(sql, read="redshift")
        kinds = {type(node).__name__ for node in tree.find_all(*UNSUPPORTED)}
        if any(star.args.get("except") or star.args.get("replace") for star in tree.find_all(exp.Star)):
            kinds.add("select * exclude/replace")
        if kinds:
            found[name] = sorted(kinds)
    assert not found


def test_the_checks_catch_duckdb_only_sql():
    assert called_functions("select strftime(d, '%Y'), list_value(1, 2), regexp_full_match(a, 'x') from t") == {
        "strftime",
        "list_value",
        "regexp_full_match",
    }
    assert not called_functions("select dateadd(day, 1, d), listagg(a, ',') within group (order by a) from t") - (
        REDSHIFT_FUNCTIONS
    )


def test_redshift_uses_long_text_and_listagg(redshift_sql):
    assert "varchar(65535)" in redshift_sql["fct_contract_flags"]
    assert "listagg(" in redshift_sql["int_flags__repeat_awards"]
