"""`trusted/<source>` assets: the Spark cleaning job over the source's committed raw files."""

import dagster as dg

from orchestration.catalogue import SOURCES, Source
from orchestration.lake import Lake
from orchestration.spark import LocalSparkRunner

CLEAN_JOB = "spark_jobs.clean_source"


def build_trusted_asset(source: Source) -> dg.AssetsDefinition:
    @dg.asset(
        key=["trusted", source.name],
        deps=[dg.AssetKey(["raw", source.name])],
        group_name="trusted",
        kinds={"spark", "parquet"},
        description=f"{source.title}, typed and cleaned: canonical document keys (`*_key`), name match "
        f"keys (`*_match`), one row per {', '.join(source.key)} (latest version); bad rows in quarantine.",
    )
    def trusted_asset(context: dg.AssetExecutionContext, lake: Lake, spark: LocalSparkRunner) -> dg.MaterializeResult:
        if not lake.is_local:
            raise dg.Failure("local Spark reads file:// paths only: an s3:// lake needs SECOP_SPARK=emr")
        committed = lake.committed(source.name)
        if not committed:
            raise dg.Failure(f"no committed raw batch for {source.name}: materialize raw/{source.name} first")
        extras = {
            "spec": source.cleaning_spec(),
            "raw_files": [lake.uri_of(entry.file) for entry in committed],
            "lake_root": lake.uri_of(""),
        }
        result = spark.run(context, CLEAN_JOB, extras)
        lake.mark_applied(committed)
        return result

    return trusted_asset


trusted_assets = [build_trusted_asset(source) for source in SOURCES]
