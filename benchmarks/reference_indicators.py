"""The reference architecture's ten batch indicators in PySpark: the baseline of `benchmarks.indicators`.

    python -m benchmarks.reference_indicators --lake .data/bench/indicators/108000/lake --out /tmp/seed

One function per seed job (`ind_*.py`), written from the reference logic each indicator's page
describes (docs/indicators/<id>.md, "Known limits"), flaws included: `dropDuplicates` keeping an arbitrary
row, joins on raw strings and on names, the process base price as every amount, `sum_distinct`,
mixed-grain totals. It is the baseline, not a fix.
Each returns one `t_result_indicadores_batch` row; all ten are written to parquet at the end.

Where it differs from the seed, no difference adds work: it reads our trusted zone (the whole table where
the seed reads its `fecha_corte_datos` partition) under our API field names, renamed to the seed's clean
names by a `select`; the ten jobs share one SparkSession (the seed submits ten); each summary row is one
Spark action (the seed counts and sums in several, re-reading its inputs), so the baseline is optimistic.
Trusted names are already upper-cased and trimmed, and quantities are typed: the seed's string comparison
of quantities runs on their text (`cast(... as string)`).

Seed name = our trusted column:
- processes p6dx-8zbt (`secop_ii_procesos`): id_proceso = id_del_proceso, id_portafolio = id_del_portafolio,
  nombre_entidad = entidad, id_nit_entidad = nit_entidad, id_nit_proveedor = nit_del_proveedor_adjudicado,
  nombre_proveedor = nombre_del_proveedor, monto_precio_base = precio_base, monto_total_adjudicado =
  valor_total_adjudicacion, fecha_publicacion = fecha_de_publicacion_del, nombre_contrato = nombre_del_procedimiento
- offers wi7w-2nvm (`secop_ii_ofertas`): id_proceso_compra = id_del_proceso_de_compra, monto_oferta =
  valor_de_la_oferta, fecha_registro_oferta = fecha_de_registro, id_nit_proveedor = nit_del_proveedor,
  nombre_proveedor = nombre_proveedor
- RUES c82u-588k (`rues_personas`): nombre_razon_social = razon_social, id_empresa = numero_identificacion,
  id_nit_empresa = nit, id_digito_verificacion = digito_verificacion, fecha_ultima_renovacion =
  fecha_renovacion, fecha_cancelacion = fecha_cancelacion, tipo_estado_matricula = estado_matricula
- PEP 3qxn-uc22 (`sigep_pep`): id_nit_pep = numero_documento
- sensitive posts 5u9e-g5w9 (`sigep_puestos_sensibles`): id_nit_identificacion = identificacion_funcionario
- cancelled contracts 8uyg-q2s6 (`secop_ii_contratos_cancelados`): id_nit_rep_legal =
  identificaci_n_representante (the dataset's truncated field name)
- execution mfmm-jqmq (`secop_ii_ejecucion`): id_contrato = identificadorcontrato, cant_recibir =
  cantidadporrecibir, cant_recibida = cantidadrecibida
- fines it5q-hg94 (`secop_ii_multas`): nombre_contratista_sancionado = nombre_proveedor_objeto_de
- PACO works (`paco_obras_inconclusas`): nombre_rol_1 = nombre_2006
- PACO fiscal bulletin (`paco_responsabilidad_fiscal`): nombre_responsable_fiscal = responsable_fiscal
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from pyspark.sql import Column, DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

from catalogue.lake_layout import trusted_dir
from orchestration.java import ensure_java

PLACEHOLDER_NITS = ("No Definido", "No Adjudicado")

PROCESSES = {
    "id_proceso": "id_del_proceso",
    "id_portafolio": "id_del_portafolio",
    "nombre_entidad": "entidad",
    "id_nit_entidad": "nit_entidad",
    "id_nit_proveedor": "nit_del_proveedor_adjudicado",
    "nombre_proveedor": "nombre_del_proveedor",
    "monto_precio_base": "precio_base",
    "monto_total_adjudicado": "valor_total_adjudicacion",
    "fecha_publicacion": "fecha_de_publicacion_del",
    "nombre_contrato": "nombre_del_procedimiento",
}
OFFERS = {
    "id_proceso_compra": "id_del_proceso_de_compra",
    "monto_oferta": "valor_de_la_oferta",
    "fecha_registro_oferta": "fecha_de_registro",
    "id_nit_proveedor_oferta": "nit_del_proveedor",
    "nombre_proveedor_oferta": "nombre_proveedor",
}
RUES = {
    "nombre_razon_social": "razon_social",
    "id_empresa": "numero_identificacion",
    "id_nit_empresa": "nit",
    "id_digito_verificacion": "digito_verificacion",
    "fecha_ultima_renovacion": "fecha_renovacion",
    "fecha_cancelacion": "fecha_cancelacion",
    "tipo_estado_matricula": "estado_matricula",
}

# indicator id -> (nombre_indicador, nombre_grupo_indicador), byte-exact (docs/indicators/README.md#the-indicators)
LABELS = {
    "repeat_awards": ("abuso de la contratación", "otros indicadores"),
    "costly_offers": ("ofertas Costosas", "otros indicadores"),
    "inactive_supplier": ("contratos con proveedores inactivos", "otros indicadores"),
    "pep_supplier": ("contratos con proveedores PEP", "otros indicadores"),
    "sensitive_post_supplier": ("contratos con proveedores con puestos sensibles", "otros indicadores"),
    "supplier_cancelled_contracts": ("contratistas con contratos cancelados", "indicadores incumplimiento"),
    "delivery_noncompliance": ("contratos con incumplimiento de entregas", "indicadores incumplimiento"),
    "barred_fines": ("inhabilitados por multa", "indicadores por inhabilidad"),
    "barred_unfinished_works": ("inhabilitados por obras inconclusas", "indicadores por inhabilidad"),
    "barred_fiscal_liability": ("inhabilitados por responsabilidad fiscal", "indicadores por inhabilidad"),
}

RESULT_SCHEMA = T.StructType(
    [
        T.StructField("nombre_grupo_indicador", T.StringType(), False),
        T.StructField("nombre_indicador", T.StringType(), False),
        T.StructField("cantidad_irregularidades", T.IntegerType(), False),
        T.StructField("cantidad_contratos_irregularidades", T.IntegerType(), False),
        T.StructField("monto_total_irregularidades", T.DecimalType(30, 3), True),
        T.StructField("cantidad_contratos_totales", T.IntegerType(), True),
        T.StructField("fecha_ejecucion", T.DateType(), True),
    ]
)


def spark_session(driver_memory: str = "16g", shuffle_partitions: int = 8) -> SparkSession:
    """`local[*]` sized for this 24 GiB, 2-core machine (the seed runs each job on its own EMR step)."""
    ensure_java()
    return (
        SparkSession.builder.appName("secop-reference-indicators")
        .master(os.getenv("SPARK_MASTER", "local[*]"))
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )


def table(spark: SparkSession, lake: str, source: str, names: dict[str, str] | None = None) -> DataFrame:
    """A trusted table, with the seed's clean names for the columns in `names` (seed name -> ours)."""
    df = spark.read.parquet(f"{lake}/{trusted_dir(source)}")
    return df.select(*[F.col(ours).alias(seed) for seed, ours in names.items()]) if names else df


