"""The PySpark baseline of benchmarks/indicators.py reproduces the seed's logic, flaws included."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from benchmarks.reference_indicators import INDICATORS, LABELS, run_all
from catalogue import SOURCES
from catalogue.lake_layout import trusted_dir

pytestmark = pytest.mark.spark

D = Decimal
DAY = date(2024, 3, 1)


def _process(n: int, nit: str, name: str, base: int, awarded: int) -> dict:
    return {
        "id_del_proceso": f"CO1.REQ.100000{n}",
        "id_del_portafolio": f"CO1.BDOS.{n}",
        "entidad": "ALCALDIA",
        "nit_entidad": "890000001",
        "nit_del_proveedor_adjudicado": nit,
        "nombre_del_proveedor": name,
        "precio_base": D(base),
        "valor_total_adjudicacion": D(awarded),
        "fecha_de_publicacion_del": DAY,
        "nombre_del_procedimiento": f"proceso {n}",
    }


TABLES = {
    "secop_ii_procesos": [
        _process(1, "900", "ACME", 100, 150),
        _process(2, "900", "ACME", 100, 150),
        _process(3, "900", "ACME", 100, 150),
        _process(4, "No Definido", "NADIE", 10, 10),
        _process(5, "800", "BETA", 50, 200),
    ],
    "secop_ii_ofertas": [  # B5: a cheaper bidder than the winner; B1: a null offer sorts first and hides it
        {"id_del_proceso_de_compra": "CO1.BDOS.5", "valor_de_la_oferta": D(120), "nit_del_proveedor": "700"},
        {"id_del_proceso_de_compra": "CO1.BDOS.5", "valor_de_la_oferta": D(190), "nit_del_proveedor": "800"},
        {"id_del_proceso_de_compra": "CO1.BDOS.1", "valor_de_la_oferta": None, "nit_del_proveedor": "700"},
        {"id_del_proceso_de_compra": "CO1.BDOS.1", "valor_de_la_oferta": D(140), "nit_del_proveedor": "900"},
    ],
    "rues_personas": [  # 900 cancelled as a NIT and as an id number: one supplier after the union
        {"nit": "900", "numero_identificacion": None, "estado_matricula": "CANCELADA"},
        {"nit": None, "numero_identificacion": "900", "estado_matricula": "CANCELADA"},
        {"nit": "800", "numero_identificacion": None, "estado_matricula": "ACTIVA"},
    ],
    "sigep_pep": [{"numero_documento": "800"}, {"numero_documento": "800"}],  # two posts, two hits
    "sigep_puestos_sensibles": [{"identificacion_funcionario": "900"}],
    "secop_ii_contratos_cancelados": [
        {"identificaci_n_representante": "800"},
        {"identificaci_n_representante": "800"},
        {"identificaci_n_representante": "No Definido"},
    ],
    "secop_ii_ejecucion": [  # compared as text: "9.000" < "10.000" is false, "3.000" < "5.000" true
        {"identificadorcontrato": "CO1.PCCNTR.1000001", "cantidadporrecibir": D(10), "cantidadrecibida": D(9)},
        {"identificadorcontrato": "CO1.PCCNTR.1000001", "cantidadporrecibir": D(5), "cantidadrecibida": D(3)},
    ],
    "secop_ii_multas": [{"nombre_proveedor_objeto_de": " acme "}],  # upper-cased and trimmed: matches
    "paco_obras_inconclusas": [{"nombre_2006": "BETA "}, {"nombre_2006": "acme"}],  # trimmed only
    "paco_responsabilidad_fiscal": [{"responsable_fiscal": "ACME"}, {"responsable_fiscal": "BETA "}],  # as written
}
DEFAULTS = {  # columns the reference reads but the scenario leaves alone
    "secop_ii_ofertas": {"fecha_de_registro": DAY, "nombre_proveedor": "OTRO"},
    "rues_personas": {
        "razon_social": "X",
        "digito_verificacion": "1",
        "fecha_renovacion": DAY,
        "fecha_cancelacion": DAY,
    },
}

# indicator -> (irregularidades, contratos_irregularidades, monto, contratos_totales)
EXPECTED = {
    "repeat_awards": (1, 3, D(300), 2),  # totales = groups, not contracts
    "costly_offers": (1, 1, D(50), 4),  # base price, not the award; totales = joined offer rows
    "inactive_supplier": (1, 1, D(100), 5),
    "pep_supplier": (2, 2, D(100), 5),
    "sensitive_post_supplier": (3, 3, D(300), 5),
    "supplier_cancelled_contracts": (1, 1, D(50), 5),
    "delivery_noncompliance": (1, 1, D(100), 5),
    "barred_fines": (1, 3, D(300), 5),
    "barred_unfinished_works": (1, 1, D(50), 5),
    "barred_fiscal_liability": (1, 3, D(300), 5),
}


def test_the_scenario_reads_the_trusted_columns_the_catalogue_declares():
    """The baseline reads the trusted zone by its real column names (a renamed field fails here first)."""
    trusted = {source.name: set(source.trusted_types) for source in SOURCES}
    unknown = {
        (source, column)
        for source, rows in TABLES.items()
        for row in rows
        for column in {**DEFAULTS.get(source, {}), **row}
        if column not in trusted[source]
    }
    assert unknown == set()


def test_seed_logic_and_flaws(spark, tmp_path):
    for source, rows in TABLES.items():
        rows = [{**DEFAULTS.get(source, {}), **row} for row in rows]
        spark.createDataFrame(rows).write.parquet(str(tmp_path / trusted_dir(source)))
    rows, seconds = run_all(spark, str(tmp_path), date(2026, 1, 15))
    found = {
        row["nombre_indicador"]: (
            row["cantidad_irregularidades"],
            row["cantidad_contratos_irregularidades"],
            row["monto_total_irregularidades"],
            row["cantidad_contratos_totales"],
        )
        for row in rows
    }
    assert found == {LABELS[indicator][0]: counts for indicator, counts in EXPECTED.items()}
    assert set(seconds) == set(INDICATORS)
