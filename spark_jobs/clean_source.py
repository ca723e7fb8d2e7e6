"""PySpark job: clean one source's committed raw files into `trusted/<source>/` and `quarantine/<source>/`.

Run through Dagster Pipes (`python -m spark_jobs.clean_source`); extras: `spec` (the catalogue's
cleaning spec), `raw_files` (committed raw parquet files), `lake_root`. Outside Dagster, Pipes hands
out a mock context, so the job also runs standalone for debugging.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

from dagster_pipes import PipesContext, open_dagster_pipes
from pyspark.sql import DataFrame, SparkSession

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


def run(spark: SparkSession, spec: dict, raw_files: list[str], lake_root: Path, pipes: PipesContext) -> dict:
    name = spec["name"]
    raw = spark.read.option("mergeSchema", "true").parquet(*raw_files)
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
    pipes.log.info(f"{name}: {rows_in} raw rows -> {rows_trusted} trusted, {rows_quarantined} quarantined")
    return {
        "rows_in": rows_in,
        "rows_trusted": rows_trusted,
        "rows_quarantined": rows_quarantined,
        "rows_superseded": rows_in - rows_trusted - rows_quarantined,
        "quarantine_reasons": reasons,
        "rows_per_year": count_by(trusted, "_year"),
        "raw_files": len(raw_files),
        "trusted_path": str(trusted_dir),
        "schema": {f.name: f.dataType.simpleString() for f in trusted.schema.fields},
    }


def main() -> None:
    with open_dagster_pipes() as pipes:
        spec = pipes.get_extra("spec")
        raw_files = pipes.get_extra("raw_files")
        lake_root = Path(pipes.get_extra("lake_root"))
        spark = spark_session(f"clean_{spec['name']}")
        try:
            figures = run(spark, spec, raw_files, lake_root, pipes)
        finally:
            spark.stop()
        pipes.report_asset_materialization(
            metadata={
                "rows_in": {"raw_value": figures["rows_in"], "type": "int"},
                "rows_trusted": {"raw_value": figures["rows_trusted"], "type": "int"},
                "rows_quarantined": {"raw_value": figures["rows_quarantined"], "type": "int"},
                "rows_superseded": {"raw_value": figures["rows_superseded"], "type": "int"},
                "raw_files": {"raw_value": figures["raw_files"], "type": "int"},
                "trusted_path": {"raw_value": figures["trusted_path"], "type": "path"},
                "quarantine_reasons": {"raw_value": figures["quarantine_reasons"], "type": "json"},
                "rows_per_year": {"raw_value": figures["rows_per_year"], "type": "json"},
                "schema": {"raw_value": figures["schema"], "type": "json"},
            }
        )
        print(json.dumps({k: figures[k] for k in ("rows_in", "rows_trusted", "rows_quarantined")}))


if __name__ == "__main__":
    main()
