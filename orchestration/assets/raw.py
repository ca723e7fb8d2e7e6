"""`raw/<source>` assets: one per catalogue entry, pulling the dataset incrementally into the lake.

Each materialization also evaluates the check `expected_columns_published`: a catalogued column the
portal no longer publishes is a warning (the pull still lands everything served).
"""

import dagster as dg

from orchestration.catalogue import SOURCES, Source
from orchestration.ingest import IngestResult, ingest_file_source, ingest_source
from orchestration.lake import Lake
from orchestration.paco import PacoFiles
from orchestration.socrata import SocrataClient

COLUMNS_CHECK = "expected_columns_published"


def _metadata(result: IngestResult) -> dict:
    return {
        "rows": result.rows,
        "rows_new": result.rows_new,
        "rows_updated": result.rows_updated,
        "rows_removed": result.rows_removed,
        "pages": result.stats.pages,
        "bytes": result.bytes,
        "retries": result.stats.retries,
        "files": len(result.files),
        "batch_id": result.batch_id,
        "watermark_before": result.watermark_before or "",
        "watermark": result.watermark_after or "",
        "skipped_duplicates": result.skipped_duplicates,
        "unchanged_at_source": result.unchanged,
        "new_columns": result.new_columns,
        "missing_columns": result.missing_columns,
        "renamed_columns": result.renamed_columns,
        "duration_seconds": round(result.seconds, 2),
    }


def _origin(source: Source) -> str:
    return f"PACO file {source.dataset_id}" if source.is_file else f"Socrata {source.dataset_id}"


def build_raw_asset(source: Source) -> dg.AssetsDefinition:
    key = dg.AssetKey(["raw", source.name])
    how = "Each new version of the file lands whole." if source.is_file else "Incremental by :updated_at."

    @dg.asset(
        key=key,
        group_name="ingest",
        kinds={"csv" if source.is_file else "socrata", "parquet"},
        description=f"{source.title} ({_origin(source)}) as served: every value a string, plus _row_id, "
        f"_source_updated_at, _source_created_at, _batch_id, _ingested_at. {how}",
        check_specs=[
            dg.AssetCheckSpec(COLUMNS_CHECK, asset=key, description="every catalogued column is still published")
        ],
    )
    def raw_asset(
        context: dg.AssetExecutionContext, socrata: SocrataClient, paco: PacoFiles, lake: Lake
    ) -> dg.MaterializeResult:
        if source.is_file:
            result = ingest_file_source(source, paco, lake)
        else:
            result = ingest_source(source, socrata, lake)
        if result.aborted_batches:
            context.log.warning(f"removed uncommitted batches of a crashed run: {result.aborted_batches}")
        if result.missing_columns:
            context.log.warning(f"{_origin(source)} no longer publishes {result.missing_columns}")
        if result.new_columns:
            context.log.info(f"{_origin(source)} publishes new columns, kept as strings: {result.new_columns}")
        check = dg.AssetCheckResult(
            check_name=COLUMNS_CHECK,
            passed=not result.missing_columns,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"missing_columns": result.missing_columns, "new_columns": result.new_columns},
        )
        stored = sum(entry.rows for entry in lake.committed(source.name))
        metadata = {**_metadata(result), "dagster/row_count": stored}  # every version kept in raw
        return dg.MaterializeResult(metadata=metadata, check_results=[check])

    return raw_asset


raw_assets = [build_raw_asset(source) for source in SOURCES]
