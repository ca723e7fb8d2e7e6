"""PySpark job: clean sources' committed raw files into `trusted/<source>/` and `quarantine/<source>/`.

Run through Dagster Pipes (`python -m spark_jobs.clean_source`); extras: `jobs` (one per source: `spec`,
the catalogue's cleaning spec, `raw_files`, its committed raw parquet files, and `checks`, the selected
asset checks), `lake_root` and `quarantine_max_ratio`. One Spark session cleans every selected source in
turn and reports one materialization per source (`trusted/<name>`) with its checks. Outside Dagster,
Pipes hands out a mock context, so the job also runs standalone.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from functools import reduce
from pathlib import Path

from dagster_pipes import PipesContext, open_dagster_pipes
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StringType, StructField, StructType

from spark_jobs.cleaning import clean


def spark_session(app_name: str) -> SparkSession:
    """Local `local[*]` by default; `SPARK_MASTER`/`SPARK_DRIVER_MEMORY` when set (spark-submit sets its own)."""
    builder = SparkSession.builder.appName(app_name)
    for env, key in (("SPARK_MASTER", "spark.master"), ("SPARK_DRIVER_MEMORY", "spark.driver.memory")):
        if os.getenv(env):
            builder = builder.config(key, os.environ[env])
    return (
        builder.config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", os.getenv("SPARK_SHUFFLE_PARTITIONS", "8"))
        .getOrCreate()
    )


def replace_directory(write, target: Path) -> None:
    """Write a whole output next to `target`, then swap it in: readers see the old or the new tree."""
    staging = target.with_name(f".{target.name}.next-{uuid.uuid4().hex[:8]}")
    write(str(staging))
    retired = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    if target.exists():
        target.rename(retired)
    staging.rename(target)
    shutil.rmtree(retired, ignore_errors=True)


def count_by(df: DataFrame, column: str) -> dict[str, int]:
    return {str(row[column]): row["count"] for row in df.groupBy(column).count().collect()}


RAW_SYSTEM_COLUMNS = ("_row_id", "_source_updated_at", "_source_created_at", "_batch_id", "_ingested_at")


def read_raw(spark: SparkSession, spec: dict, raw_files: list[str]) -> DataFrame:
    """The committed raw files; none yet (an empty dataset) reads as no rows of the catalogued columns."""
    if raw_files:
        return spark.read.option("mergeSchema", "true").parquet(*raw_files)
    names = [c["field_name"] for c in spec["columns"]] + list(RAW_SYSTEM_COLUMNS)
    return spark.createDataFrame([], StructType([StructField(n, StringType()) for n in names]))


def run(spark: SparkSession, spec: dict, raw_files: list[str], lake_root: Path, pipes: PipesContext) -> dict:
    name = spec["name"]
    raw = read_raw(spark, spec, raw_files)
    result = clean(raw, spec)
    trusted_dir, quarantine_dir = lake_root / "trusted" / name, lake_root / "quarantine" / name

    quarantined = result.quarantine.withColumnRenamed("_batch_id", "batch")
    replace_directory(
        lambda path: result.trusted.repartition("_year").write.partitionBy("_year").parquet(path), trusted_dir
    )
    replace_directory(lambda path: quarantined.write.partitionBy("batch").parquet(path), quarantine_dir)
    # Read back what was written (with the schema known: an empty quarantine has no parquet file).
    trusted = spark.read.schema(result.trusted.schema).parquet(str(trusted_dir))
    quarantine = spark.read.schema(quarantined.schema).parquet(str(quarantine_dir))
    rows_in, rows_trusted, rows_quarantined = raw.count(), trusted.count(), quarantine.count()
    reasons = count_by(quarantine, "_reason") if rows_quarantined else {}
    keys = spec["key"]
    null_key = reduce(lambda a, b: a | b, (F.col(k).isNull() for k in keys))
    distinct, null_keys = trusted.agg(F.count_distinct(*keys), F.count(F.when(null_key, 1))).first()
    pipes.log.info(f"{name}: {rows_in} raw rows -> {rows_trusted} trusted, {rows_quarantined} quarantined")
    return {
        "rows_in": rows_in,
        "rows_trusted": rows_trusted,
        "rows_quarantined": rows_quarantined,
        "rows_superseded": rows_in - rows_trusted - rows_quarantined,
        "null_keys": null_keys,
        "duplicate_keys": rows_trusted - null_keys - distinct,
        "quarantine_reasons": reasons,
        "rows_per_year": count_by(trusted, "_year"),
        "raw_files": len(raw_files),
        "trusted_path": str(trusted_dir),
        "schema": {f.name: f.dataType.simpleString() for f in trusted.schema.fields},
    }


def _metadata(figures: dict) -> dict:
    kinds = {"trusted_path": "path", "quarantine_reasons": "json", "rows_per_year": "json", "schema": "json"}
    return {name: {"raw_value": value, "type": kinds.get(name, "int")} for name, value in figures.items()}


def report_checks(
    pipes: PipesContext, asset_key: str, selected: list[str], figures: dict, quarantine_max_ratio: float
) -> None:
    """The trusted table's checks (those selected): one row per key, no null key, quarantine under the threshold."""
    kept = figures["rows_trusted"] + figures["rows_quarantined"]
    ratio = figures["rows_quarantined"] / kept if kept else 0.0
    checks = {
        "unique_key": (figures["duplicate_keys"] == 0, "ERROR", {"duplicate_keys": figures["duplicate_keys"]}),
        "non_null_key": (figures["null_keys"] == 0, "ERROR", {"null_keys": figures["null_keys"]}),
        "quarantine_ratio": (
            ratio <= quarantine_max_ratio,
            "WARN",
            {
                "ratio": round(ratio, 6),
                "max_ratio": quarantine_max_ratio,
                "reasons": {"raw_value": figures["quarantine_reasons"], "type": "json"},
            },
        ),
    }
    for name in selected:
        passed, severity, metadata = checks[name]
        pipes.report_asset_check(
            check_name=name, passed=passed, severity=severity, metadata=metadata, asset_key=asset_key
        )


def main() -> None:
    with open_dagster_pipes() as pipes:
        jobs = pipes.get_extra("jobs")
        quarantine_max_ratio = pipes.get_extra("quarantine_max_ratio")
        lake_root = Path(pipes.get_extra("lake_root"))
        spark = spark_session("clean_" + "_".join(job["spec"]["name"] for job in jobs)[:200])
        try:
            for job in jobs:
                figures = run(spark, job["spec"], job["raw_files"], lake_root, pipes)
                asset_key = f"trusted/{job['spec']['name']}"
                pipes.report_asset_materialization(asset_key=asset_key, metadata=_metadata(figures))
                report_checks(pipes, asset_key, job["checks"], figures, quarantine_max_ratio)
                print(json.dumps({"source": job["spec"]["name"], "rows_trusted": figures["rows_trusted"]}))
        finally:
            spark.stop()


if __name__ == "__main__":
    main()
