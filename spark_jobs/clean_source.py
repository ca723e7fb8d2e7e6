"""PySpark job: apply sources' new raw batches to `trusted/<source>/` and `quarantine/<source>/`.

Run through Dagster Pipes (`python -m spark_jobs.clean_source`); extras: `jobs` (one per source: `spec`,
the catalogue's cleaning spec, `raw_files`, its committed raw files with their batch, `pending_batches`,
those not yet applied, and `checks`, the selected asset checks), `lake_root`, `layout` (the lake's folder
and partition names, from catalogue/lake_layout.py), `full_refresh`, `compact_ratio` and
`quarantine_max_ratio`. One Spark session handles every selected source in turn
(spark_jobs/trusted_table.py: a full build or an increment) and reports one materialization per
source (`trusted/<name>`) with its checks. Outside Dagster, Pipes hands out a mock context, so the job
also runs standalone.
"""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from functools import reduce

from dagster_pipes import PipesContext
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StringType, StructField, StructType

from spark_jobs.cleaning import split, typed_rows
from spark_jobs.glue import register_trusted_table
from spark_jobs.lake_files import LakeFile, lake_files
from spark_jobs.pipes_channel import open_pipes
from spark_jobs.trusted_table import (
    Plan,
    generation_of,
    idle_figures,
    publish_quarantine,
    publish_trusted,
    table_figures,
)


def spark_session(app_name: str) -> SparkSession:
    """Local `local[*]` by default; `SPARK_MASTER`/`SPARK_DRIVER_MEMORY` when set (spark-submit sets its own).

    With `SPARK_REMOTE` (`sc://host:port`) a client of that Spark Connect server instead: only the session's
    runtime SQL settings apply there, and `stop()` ends the session, not the (warm) server.
    """
    runtime = {
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.shuffle.partitions": os.getenv("SPARK_SHUFFLE_PARTITIONS", "8"),
    }
    if os.getenv("SPARK_REMOTE"):
        spark = SparkSession.builder.remote(os.environ["SPARK_REMOTE"]).appName(app_name).create()
        for key, value in runtime.items():
            spark.conf.set(key, value)
        return spark
    builder = SparkSession.builder.appName(app_name)
    for env, key in (("SPARK_MASTER", "spark.master"), ("SPARK_DRIVER_MEMORY", "spark.driver.memory")):
        if os.getenv(env):
            builder = builder.config(key, os.environ[env])
    builder = builder.config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
    return builder.config(map=runtime).getOrCreate()


def count_by(df: DataFrame, column: str) -> dict[str, int]:
    return {str(row[column]): row["count"] for row in df.groupBy(column).count().collect()}


def read_raw(spark: SparkSession, spec: dict, plan: Plan, layout: dict) -> DataFrame:
    """The plan's raw rows, without those the publisher deleted; none yet (an empty dataset) reads as no
    rows of the catalogued columns."""
    if not plan.raw_files:
        names = [c["field_name"] for c in spec["columns"]] + layout["raw_system_columns"]
        return spark.createDataFrame([], StructType([StructField(n, StringType()) for n in names]))
    raw = spark.read.option("mergeSchema", "true").parquet(*plan.raw_files)
    if plan.deletion_files:
        deleted = spark.read.parquet(*plan.deletion_files).select("_row_id")
        raw = raw.join(deleted, "_row_id", "left_anti")
    return raw


# The staged typed rows are read back (their figures, then the split) and deleted: written without dictionaries,
# in zstd at level 1 (at 1 M contracts, offers: a third less CPU to write than snappy with dictionaries, and
# smaller). The trusted files keep Spark's defaults.
STAGED = {"compression": "zstd", "parquet.compression.codec.zstd.level": "1", "parquet.enable.dictionary": "false"}


