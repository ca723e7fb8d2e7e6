"""Models incremental on the trusted zone's changes equal a full build (docs/incremental.md).

The session's warehouse and a copy of its trusted zone take two days of change files that move offers,
processes and contracts from one portfolio to another, move awards to another entity or date, cancel
contracts and registrations, cheapen offers, give registrations another registration's NIT and add rows of
every award source and of the registrations; after each day an incremental `dbt build` must leave every
such model equal to a full refresh of it on the same lake.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from catalogue.lake_layout import TRUSTED
from simulator.truth import RUN_DATE
from tests.conftest import run_dbt
from tests.trusted_changes import add_generation

pytestmark = [pytest.mark.e2e, pytest.mark.spark]

# source -> (key, the column that places a row in a unit (moved on purpose), an edit of its content)
CHANGES = {
    "secop_ii_ofertas": ("identificador_de_la_oferta", "id_del_proceso_de_compra", "valor_de_la_oferta / 3"),
    "secop_ii_procesos": ("id_del_proceso", "id_del_portafolio", "precio_base * 2"),
    "secop_ii_contratos": ("id_contrato", "proceso_de_compra", "'Cancelado'"),
    "secop_i_procesos": ("uid", None, "cuantia_contrato * 2"),
    "tvec_ordenes": ("identificador_de_la_orden", None, "'Cancelada'"),
    "rues_personas": ("matricula", "nit_key", "'CANCELADA'"),  # the key is (codigo_camara, matricula)
}
EDITED = {"secop_ii_contratos": "estado_contrato", "tvec_ordenes": "estado", "rues_personas": "estado_matricula"}
# source -> (the columns of an award's entity, its award date): awards moved to another row's entity (odd
# rows) or 200 days later (even rows), which changes the windows of the old and the new entity and date.
MOVED_AWARDS = {
    "secop_ii_contratos": (["nit_entidad", "nit_entidad_key"], "fecha_de_firma"),
    "secop_ii_procesos": (["nit_entidad", "nit_entidad_key"], "fecha_adjudicacion"),
}
ROWS = 15  # per kind of change, per source and day


def incremental_models() -> list[str]:
    """The models incremental on the trusted zone's changes: those whose config names their sources or the
    changed awards their inputs record."""
    listed = run_dbt("ls", "--resource-type", "model", "--output", "json", "--output-keys", "name config", "--quiet")
    nodes = [json.loads(line) for line in listed.splitlines() if line.startswith("{")]
    meta = {node["name"]: node["config"]["meta"] for node in nodes}
    return sorted(
        name for name, config in meta.items() if config.get("incremental_sources") or config.get("incremental_on")
    )


def day_of_changes(lake: Path, day: int) -> None:
    """Moved, edited and new rows of every award source and of the registrations, as the generation of `day`."""
    generation = f"29990101T00000{day}000000Z-test"
    for source, (key, unit, edit) in CHANGES.items():
        edited = EDITED.get(source) or edit.split()[0]
        ranked = f"(select *, row_number() over (order by hash({key}, {day})) as n from versions)"
        parts = [
            f"select * exclude (n) replace ({edit} as {edited}) from {ranked} "
            f"where n between {ROWS + 1} and {2 * ROWS}",
            f"select * exclude (n) replace ({key} || '-d{day}' as {key}) from {ranked} "
            f"where n between {2 * ROWS + 1} and {3 * ROWS}",
        ]
        if unit:  # a row moved to the unit of another row
            parts.append(
                f"select a.* exclude (n, {unit}), b.{unit} from {ranked} a join {ranked} b on b.n = a.n + 1 "
                f"where a.n <= {ROWS}"
            )
        if source in MOVED_AWARDS:  # an award moved to another entity or date
            entity, date = MOVED_AWARDS[source]
            moved = [f"case when a.n % 2 = 1 then b.{column} else a.{column} end as {column}" for column in entity]
            moved.append(f"case when a.n % 2 = 0 then a.{date} + 200 else a.{date} end as {date}")
            parts.append(
                f"select a.* exclude (n) replace ({', '.join(moved)}) from {ranked} a join {ranked} b "
                f"on b.n = a.n + 1 where a.n between {3 * ROWS + 1} and {4 * ROWS}"
            )
        assert add_generation(lake, source, generation, " union all by name ".join(parts)) >= 2 * ROWS


def rows(warehouse: Path, model: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return sorted(con.sql(f"select * from {model}").fetchall(), key=repr)


def test_incremental_models_equal_a_full_refresh_day_after_day(pipeline, tmp_path):
    models = incremental_models()
    assert {
        "int_awards",
        "int_bid_gaps",
        "int_bids",
        "int_rues_documents",
        "int_universe__costly_offers",
        "int_winner_share_windows",
        "stg_secop_ii_contratos",
        "fct_contract_risk",
    } <= set(models)
    lake, warehouse, full = tmp_path / "lake", tmp_path / "warehouse.duckdb", tmp_path / "full.duckdb"
    shutil.copytree(pipeline.lake / TRUSTED, lake / TRUSTED)
    shutil.copy(pipeline.warehouse, warehouse)
    dbt_vars = json.dumps({"run_date": RUN_DATE})
    for day in (1, 2):
        day_of_changes(lake, day)
        env = {"SECOP_LAKE_URI": str(lake), "SECOP_DUCKDB_PATH": str(warehouse)}
        output = run_dbt("build", "--exclude-resource-type", "unit_test", "--vars", dbt_vars, **env)
        assert "ERROR=0" in output and "rebuilding it in full" not in output
        shutil.copy(warehouse, full)
        full_env = {**env, "SECOP_DUCKDB_PATH": str(full)}
        run_dbt("run", "--full-refresh", "--select", " ".join(models), "--vars", dbt_vars, **full_env)
        for model in models:
            incremental = rows(warehouse, model)
            assert incremental == rows(full, model), f"day {day}: {model} differs from a full refresh"
            assert incremental, f"{model} is empty"
        with duckdb.connect(str(warehouse), read_only=True) as con:  # an incremental mart keeps its lookup index
            indexed = {table for (table,) in con.execute("select table_name from duckdb_indexes()").fetchall()}
        assert {"fct_entity_profile", "fct_supplier_profile", "dim_entity", "dim_supplier"} <= indexed


def test_a_new_full_build_of_a_source_rebuilds_its_models(pipeline, tmp_path):
    """A source whose full build changed (a compaction, rows deleted upstream) rebuilds the models that read
    it in full: the change files since their last run no longer say everything that changed."""
    lake, warehouse = tmp_path / "lake", tmp_path / "warehouse.duckdb"
    shutil.copytree(pipeline.lake / TRUSTED, lake / TRUSTED)
    shutil.copy(pipeline.warehouse, warehouse)
    offers = next((lake / TRUSTED).glob("secop_ii_ofertas"))
    for path in offers.glob("*/*.full.*.parquet"):  # the full build again, as a later generation
        path.rename(path.with_name(re.sub(r"^[^.]+", "29990101T000000000000Z-rebuilt", path.name)))
    env = {"SECOP_LAKE_URI": str(lake), "SECOP_DUCKDB_PATH": str(warehouse)}
    output = run_dbt("run", "--select", "int_bid_gaps", "--vars", json.dumps({"run_date": RUN_DATE}), **env)
    assert "the full build of secop_ii_ofertas changed: rebuilding it in full" in output
    assert rows(warehouse, "int_bid_gaps") == rows(pipeline.warehouse, "int_bid_gaps")


def test_new_risk_weights_rescore_every_award(pipeline, tmp_path):
    """fct_contract_risk recomputes only the changed awards, unless what scores every award changed: new
    weights rebuild it in full, and the same weights again leave every row as it was."""
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(pipeline.warehouse, warehouse)
    env = {"SECOP_LAKE_URI": str(pipeline.lake), "SECOP_DUCKDB_PATH": str(warehouse)}
    weighted = json.dumps({"run_date": RUN_DATE, "risk_weights": {"single_bidder": 3}})
    output = run_dbt("run", "--select", "fct_contract_risk", "--vars", weighted, **env)
    assert "its settings changed (weights, indicators, those evaluated, profile_top): rebuilding it in full" in output
    rescored = rows(warehouse, "fct_contract_risk")
    assert rescored != rows(pipeline.warehouse, "fct_contract_risk")
    output = run_dbt("run", "--select", "fct_contract_risk", "--vars", weighted, **env)
    assert "rebuilding it in full" not in output
    assert rows(warehouse, "fct_contract_risk") == rescored
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from changed_awards").fetchall() == [(0,)]
