"""The dbt project compiles for Redshift (no cluster needed) and uses no DuckDB-only SQL there."""

from __future__ import annotations

import pytest

from tests.conftest import run_dbt

DUCKDB_ONLY = ("read_parquet", "string_agg", "strftime", "regexp_matches", "list_value", " exclude (")


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
        "fct_indicator_summary",
    } <= set(redshift_sql)


def test_no_duckdb_only_syntax_in_redshift_sql(redshift_sql):
    offenders = {name: [t for t in DUCKDB_ONLY if t in sql] for name, sql in redshift_sql.items()}
    assert not {name: found for name, found in offenders.items() if found}


def test_redshift_uses_long_text_and_listagg(redshift_sql):
    assert "varchar(65535)" in redshift_sql["fct_contract_flags"]
    assert "listagg(" in redshift_sql["int_flags__repeat_awards"]