def run(spark: SparkSession, job: dict, settings: dict, pipes: PipesContext) -> dict:
    spec, lake_root, layout = job["spec"], settings["lake_root"].rstrip("/"), settings["layout"]
    name, files = spec["name"], lake_files(spark)
    trusted_dir, quarantine_dir = (
        f"{lake_root}/{layout['trusted']}/{name}",
        f"{lake_root}/{layout['quarantine']}/{name}",
    )
    existing = files.list(trusted_dir, ".parquet")
    plan = Plan.choose(job, existing, settings["full_refresh"], settings["compact_ratio"])
    pipes.log.info(f"{name}: {plan.mode} ({plan.why})")
    if plan.mode == "none":
        return {**_empty_figures(existing, trusted_dir), "mode": plan.mode, "why": plan.why}

    staging = f"{lake_root}/{layout['staging']}"
    for leftover in files.folders(staging):  # an interrupted run's staging: its batches are still pending
        if leftover.startswith(f"{name}-"):
            files.delete(f"{staging}/{leftover}")
    stage = f"{staging}/{name}-{uuid.uuid4().hex[:12]}"
    pipes.log.debug(f"{name}: plan done")  # the debug log times each stage
    raw = read_raw(spark, spec, plan, layout)
    typed_rows(raw, spec).write.options(**STAGED).parquet(f"{stage}/typed")  # the cleaning itself runs once, here
    pipes.log.debug(f"{name}: typed_write done")
    typed = spark.read.parquet(f"{stage}/typed")
    by_reason, needed = typed_figures(typed, job.get("needed_columns") or {})
    rows_in = sum(by_reason.values())
    pipes.log.debug(f"{name}: typed_figures done")
    reasons = {reason: count for reason, count in by_reason.items() if reason is not None}
    result = split(typed, raw, spec, bad_rows=sum(reasons.values()))
    result.trusted.write.partitionBy(layout["year_partition"]).parquet(
        f"{stage}/trusted"
    )  # files per year: one per task
    pipes.log.debug(f"{name}: trusted_write done")
    if reasons:  # the join reads the raw rows again: only when some are bad
        quarantine = result.quarantine.withColumnRenamed("_batch_id", layout["batch_partition"])
        quarantine.write.partitionBy(layout["batch_partition"]).parquet(f"{stage}/quarantine")
    pipes.log.debug(f"{name}: quarantine_write done")

    written = spark.read.schema(result.trusted.schema).parquet(f"{stage}/trusted")
    rows_per_year = count_by(written, "_year")
    rows_trusted = sum(rows_per_year.values())
    schema = written.schema
    pipes.log.debug(f"{name}: count_by_year done")

    trusted_files = publish_trusted(files, f"{stage}/trusted", trusted_dir, plan)
    publish_quarantine(files, f"{stage}/quarantine", quarantine_dir, plan)
    files.delete(stage)
    pipes.log.debug(f"{name}: publish done")
    keys = published_key_figures(spark, trusted_files, plan, spec["key"])
    pipes.log.debug(f"{name}: key_figures done")
    if settings.get("glue_database"):  # on EMR: Redshift Spectrum reads the table through Glue
        register_in_glue(settings, name, trusted_dir, schema, trusted_files)
    rows_quarantined = sum(reasons.values())
    pipes.log.info(f"{name}: {rows_in} raw rows -> {rows_trusted} trusted, {rows_quarantined} quarantined")
    return {
        "mode": plan.mode,
        "why": plan.why,
        "generation": plan.generation,
        "batches_applied": len(plan.batches),
        "raw_files": len(plan.raw_files),
        "deletion_files": len(plan.deletion_files),
        "rows_in": rows_in,
        "rows_trusted": rows_trusted,
        "rows_quarantined": rows_quarantined,
        "rows_superseded": rows_in - rows_trusted - rows_quarantined,
        **keys,
        "quarantine_reasons": reasons,
        "needed_columns": needed,
        "rows_per_year": rows_per_year,
        "partitions_written": sorted(rows_per_year),
        **table_figures(trusted_files, trusted_dir),
        "schema": {f.name: f.dataType.simpleString() for f in schema.fields},
    }


