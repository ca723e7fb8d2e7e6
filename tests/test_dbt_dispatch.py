"""Both branches of every dispatched macro, executed on the same rows, and the Spectrum views rendered.

Each dispatched macro has a Redshift branch (`default__`) and a DuckDB one (`duckdb__`). One `dbt compile
--inline` per target (tests/dbt_dispatch_branches.sql) renders each branch as that target compiles it
(their inner `dbt.dateadd` and `dbt.current_timestamp` dispatch too), then DuckDB runs both branches over
the same rows. The Redshift branch runs as written where DuckDB has its functions; `iso_bogota`'s
(`to_char`, `dateadd`) runs through sqlglot's Redshift-to-DuckDB translation; `current_utc_timestamp`'s
(`getdate()`) cannot run here and is checked as Redshift SQL; `long_text_type` is a type per target. The
Spectrum view of every trusted source (`spectrum_view`, run by `register_trusted_sources` at run start)
gets the checks the models get in tests/test_dbt_redshift.py, and its columns and types are the catalogue's.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from catalogue import SOURCES
from tests.conftest import run_dbt
from tests.redshift_sql import REDSHIFT_FUNCTIONS, called_functions, constructs_redshift_lacks, parse

BRANCHES = Path(__file__).with_name("dbt_dispatch_branches.sql")
MACROS = ("folded_text", "is_competitive", "current_utc_timestamp", "iso_bogota")

# Free-text categories as the portal writes them: accents, case, padding, lookalikes, empty, null.
TEXTS = [
    "Contratación Directa",
    "CONTRATACIÓN DIRECTA",
    "  contratación directa  ",
    "Contratación  directa",  # two spaces: another modality
    "contratación directa.",
    "Contratacio\u0301n directa",  # a combining accent is not one of the folded letters
    "\tcontratacion directa\n",  # trim removes spaces only
    "Contratación directa (con ofertas)",
    "CONTRATACIÓN RÉGIMEN ESPECIAL (CON OFERTAS)",
    "Licitación pública",
    "Mínima cuantía",
    "Selección abreviada subasta inversa",
    "ÑANDÚ ÜBER añejo",
    "",
    "   ",
    None,
]
# UTC instants around Bogotá's midnight, a year end, a leap day, the US DST switches (Bogotá has none
# since 1993) and a fraction of a second (shown truncated).
INSTANTS = [
    datetime(2024, 5, 1, 15, 3),
    datetime(2024, 1, 1, 5, 0),
    datetime(2024, 1, 1, 4, 59, 59),
    datetime(2024, 3, 1, 4, 30),
    datetime(2024, 3, 10, 7, 30),
    datetime(2024, 11, 3, 6, 30),
    datetime(2000, 1, 1, 0, 0),
    datetime(1994, 6, 15, 12, 0),
    datetime(2024, 5, 1, 15, 3, 59, 999999),
    None,
]
# The Redshift types a typed null of the trusted views may take (TEXT is Redshift's VARCHAR(256)).
REDSHIFT_TYPES = {
    exp.DataType.Type.TEXT,
    exp.DataType.Type.VARCHAR,
    exp.DataType.Type.BIGINT,
    exp.DataType.Type.INT,
    exp.DataType.Type.DECIMAL,
    exp.DataType.Type.DOUBLE,
    exp.DataType.Type.BOOLEAN,
    exp.DataType.Type.DATE,
    exp.DataType.Type.TIMESTAMP,
}


def render(target: str, target_path: Path) -> dict:
    """tests/dbt_dispatch_branches.sql compiled for `target` (no connection is opened)."""
    out = run_dbt(
        *("compile", "--inline", BRANCHES.read_text(encoding="utf-8"), "--no-populate-cache"),
        *("--target-path", str(target_path), "--output", "json", "--log-format", "json", "--quiet"),
        DBT_TARGET=target,
        SECOP_DUCKDB_PATH=str(target_path / "unused.duckdb"),
    )
    line = next(line for line in out.splitlines() if '"compiled"' in line)
    return json.loads(json.loads(line)["data"]["compiled"])


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, dict]:
    """Both targets' renderings, compiled side by side (each dbt process parses the project)."""
    targets = ("redshift", "local")
    with ThreadPoolExecutor(len(targets)) as pool:
        found = pool.map(lambda target: render(target, tmp_path_factory.mktemp(target)), targets)
        return dict(zip(targets, found, strict=True))