def processes(spark: SparkSession, lake: str) -> DataFrame:
    return table(spark, lake, "secop_ii_procesos", PROCESSES)


def _row(found, totals: int | None = None) -> dict:
    """The counts of a summary row from the aggregate row `found` (nulls of empty sums become 0)."""
    return {
        "cantidad_irregularidades": int(found["irregularidades"] or 0),
        "cantidad_contratos_irregularidades": int(found["contratos"] or 0),
        "monto_total_irregularidades": found["monto"] if found["monto"] is not None else Decimal(0),
        "cantidad_contratos_totales": int(totals if totals is not None else found["totales"]),
    }


def _joined_rows(joined: DataFrame, spark: SparkSession, lake: str) -> dict:
    """irregularidades = contratos = joined rows, monto = base price summed over them, totales = process rows."""
    found = joined.agg(
        F.count(F.lit(1)).alias("irregularidades"),
        F.count(F.lit(1)).alias("contratos"),
        F.sum("monto_precio_base").alias("monto"),
    ).first()
    return _row(found, processes(spark, lake).count())


def _named_rows(joined: DataFrame, name: str, spark: SparkSession, lake: str) -> dict:
    """irregularidades = distinct names, contratos = distinct portfolios, monto = base price summed."""
    found = joined.agg(
        F.countDistinct(name).alias("irregularidades"),
        F.countDistinct("id_portafolio").alias("contratos"),
        F.sum("monto_precio_base").alias("monto"),
    ).first()
    return _row(found, processes(spark, lake).count())


