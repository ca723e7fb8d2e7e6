"""The near-real-time dbt models on DuckDB: the evaluation log, the alerts and the stream view.

A small trusted zone is written straight from the source catalogue (typed columns, a few crafted rows;
no Spark): live contracts whose suppliers are a politically exposed person or a repeat winner, and who
take most of the entity's awarded value (winner_share_of_buyer, its entity minimum lowered to 3 awards). A first
run with `alerts_since` evaluates them with the batch indicators' own SQL and must flag exactly what the
batch models flag; a second run, after a change generation lands (an update, a new contract stamped like
the last one logged, a contract whose new supplier fires), must evaluate just those versions and raise
only the new alerts.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from catalogue import SECOP_II_CONTRATOS, SOURCES, Source
from orchestration.settings import DBT_PROJECT_DIR
from tests.conftest import run_dbt

# docs/indicators/README.md (near-real-time path): the catalogue's (var `indicators`) `streaming: true`
# indicators; the dbt macro streaming_indicator_ids() must evaluate exactly these.
CATALOGUE = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]["indicators"]
STREAMING = sorted(indicator_id for indicator_id, indicator in CATALOGUE.items() if indicator["streaming"])
VARS = json.dumps(
    {"alerts_since": "2024-05-01T09:59:00-05:00", "run_date": "2024-05-02", "winner_share_min_entity_awards": 3}
)
TYPES = {"date": pa.date32(), "amount": pa.decimal128(30, 3), "number": pa.decimal128(30, 3), "integer": pa.int64()}
SYSTEM = {
    "_row_id": pa.string(),
    "_source_updated_at": pa.timestamp("us"),
    "_batch_id": pa.string(),
    "_ingested_at": pa.timestamp("us"),
    "fecha_corte_datos": pa.date32(),
    "_issues": pa.string(),
}
PEP = "1073312971"  # a politically exposed person's id
PERSON = {"documento_proveedor": PEP, "documento_proveedor_key": PEP, "tipodocproveedor": "Cédula de Ciudadanía"}
COMPANY = {"documento_proveedor": "900123456", "documento_proveedor_key": "900123456", "tipodocproveedor": "NIT"}
OTHER_PERSON = {**PERSON, "documento_proveedor": "52000111", "documento_proveedor_key": "52000111"}
day = date.fromisoformat


def schema(source: Source) -> pa.Schema:
    """The trusted columns of a source, typed as the Spark job writes them."""
    fields = [(name, TYPES.get(c.kind, pa.string())) for c in source.columns for name in c.trusted_names]
    return pa.schema(fields + list(SYSTEM.items()))


def land(lake: Path, source: Source, generation: str, rows: list[dict]) -> None:
    """One generation of a trusted table (what the cleaning job writes), as the dbt views read it."""
    folder = lake / "trusted" / source.name / "_year=2024"
    folder.mkdir(parents=True, exist_ok=True)
    stamped = [{"_row_id": f"{source.name}-{i}-{generation}", "_batch_id": generation, **r} for i, r in enumerate(rows)]
    pq.write_table(pa.Table.from_pylist(stamped, schema=schema(source)), folder / f"{generation}.full.00000.parquet")


def contract(number: int, published: str, supplier: dict, **values) -> dict:
    """Contract CO1.PCCNTR.<number> of one entity, as published at `published` (UTC)."""
    return {
        "id_contrato": f"CO1.PCCNTR.{number}",
        "proceso_de_compra": f"CO1.BDOS.{number}",
        "nombre_entidad": "ALCALDIA DE SOPO",
        "nit_entidad": "899999061",
        "nit_entidad_key": "899999061",
        "estado_contrato": "En ejecución",
        "fecha_de_firma": day("2024-04-30"),
        "ultima_actualizacion": day("2024-05-01"),
        "valor_del_contrato": Decimal(1000),
        "_source_updated_at": datetime.fromisoformat(published),
        **supplier,
        **values,
    }


FIRST_CONTRACTS = [
    contract(1, "2024-05-01 15:00:00", PERSON),  # fires pep_supplier
    contract(2, "2024-05-01 15:00:00", COMPANY, fecha_de_firma=day("2024-02-01")),  # 2 to 4 fire repeat_awards
    contract(3, "2024-05-01 15:00:00", COMPANY, fecha_de_firma=day("2024-03-01")),
    contract(4, "2024-05-01 15:00:00", COMPANY),
    contract(5, "2024-05-01 15:00:00", PERSON, estado_contrato="Cancelado"),  # not an award
    contract(6, "2024-05-01 14:00:00", OTHER_PERSON),  # published before alerts_since
]
UPDATED = day("2024-05-02")  # `ultima_actualizacion` of the versions below (the trusted zone's first order)
# Contract 1 updated (still the PEP's), contract 7 new and stamped like the last version logged, contract
# 6 updated with the PEP as its new supplier.
CHANGED_CONTRACTS = [
    contract(1, "2024-05-01 15:05:00", PERSON, valor_del_contrato=Decimal(1500), ultima_actualizacion=UPDATED),
    contract(7, "2024-05-01 15:00:00", PERSON),
    contract(6, "2024-05-01 15:05:00", PERSON, ultima_actualizacion=UPDATED),
]
PEP_POST = {"numero_documento_key": PEP, "denominacion_cargo": "CONCEJAL", "fecha_vinculacion": day("2018-01-01")}
# The award universe needs the processes too (an indicator whose source holds no rows is not evaluated):
# one process that awarded nothing, of a portfolio no contract has.
OPEN_PROCESS = {"id_del_proceso": "CO1.REQ.999", "id_del_portafolio": "CO1.BDOS.999", "adjudicado": "No"}


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.sql(sql).fetchall()


def flagged(warehouse: Path, table: str = "fct_contract_evaluations where is_flagged") -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for indicator_id, award_key in query(warehouse, f"select indicator_id, award_key from {table}"):
        found.setdefault(indicator_id, set()).add(award_key)
    return found


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("live")
    lake, warehouse = root / "lake", root / "warehouse.duckdb"
    first_rows = {
        SECOP_II_CONTRATOS.name: FIRST_CONTRACTS,
        "sigep_pep": [PEP_POST],
        "secop_ii_procesos": [OPEN_PROCESS],
    }
    for source in SOURCES:
        land(lake, source, "20240501T150000000000Z-00000001", first_rows.get(source.name, []))
    env = {
        "SECOP_LAKE_URI": str(lake),
        "SECOP_DUCKDB_PATH": str(warehouse),
        "DBT_TARGET_PATH": str(root / "target"),
        "DBT_LOG_PATH": str(root / "logs"),
    }
    batch = [f"+int_flags__{i}" for i in STREAMING]
    models = ("--resource-type", "model")  # the live models' tests run below
    run_dbt("build", "--target", "local", "--select", "+tag:live", *batch, *models, "--vars", VARS, **env)
    batch_flags = " union all ".join(f"select indicator_id, award_key from int_flags__{i}" for i in STREAMING)
    first = {
        "flagged": flagged(warehouse),
        "batch": flagged(warehouse, f"({batch_flags})"),
        "evaluated": query(
            warehouse, "select indicator_id, count(*) from fct_contract_evaluations group by 1 order by 1"
        ),
        "alerts": query(warehouse, "select award_key, indicator_id from fct_contract_alerts order by 1, 2"),
    }
    land(lake, SECOP_II_CONTRATOS, "20240501T150500000000Z-00000002", CHANGED_CONTRACTS)
    second = run_dbt(
        "build", "--target", "local", "--select", "tag:live", "--exclude", "test_type:unit", "--vars", VARS, **env
    )
    return {"first": first, "second": second, "warehouse": warehouse}


def test_first_run_flags_what_the_batch_models_flag(live):
    first = live["first"]
    # Every streaming indicator, on contracts 1 to 4: live and published since alerts_since.
    assert first["evaluated"] == [(i, 4) for i in STREAMING]
    assert first["flagged"] == {
        "pep_supplier": {"CO1.PCCNTR.1"},
        "repeat_awards": {f"CO1.PCCNTR.{n}" for n in (2, 3, 4)},
        # On 2024-04-30 the entity's window holds 1 to 4 and 6 (5000), the company's 3000; before it, under 3 awards.
        "winner_share_of_buyer": {"CO1.PCCNTR.4"},
    }
    assert first["batch"] == first["flagged"]
    assert first["alerts"] == [
        ("CO1.PCCNTR.1", "pep_supplier"),
        ("CO1.PCCNTR.2", "repeat_awards"),
        ("CO1.PCCNTR.3", "repeat_awards"),
        ("CO1.PCCNTR.4", "repeat_awards"),
        ("CO1.PCCNTR.4", "winner_share_of_buyer"),
    ]


def test_second_run_evaluates_only_the_new_versions_and_raises_only_new_alerts(live):
    assert "ERROR=0" in live["second"] and "WARN=0" in live["second"]  # with the live models' data tests
    warehouse = live["warehouse"]
    versions = query(
        warehouse,
        "select award_key, cast(published_at as varchar), count(*) from fct_contract_evaluations"
        " where detected_at > (select min(detected_at) from fct_contract_evaluations) group by 1, 2 order by 1",
    )
    assert versions == [
        ("CO1.PCCNTR.1", "2024-05-01 15:05:00", len(STREAMING)),
        ("CO1.PCCNTR.6", "2024-05-01 15:05:00", len(STREAMING)),
        ("CO1.PCCNTR.7", "2024-05-01 15:00:00", len(STREAMING)),
    ]
    alerts = query(warehouse, "select award_key, indicator_id, cast(published_at as varchar) from fct_contract_alerts")
    assert sorted(alerts) == [
        ("CO1.PCCNTR.1", "pep_supplier", "2024-05-01 15:00:00"),  # its first firing, not the update
        # With 6 and 7 the PEP holds three 2024 contracts of the entity, 3500 of the window's 6500 (1 now
        # worth 1500): the update fires two more indicators.
        ("CO1.PCCNTR.1", "repeat_awards", "2024-05-01 15:05:00"),
        ("CO1.PCCNTR.1", "winner_share_of_buyer", "2024-05-01 15:05:00"),
        ("CO1.PCCNTR.2", "repeat_awards", "2024-05-01 15:00:00"),
        ("CO1.PCCNTR.3", "repeat_awards", "2024-05-01 15:00:00"),
        ("CO1.PCCNTR.4", "repeat_awards", "2024-05-01 15:00:00"),
        ("CO1.PCCNTR.4", "winner_share_of_buyer", "2024-05-01 15:00:00"),
        ("CO1.PCCNTR.6", "pep_supplier", "2024-05-01 15:05:00"),
        ("CO1.PCCNTR.6", "repeat_awards", "2024-05-01 15:05:00"),
        ("CO1.PCCNTR.6", "winner_share_of_buyer", "2024-05-01 15:05:00"),
        ("CO1.PCCNTR.7", "pep_supplier", "2024-05-01 15:00:00"),
        ("CO1.PCCNTR.7", "repeat_awards", "2024-05-01 15:00:00"),
        ("CO1.PCCNTR.7", "winner_share_of_buyer", "2024-05-01 15:00:00"),
    ]


def test_stream_view_shows_every_evaluation_with_catalogue_labels(live):
    rows = query(
        live["warehouse"],
        'select id_no_contrato, nombre_indicador, tipo_alerta_irregularidad, "window", fecha_ejecucion'
        " from t_result_indicadores_stream",
    )
    assert len(rows) == 7 * len(STREAMING)  # contracts 1 to 4, then 1, 6 and 7 again
    assert ("CO1.PCCNTR.1", "contratos con proveedores PEP", "Si") in {r[:3] for r in rows}
    assert ("CO1.PCCNTR.2", "contratos con proveedores PEP", "No") in {r[:3] for r in rows}
    assert {r[3] for r in rows} == {  # the second run had no window vars: its versions' publications
        '{"start": "2024-05-01T10:00:00-05:00", "end": "2024-05-01T10:00:00-05:00"}',
        '{"start": "2024-05-01T10:00:00-05:00", "end": "2024-05-01T10:05:00-05:00"}',
    }
    assert all(len(r[4]) == 25 and r[4].endswith("-05:00") for r in rows)