@pytest.fixture(scope="module")
def branches(rendered) -> dict[str, dict[str, str]]:
    """Per macro, the SQL of its Redshift branch as Redshift compiles it and its DuckDB one as DuckDB does."""
    return {
        name: {
            "redshift": rendered["redshift"]["macros"][name]["default"],
            "duckdb": rendered["local"]["macros"][name]["duckdb"],
        }
        for name in MACROS
    }


def run_on_rows(column: str, sql_type: str, values: list, expressions: dict[str, str]) -> list[tuple]:
    """(value, each expression over it) for every value, in DuckDB."""
    con = duckdb.connect()
    con.execute(f"create table t (i integer, {column} {sql_type})")
    con.executemany("insert into t values (?, ?)", list(enumerate(values)))
    selects = ", ".join(f"{sql} as {name}" for name, sql in expressions.items())
    return con.execute(f"select {column}, {selects} from t order by i").fetchall()


def test_each_target_compiles_the_branch_named_for_it(rendered):
    assert rendered["redshift"]["adapter"] == "redshift" and rendered["local"]["adapter"] == "duckdb"
    for name in MACROS:
        redshift, local = rendered["redshift"]["macros"][name], rendered["local"]["macros"][name]
        assert redshift["dispatched"] == redshift["default"], name
        assert local["dispatched"] == local["duckdb"], name
        assert redshift["default"] != local["duckdb"], name


def test_redshift_branches_are_redshift_sql(branches):
    for name, sql in branches.items():
        statement = f"select {sql['redshift']} from t"
        assert called_functions(statement) <= REDSHIFT_FUNCTIONS, name
        assert not constructs_redshift_lacks(statement), name


def test_folded_text_branches_agree(branches):
    rows = run_on_rows("value", "varchar", TEXTS, branches["folded_text"])
    assert [redshift for _, redshift, _ in rows] == [duckdb_ for _, _, duckdb_ in rows]
    folded = {value: redshift for value, redshift, _ in rows}
    assert folded["  contratación directa  "] == folded["CONTRATACIÓN DIRECTA"] == "contratacion directa"
    assert folded["ÑANDÚ ÜBER añejo"] == "nandu uber anejo"
    assert folded["\tcontratacion directa\n"] == "\tcontratacion directa\n"
    assert folded["   "] == "" and folded[None] is None


def accented(modality: str) -> str:
    return modality.replace("contratacion", "Contratación").replace("regimen", "Régimen")


def test_is_competitive_branches_agree(branches, rendered):
    listed = rendered["local"]["non_competitive_modalities"]
    assert rendered["redshift"]["non_competitive_modalities"] == listed
    variants = [v for m in listed for v in (m, m.upper(), accented(m), f"  {accented(m).upper()} ", f"{m}s")]
    rows = run_on_rows("value", "varchar", variants + TEXTS, branches["is_competitive"])
    assert [redshift for _, redshift, _ in rows] == [duckdb_ for _, _, duckdb_ in rows]
    competitive = {value: redshift for value, redshift, _ in rows}
    assert not any(competitive[v] for m in listed for v in (m, m.upper(), accented(m), f"  {accented(m).upper()} "))
    assert all(competitive[f"{m}s"] for m in listed)
    assert competitive["Licitación pública"] and competitive["Contratación  directa"]
    assert competitive[None] is False


def test_iso_bogota_branches_agree(branches):
    redshift = sqlglot.transpile(branches["iso_bogota"]["redshift"], read="redshift", write="duckdb")[0]
    duckdb_sql = branches["iso_bogota"]["duckdb"]
    rows = run_on_rows("instant", "timestamp", INSTANTS, {"redshift": redshift, "duckdb": duckdb_sql})
    bogota = ZoneInfo("America/Bogota")
    for instant, via_sqlglot, as_written_duckdb in rows:
        expected = instant.replace(tzinfo=UTC, microsecond=0).astimezone(bogota).isoformat() if instant else None
        assert via_sqlglot == as_written_duckdb == expected, instant
    assert rows[1][2] == "2024-01-01T00:00:00-05:00" and rows[2][2] == "2023-12-31T23:59:59-05:00"