def repeat_awards(spark: SparkSession, lake: str) -> dict:
    """§1 abuso de la contratación: ≥3 processes per (entity NIT, supplier NIT, publication year)."""
    awarded = (
        processes(spark, lake).dropDuplicates(["id_proceso"]).filter(~F.col("id_nit_proveedor").isin(*PLACEHOLDER_NITS))
    )
    groups = awarded.groupBy("id_nit_entidad", "id_nit_proveedor", F.year("fecha_publicacion").alias("anio")).agg(
        F.count(F.lit(1)).alias("cantidad_asignadas"), F.sum("monto_precio_base").alias("monto_precio_base")
    )
    fired = F.col("cantidad_asignadas") >= 3
    found = groups.agg(
        F.count(F.when(fired, 1)).alias("irregularidades"),
        F.sum(F.when(fired, F.col("cantidad_asignadas"))).alias("contratos"),
        F.sum(F.when(fired, F.col("monto_precio_base"))).alias("monto"),
        F.count(F.lit(1)).alias("totales"),
    ).first()
    return _row(found)


def costly_offers(spark: SparkSession, lake: str) -> dict:
    """§2 ofertas Costosas: the cheapest offer (nulls first) is another supplier's, below the award."""
    joined = (
        processes(spark, lake)
        .dropDuplicates(["id_proceso"])
        .join(table(spark, lake, "secop_ii_ofertas", OFFERS), F.col("id_portafolio") == F.col("id_proceso_compra"))
    )
    cheapest_first = Window.partitionBy("id_proceso_compra").orderBy(
        F.col("monto_oferta").asc(), F.col("fecha_registro_oferta").asc()
    )
    same_supplier = (F.col("id_nit_proveedor") == F.col("id_nit_proveedor_oferta")) | (
        F.upper("nombre_proveedor") == F.upper("nombre_proveedor_oferta")
    )
    difference = F.greatest(F.col("monto_total_adjudicado") - F.col("monto_oferta"), F.lit(0))
    ranked = joined.withColumn("rank", F.row_number().over(cheapest_first))
    fired = (F.col("rank") == 1) & (difference > 0) & ~same_supplier
    found = ranked.agg(
        F.count(F.when(fired, 1)).alias("irregularidades"),
        F.count(F.when(fired, 1)).alias("contratos"),
        F.sum(F.when(fired, F.col("monto_precio_base"))).alias("monto"),
        F.count(F.lit(1)).alias("totales"),
    ).first()
    return _row(found)


def inactive_supplier(spark: SparkSession, lake: str) -> dict:
    """§3 proveedores inactivos: supplier NIT = a CANCELADA registration's NIT or id; one row per supplier."""
    cancelled = table(spark, lake, "rues_personas", RUES).filter(F.col("tipo_estado_matricula") == "CANCELADA")
    rows = processes(spark, lake).select("id_proceso", "id_nit_proveedor", "monto_precio_base")
    by_nit = rows.join(cancelled, rows["id_nit_proveedor"] == cancelled["id_nit_empresa"])
    by_id = rows.join(cancelled, rows["id_nit_proveedor"] == cancelled["id_empresa"])
    suppliers = by_nit.unionByName(by_id).dropDuplicates(["id_nit_proveedor"])
    found = suppliers.agg(
        F.count(F.lit(1)).alias("irregularidades"),
        F.count("id_proceso").alias("contratos"),
        F.sum("monto_precio_base").alias("monto"),
    ).first()
    return _row(found, processes(spark, lake).count())