def published_key_figures(spark: SparkSession, trusted_files: list[LakeFile], plan: Plan, keys: list[str]) -> dict:
    """Null and duplicate keys of what this run published, read back from the table's folder: every file of
    its generation there, whoever wrote it (its own staged rows are one per key by construction; readers see
    the folder). Readers take one version of a key from each generation and the latest wins, so a key held
    twice within one generation is a duplicate; a newer version in a later generation is not. Older
    generations were checked by the runs that wrote them: the cost follows the change, not the table."""
    published = [f.path for f in trusted_files if generation_of(f) == plan.generation]
    if not published:
        return {"rows_checked": 0, "null_keys": 0, "duplicate_keys": 0}
    versions = spark.read.parquet(*published).groupBy(*keys).count()
    null_key = reduce(lambda a, b: a | b, (F.col(k).isNull() for k in keys))
    rows_checked, null_keys, duplicate_keys = versions.agg(
        F.sum("count"), F.sum(F.when(null_key, F.col("count"))), F.sum(F.when(~null_key, F.col("count") - 1))
    ).first()
    return {"rows_checked": rows_checked or 0, "null_keys": null_keys or 0, "duplicate_keys": duplicate_keys or 0}


MESSAGES = "_messages"  # `_issues` and `_reason` of a row with either, in `typed_figures`


def unusable(column: str):
    """A row where `column` had a value the cleaning could not use: one of its `_issues` or `_reason`
    messages other than "missing" (unparseable, out of range, not a number or NIT, ...). Reads `MESSAGES`
    (null on a row without any message, most rows: they skip the regular expression)."""
    messages = F.col(MESSAGES)
    return F.when(messages.contains(f"{column}: "), messages.rlike(f"(^|; ){re.escape(column)}: (?!missing)"))


def typed_figures(typed: DataFrame, needed: dict[str, list[str]]) -> tuple[dict[str | None, int], dict[str, dict]]:
    """The typed rows per `_reason` (None: a good row) and, for each column indicators need, the values this
    run cleaned, how many were unusable, and who needs it: one pass over the staged rows (one Spark job,
    counted per reason and summed here)."""
    sums = []
    for column in needed:
        bad = unusable(column)
        sums += [F.count(F.when(F.col(column).isNotNull() | bad, 1)), F.count(F.when(bad, 1))]
    has_messages = F.col("_issues").isNotNull() | F.col("_reason").isNotNull()
    messages = F.when(has_messages, F.concat_ws("; ", F.col("_issues"), F.col("_reason")))
    rows = typed.select("_reason", *needed, messages.alias(MESSAGES))
    groups = rows.groupBy("_reason").agg(F.count(F.lit(1)).alias("count"), *sums).collect()
    by_reason = {row["_reason"]: row["count"] for row in groups}
    counts = [sum(row[2 + i] for row in groups) for i in range(len(sums))]
    figures = {
        column: {"values": counts[2 * i], "unusable": counts[2 * i + 1], "needed_by": indicators}
        for i, (column, indicators) in enumerate(needed.items())
    }
    return by_reason, figures


def register_in_glue(
    settings: dict, name: str, trusted_dir: str, schema: StructType, trusted_files: list[LakeFile]
) -> None:
    """The table and its `_year` partitions in the Glue catalogue (boto3 is on every EMR release)."""
    import boto3

    years = {f.relative.split("/", 1)[0].removeprefix("_year=") for f in trusted_files}
    glue = boto3.client("glue", region_name=settings.get("aws_region"))
    register_trusted_table(glue, settings["glue_database"], name, f"{trusted_dir}/", schema, sorted(years))


def _empty_figures(trusted_files: list[LakeFile], trusted_dir: str) -> dict:
    return {**idle_figures(trusted_files, trusted_dir), "quarantine_reasons": {}, "needed_columns": {}}


