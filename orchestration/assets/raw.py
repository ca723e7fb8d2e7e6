"""`raw/<source>` assets: one per catalogue entry, pulling the dataset incrementally into the lake."""

import dagster as dg

from orchestration.catalogue import SOURCES, Source
from orchestration.ingest import ingest_source
from orchestration.lake import Lake
from orchestration.socrata import SocrataClient


def build_raw_asset(source: Source) -> dg.AssetsDefinition:
    @dg.asset(
        key=["raw", source.name],
        group_name="ingest",
        kinds={"socrata", "parquet"},
        description=f"{source.title} (Socrata {source.dataset_id}) as served: every value a string, "
        "plus _row_id, _source_updated_at, _batch_id, _ingested_at. Incremental by :updated_at.",
    )
    def raw_asset(context: dg.AssetExecutionContext, socrata: SocrataClient, lake: Lake) -> dg.MaterializeResult:
        result = ingest_source(source, socrata, lake)
        if result.aborted_batches:
            context.log.warning(f"removed uncommitted batches of a crashed run: {result.aborted_batches}")
        if result.missing_columns:
            context.log.warning(f"{source.dataset_id} no longer publishes {result.missing_columns}")
        return dg.MaterializeResult(
            metadata={
                "rows": result.rows,
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
                "duration_seconds": round(result.seconds, 2),
            }
        )

    return raw_asset


raw_assets = [build_raw_asset(source) for source in SOURCES]