def pep_supplier(spark: SparkSession, lake: str) -> dict:
    """§4 proveedores PEP: supplier NIT = a PEP document, every joined row counted."""
    pep = table(spark, lake, "sigep_pep", {"id_nit_pep": "numero_documento"})
    joined = (
        processes(spark, lake)
        .dropDuplicates(["id_proceso"])
        .join(pep, F.col("id_nit_proveedor") == F.col("id_nit_pep"))
    )
    return _joined_rows(joined, spark, lake)


def sensitive_post_supplier(spark: SparkSession, lake: str) -> dict:
    """§5 puestos sensibles: processes not deduped, supplier NIT = a sensitive post holder's id."""
    posts = table(spark, lake, "sigep_puestos_sensibles", {"id_nit_identificacion": "identificacion_funcionario"})
    joined = processes(spark, lake).join(posts, F.col("id_nit_proveedor") == F.col("id_nit_identificacion"))
    return _joined_rows(joined, spark, lake)


def supplier_cancelled_contracts(spark: SparkSession, lake: str) -> dict:
    """§6 contratos cancelados: supplier NIT = a cancelled contract's legal representative's id."""
    cancelled = (
        table(spark, lake, "secop_ii_contratos_cancelados", {"id_nit_rep_legal": "identificaci_n_representante"})
        .groupBy("id_nit_rep_legal")
        .agg(F.count(F.lit(1)).alias("cantidad_cancelados"))
    )
    joined = (
        processes(spark, lake)
        .dropDuplicates(["id_portafolio"])
        .join(cancelled, F.col("id_nit_proveedor") == F.col("id_nit_rep_legal"))
        .filter(F.col("id_nit_rep_legal") != "No Definido")
    )
    found = joined.agg(
        F.countDistinct("id_nit_proveedor").alias("irregularidades"),
        F.countDistinct("id_portafolio").alias("contratos"),
        F.sum("monto_precio_base").alias("monto"),
    ).first()
    return _row(found, processes(spark, lake).count())


def delivery_noncompliance(spark: SparkSession, lake: str) -> dict:
    """§7 incumplimiento de entregas: received < due compared as text; contract and process numbers joined."""
    lines = table(
        spark,
        lake,
        "secop_ii_ejecucion",
        {
            "id_contrato": "identificadorcontrato",
            "cant_recibir": "cantidadporrecibir",
            "cant_recibida": "cantidadrecibida",
        },
    ).select("id_contrato", *[F.col(c).cast("string").alias(c) for c in ("cant_recibir", "cant_recibida")])
    failing = (
        lines.filter(
            F.col("cant_recibida").isNotNull()
            & (F.col("cant_recibida") != "No Definido")
            & (F.col("cant_recibir") != "No Definido")
        )
        .withColumn("incumple", F.when(F.col("cant_recibida") < F.col("cant_recibir"), 1).otherwise(0))
        .groupBy("id_contrato")
        .agg(F.sum("incumple").alias("cantidad_incumplimientos"))
        .filter(F.col("cantidad_incumplimientos") > 0)
        .withColumn("numero", F.substring("id_contrato", 12, 8))
    )
    awarded = (
        processes(spark, lake)
        .filter(~F.col("id_nit_proveedor").isin(*PLACEHOLDER_NITS))
        .select("id_proceso", "id_nit_proveedor", "monto_precio_base", "nombre_contrato")
        .distinct()
        .withColumn("numero", F.substring("id_proceso", 9, 8))
    )
    found = (
        failing.join(awarded, "numero")
        .agg(
            F.sum("cantidad_incumplimientos").alias("irregularidades"),
            F.countDistinct("numero").alias("contratos"),
            F.sum_distinct("monto_precio_base").alias("monto"),
        )
        .first()
    )
    return _row(found, processes(spark, lake).count())


def _listed_names(df: DataFrame, name: Column) -> DataFrame:
    return df.select(name.alias("nombre_listado")).filter(F.col("nombre_listado").isNotNull()).distinct()


def barred_fines(spark: SparkSession, lake: str) -> dict:
    """§8 inhabilitados por multa: upper-cased trimmed supplier name = a sanctioned supplier's name."""
    names = _listed_names(table(spark, lake, "secop_ii_multas"), F.upper(F.trim("nombre_proveedor_objeto_de")))
    joined = (
        processes(spark, lake)
        .dropDuplicates(["id_portafolio"])
        .join(names, F.upper(F.trim("nombre_proveedor")) == F.col("nombre_listado"))
    )
    return _named_rows(joined, "nombre_listado", spark, lake)


