"""`trusted/<source>` assets: one Spark job cleans the committed raw files of every selected source.

They are one multi-asset so that a run pays for one Spark session, not one per source; any subset can
be materialized (`refresh_<source>` selects just its own).
"""

import dagster as dg

from orchestration.catalogue import SOURCES, Source
from orchestration.lake import Lake
from orchestration.spark import LocalSparkRunner

CLEAN_JOB = "spark_jobs.clean_source"


def trusted_key(source: Source) -> dg.AssetKey:
    return dg.AssetKey(["trusted", source.name])


def _spec(source: Source) -> dg.AssetSpec:
    return dg.AssetSpec(
        trusted_key(source),
        deps=[dg.AssetKey(["raw", source.name])],
        group_name="trusted",
        kinds={"spark", "parquet"},
        description=f"{source.title}, typed and cleaned: canonical document keys (`*_key`), name match "
        f"keys (`*_match`), one row per {', '.join(source.key)} (latest version); bad rows in quarantine.",
    )


@dg.multi_asset(name="trusted_zone", specs=[_spec(source) for source in SOURCES], can_subset=True)
def trusted_zone(context: dg.AssetExecutionContext, lake: Lake, spark: LocalSparkRunner):
    if not lake.is_local:
        raise dg.Failure("local Spark reads file:// paths only: an s3:// lake needs SECOP_SPARK=emr")
    selected = [s for s in SOURCES if trusted_key(s) in context.selected_asset_keys]
    committed = {source.name: lake.committed(source.name) for source in selected}
    jobs = [
        {"spec": source.cleaning_spec(), "raw_files": [lake.uri_of(entry.file) for entry in committed[source.name]]}
        for source in selected
    ]
    yield from spark.run(context, CLEAN_JOB, {"jobs": jobs, "lake_root": lake.uri_of("")})
    for entries in committed.values():
        lake.mark_applied(entries)


trusted_assets = [trusted_zone]