@pytest.mark.parametrize("session_zone", ["UTC", "America/Bogota", "Asia/Tokyo"])
def test_current_utc_timestamp_is_utc_now_whatever_the_session_zone(branches, session_zone):
    con = duckdb.connect()
    con.execute(f"set TimeZone = '{session_zone}'")
    sql = branches["current_utc_timestamp"]["duckdb"]
    before = datetime.now(UTC).replace(tzinfo=None)
    now, kind = con.execute(f"select {sql}, typeof({sql})").fetchone()
    assert kind == "TIMESTAMP"
    assert before - timedelta(seconds=1) <= now <= datetime.now(UTC).replace(tzinfo=None) + timedelta(seconds=1)


def test_current_utc_timestamp_on_redshift_is_getdate(branches):
    """getdate(): the statement's start as a TIMESTAMP in the session's time zone (UTC unless the dbt
    user's `timezone` is set). DuckDB has no getdate(), so this branch is checked as SQL only."""
    assert branches["current_utc_timestamp"]["redshift"].strip() == "getdate()"
    with pytest.raises(duckdb.CatalogException):
        duckdb.connect().execute("select getdate()")


def test_long_text_is_redshifts_longest_varchar_and_duckdbs_text(rendered):
    redshift, local = rendered["redshift"]["long_text_type"], rendered["local"]["long_text_type"]
    assert redshift["dispatched"].strip() == redshift["redshift"].strip() == "varchar(65535)"
    assert local["dispatched"].strip() == local["default"].strip()
    evidence = "x" * 70_000
    assert duckdb.connect().execute(f"select length(cast(? as {local['dispatched']}))", [evidence]).fetchone() == (
        len(evidence),
    )


@pytest.fixture(scope="module")
def views(rendered) -> dict[str, dict[str, str]]:
    return rendered["redshift"]["spectrum_views"]


def test_every_trusted_source_has_a_spectrum_view(views):
    assert set(views) == {source.name for source in SOURCES}
    assert all(set(variants) == {"all", "every_other", "none"} for variants in views.values())


def test_spectrum_views_are_redshift_sql(views):
    statements = {(name, variant): sql for name, variants in views.items() for variant, sql in variants.items()}
    unknown = {key: sorted(called_functions(sql) - REDSHIFT_FUNCTIONS) for key, sql in statements.items()}
    assert not {key: found for key, found in unknown.items() if found}
    assert not {key: kinds for key, sql in statements.items() if (kinds := constructs_redshift_lacks(sql))}


def test_spectrum_views_read_the_external_table_of_their_source(views, rendered):
    schema, external = rendered["redshift"]["trusted_schema"], rendered["redshift"]["trusted_external_schema"]
    for source in SOURCES:
        for variant, sql in views[source.name].items():
            view = parse(sql)
            assert isinstance(view, exp.Create) and view.kind == "VIEW" and view.args["replace"]
            assert view.args["no_schema_binding"], "Spectrum tables need a late-binding view"
            assert (view.this.db, view.this.name) == (schema, source.name)
            read = {(t.db, t.name) for t in view.expression.find_all(exp.Table)}
            assert read == (set() if variant == "none" else {(external, source.name)}), (source.name, variant)


def test_spectrum_views_keep_the_latest_version_of_each_key(views):
    for source in SOURCES:
        for variant in ("all", "every_other"):
            (rank,) = parse(views[source.name][variant]).find_all(exp.Window)
            assert [c.name for c in rank.args["partition_by"]] == list(source.key)
            assert rank.args["order"].expressions[-1].sql("redshift") == "_batch_id DESC"


def test_spectrum_views_declare_every_catalogued_column_with_its_redshift_type(views):
    for source in SOURCES:
        declared = source.trusted_types
        for variant, registered in (("all", set(declared)), ("every_other", set(list(declared)[::2])), ("none", set())):
            selected = parse(views[source.name][variant]).expression.expressions
            assert [column.alias_or_name for column in selected] == list(declared), (source.name, variant)
            for column in selected:
                if column.alias_or_name in registered:
                    assert isinstance(column, exp.Column), (source.name, column.sql())
                    continue
                cast = column.this
                assert isinstance(cast, exp.Cast) and isinstance(cast.this, exp.Null), (source.name, column.sql())
                assert cast.to.this in REDSHIFT_TYPES, (source.name, column.sql())
                expected = exp.DataType.build(declared[column.alias_or_name], dialect="redshift")
                assert cast.to == expected, (source.name, column.sql())