def barred_unfinished_works(spark: SparkSession, lake: str) -> dict:
    """§9 obras inconclusas: supplier name = a trimmed (not upper-cased) party name of the register."""
    names = _listed_names(table(spark, lake, "paco_obras_inconclusas"), F.trim("nombre_2006"))
    joined = (
        processes(spark, lake)
        .dropDuplicates(["id_portafolio"])
        .join(names, F.col("nombre_proveedor") == F.col("nombre_listado"))
    )
    return _named_rows(joined, "nombre_listado", spark, lake)


def barred_fiscal_liability(spark: SparkSession, lake: str) -> dict:
    """§10 responsabilidad fiscal: processes not deduped, supplier name = a bulletin name as written."""
    names = _listed_names(table(spark, lake, "paco_responsabilidad_fiscal"), F.col("responsable_fiscal"))
    joined = processes(spark, lake).join(names, F.col("nombre_proveedor") == F.col("nombre_listado"))
    return _named_rows(joined, "nombre_listado", spark, lake)


INDICATORS: dict[str, Callable[[SparkSession, str], dict]] = {
    "repeat_awards": repeat_awards,
    "costly_offers": costly_offers,
    "inactive_supplier": inactive_supplier,
    "pep_supplier": pep_supplier,
    "sensitive_post_supplier": sensitive_post_supplier,
    "supplier_cancelled_contracts": supplier_cancelled_contracts,
    "delivery_noncompliance": delivery_noncompliance,
    "barred_fines": barred_fines,
    "barred_unfinished_works": barred_unfinished_works,
    "barred_fiscal_liability": barred_fiscal_liability,
}


def result_row(indicator: str, counts: dict, run_date: date) -> dict:
    """One `t_result_indicadores_batch` row."""
    name, group = LABELS[indicator]
    return {"nombre_grupo_indicador": group, "nombre_indicador": name, **counts, "fecha_ejecucion": run_date}


def run_all(spark: SparkSession, lake: str, run_date: date) -> tuple[list[dict], dict[str, float]]:
    """Every indicator's summary row, and the seconds each took."""
    rows, seconds = [], {}
    for indicator, compute in INDICATORS.items():
        started = time.perf_counter()
        rows.append(result_row(indicator, compute(spark, lake), run_date))
        seconds[indicator] = round(time.perf_counter() - started, 2)
    return rows, seconds


def write_results(spark: SparkSession, rows: list[dict], out: str) -> None:
    """The summary rows as `t_result_indicadores_batch` parquet (replaced, not appended)."""
    ordered = [tuple(row[f.name] for f in RESULT_SCHEMA.fields) for row in rows]
    spark.createDataFrame(ordered, RESULT_SCHEMA).coalesce(1).write.mode("overwrite").parquet(out)


def _jsonable(row: dict) -> dict:
    return {k: str(v) if isinstance(v, (Decimal, date)) else v for k, v in row.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lake", required=True, help="lake folder holding trusted/<source>/")
    parser.add_argument("--out", required=True, help="folder for the t_result_indicadores_batch parquet")
    parser.add_argument("--run-date", default=date.today().isoformat())
    parser.add_argument("--driver-memory", default="16g")
    parser.add_argument("--shuffle-partitions", type=int, default=8)
    args = parser.parse_args()
    started = time.perf_counter()
    spark = spark_session(args.driver_memory, args.shuffle_partitions)
    session_seconds = time.perf_counter() - started
    rows, seconds = run_all(spark, os.path.abspath(args.lake), date.fromisoformat(args.run_date))
    write_started = time.perf_counter()
    write_results(spark, rows, args.out)
    figures = {
        "session_start_seconds": round(session_seconds, 2),
        "indicator_seconds": seconds,
        "write_seconds": round(time.perf_counter() - write_started, 2),
        "seconds": round(time.perf_counter() - started, 2),
        "rows": [_jsonable(row) for row in rows],
    }
    spark.stop()
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
