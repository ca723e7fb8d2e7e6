"""`trusted/<source>` assets: one Spark job applies the new raw batches of every selected source.

They are one multi-asset so that a run pays for one Spark session, not one per source; any subset can
be materialized (`refresh_<source>` selects just its own). A run applies the committed batches not yet
applied (an increment) or rebuilds from every committed batch (first build, compaction, snapshots,
`full_refresh`); spark_jobs/trusted_table.py decides. Batches are marked applied only after the job.
"""

import dagster as dg

from orchestration.catalogue import SOURCES, Source
from orchestration.lake import Lake, LogEntry
from orchestration.spark import LocalSparkRunner, SparkRunner

CLEAN_JOB = "spark_jobs.clean_source"


def trusted_key(source: Source) -> dg.AssetKey:
    return dg.AssetKey(["trusted", source.name])


TRUSTED_CHECKS = {
    "unique_key": "one row per business key",
    "non_null_key": "no row without its business key",
    "quarantine_ratio": "quarantined rows stay under the configured share (a warning)",
}


class TrustedConfig(dg.Config):
    quarantine_max_ratio: float = 0.05  # share of rows (trusted + quarantined) allowed in quarantine
    full_refresh: bool = False  # rebuild every selected table from all committed raw batches
    # Change files above this share of the last full build -> rebuild. None: increments only (the live
    # path: a rebuild there would cost the whole table's time; the next batch run compacts).
    compact_ratio: float | None = 0.25


def _raw_files(source: Source, committed: list[LogEntry], lake: Lake) -> list[dict]:
    """The committed raw files the job may read; for a file source only its latest snapshot."""
    if source.is_file and committed:
        latest = max(e.batch_id for e in committed)
        committed = [e for e in committed if e.batch_id == latest]
    return [{"uri": lake.uri_of(e.file), "batch_id": e.batch_id} for e in committed]


def _checks(source: Source) -> list[dg.AssetCheckSpec]:
    return [dg.AssetCheckSpec(name, asset=trusted_key(source), description=d) for name, d in TRUSTED_CHECKS.items()]


def _spec(source: Source) -> dg.AssetSpec:
    return dg.AssetSpec(
        trusted_key(source),
        deps=[dg.AssetKey(["raw", source.name])],
        group_name="trusted",
        kinds={"spark", "parquet"},
        description=f"{source.title}, typed and cleaned: canonical document keys (`*_key`), name match "
        f"keys (`*_match`), one row per {', '.join(source.key)} (latest version); bad rows in quarantine.",
    )


@dg.multi_asset(
    name="trusted_zone",
    specs=[_spec(source) for source in SOURCES],
    check_specs=[check for source in SOURCES for check in _checks(source)],
    can_subset=True,
)
def trusted_zone(context: dg.AssetExecutionContext, config: TrustedConfig, lake: Lake, spark: SparkRunner):
    if not lake.is_local and isinstance(spark, LocalSparkRunner):
        raise dg.Failure("local Spark reads file:// paths only: an s3:// lake needs SECOP_SPARK=emr")
    selected = [s for s in SOURCES if trusted_key(s) in context.selected_asset_keys]
    log = lake.log()
    committed = {source.name: lake.committed(source.name, log) for source in selected}
    checks = context.selected_asset_check_keys
    jobs = [
        {
            "spec": source.cleaning_spec(),
            "raw_files": _raw_files(source, committed[source.name], lake),
            "pending_batches": sorted({e.batch_id for e in committed[source.name] if e.status == "committed"}),
            "checks": [c.name for c in checks if c.asset_key == trusted_key(source)],
        }
        for source in selected
    ]
    extras = {"jobs": jobs, "lake_root": lake.uri_of(""), **config.model_dump()}
    yield from spark.run(context, CLEAN_JOB, extras)
    for entries in committed.values():
        lake.mark_applied(entries)


trusted_assets = [trusted_zone]
