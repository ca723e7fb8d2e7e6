"""The dbt project compiles for Redshift (no cluster needed) and uses only SQL that Redshift has.

Parsing alone proves little (sqlglot parses DuckDB-only functions in the Redshift dialect as unknown
calls), so every function call of every compiled model is checked against
the functions of the Amazon Redshift SQL reference, and constructs Redshift lacks are rejected
(tests/redshift_sql.py).
"""

from __future__ import annotations

import pytest

from tests.conftest import run_dbt
from tests.redshift_sql import REDSHIFT_FUNCTIONS, called_functions, constructs_redshift_lacks


@pytest.fixture(scope="module")
def redshift_sql(tmp_path_factory) -> dict[str, str]:
    target = tmp_path_factory.mktemp("redshift-target")
    run_dbt("compile", "--target-path", str(target), "--no-populate-cache", DBT_TARGET="redshift")
    compiled = target / "compiled" / "secop_redflags" / "models"
    return {p.stem: p.read_text() for p in compiled.rglob("*.sql")}


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
    found = {name: sorted(kinds) for name, sql in redshift_sql.items() if (kinds := constructs_redshift_lacks(sql))}
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
    assert constructs_redshift_lacks("select * exclude (a) from (select 1 as a, 2 as b) where b = 2") == {
        "select * exclude/replace",
        "subquery without alias",
    }
    assert not constructs_redshift_lacks("select b from (select 1 as a, 2 as b) as pair join t on true")


def test_redshift_uses_long_text_and_listagg(redshift_sql):
    assert "varchar(65535)" in redshift_sql["fct_contract_flags"]
    assert "listagg(" in redshift_sql["int_flags__repeat_awards"]