def _metadata(figures: dict) -> dict:
    kinds = {"trusted_path": "path", "mode": "text", "why": "text", "generation": "text", "seconds": "float"}
    json_figures = ("quarantine_reasons", "needed_columns", "rows_per_year", "partitions_written", "schema")
    kinds.update(dict.fromkeys(json_figures, "json"))
    metadata = {name: {"raw_value": value, "type": kinds.get(name, "int")} for name, value in figures.items()}
    if figures["mode"] == "full":  # the table's rows (an increment knows only its own)
        metadata["dagster/row_count"] = {"raw_value": figures["rows_trusted"], "type": "int"}
    return metadata


def report_checks(pipes: PipesContext, asset_key: str, selected: list[str], figures: dict, settings: dict) -> None:
    """The trusted table's checks (those selected): one row per key in each generation and no null key,
    both in what the run published (`published_key_figures`), quarantine under the threshold, the columns
    indicators need mostly usable (an ERROR: their indicators are not evaluated)."""
    quarantine_max_ratio, max_unusable = settings["quarantine_max_ratio"], settings["needed_column_max_unusable"]
    kept = figures["rows_trusted"] + figures["rows_quarantined"]
    ratio = figures["rows_quarantined"] / kept if kept else 0.0
    ratios = {c: f["unusable"] / f["values"] for c, f in figures["needed_columns"].items() if f["values"]}
    failing = {c: round(r, 4) for c, r in ratios.items() if r > max_unusable}
    not_evaluated = sorted({i for c in failing for i in figures["needed_columns"][c]["needed_by"]})
    rows = {"rows_checked": figures.get("rows_checked", 0)}  # what this run published (an idle run: nothing)
    checks = {
        "unique_key": (figures["duplicate_keys"] == 0, "ERROR", {"duplicate_keys": figures["duplicate_keys"], **rows}),
        "non_null_key": (figures["null_keys"] == 0, "ERROR", {"null_keys": figures["null_keys"], **rows}),
        "quarantine_ratio": (
            ratio <= quarantine_max_ratio,
            "WARN",
            {
                "ratio": round(ratio, 6),
                "max_ratio": quarantine_max_ratio,
                "reasons": {"raw_value": figures["quarantine_reasons"], "type": "json"},
            },
        ),
        "needed_columns_usable": (
            not failing,
            "ERROR",
            {
                "max_unusable": max_unusable,
                "unusable_share": {"raw_value": {c: round(r, 4) for c, r in ratios.items()}, "type": "json"},
                "failing": {"raw_value": failing, "type": "json"},
                "indicators_not_evaluated": {"raw_value": not_evaluated, "type": "json"},
            },
        ),
    }
    for name in selected:
        passed, severity, metadata = checks[name]
        pipes.report_asset_check(
            check_name=name, passed=passed, severity=severity, metadata=metadata, asset_key=asset_key
        )


def main() -> None:
    with open_pipes() as pipes:
        jobs = pipes.get_extra("jobs")
        settings = {
            name: pipes.get_extra(name)
            for name in (
                "lake_root",
                "layout",
                "full_refresh",
                "compact_ratio",
                "quarantine_max_ratio",
                "needed_column_max_unusable",
            )
        }
        settings.update({name: pipes.extras.get(name) for name in ("glue_database", "aws_region")})
        spark = spark_session("clean_" + "_".join(job["spec"]["name"] for job in jobs)[:200])
        try:
            for job in jobs:
                started = time.perf_counter()
                figures = {**run(spark, job, settings, pipes), "seconds": round(time.perf_counter() - started, 1)}
                asset_key = f"trusted/{job['spec']['name']}"
                pipes.report_asset_materialization(asset_key=asset_key, metadata=_metadata(figures))
                report_checks(pipes, asset_key, job["checks"], figures, settings)
                print(json.dumps({"source": job["spec"]["name"], "mode": figures["mode"]}))
        finally:
            spark.stop()


if __name__ == "__main__":
    main()
