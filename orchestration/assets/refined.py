"""The refined zone asset: the marts as Parquet in the lake after each build (orchestration/refined.py)."""

import dagster as dg

from catalogue.lake_layout import REFINED
from orchestration.lake import Lake
from orchestration.refined import REFINED_MARTS, write_refined_zone
from orchestration.resources import Warehouse


@dg.asset(
    key="refined_zone",
    deps=[dg.AssetKey(mart) for mart in REFINED_MARTS],
    group_name="reports",
    kinds={"parquet"},
    pool="duckdb_writer",  # reads the DuckDB file: not while dbt writes it
    description="The marts (flags, risk, indicator summary, entities, suppliers) as Parquet in the lake under "
    "refined/<mart>/run_date=<date>/, for Athena, pandas, DuckDB or a spreadsheet without the warehouse. A "
    "rerun of a run date replaces its folder; the other dates stay.",
)
def refined_zone(context: dg.AssetExecutionContext, lake: Lake, warehouse: Warehouse) -> dg.MaterializeResult:
    with warehouse.reader() as reader:
        run_date, written = write_refined_zone(reader, lake)
    metadata: dict = {"run_date": run_date.isoformat(), "path": dg.MetadataValue.path(lake.uri_of(REFINED))}
    for mart in written:
        metadata[f"{mart.mart}_rows"] = mart.rows
        metadata[f"{mart.mart}_path"] = dg.MetadataValue.path(mart.uri)
    context.log.info(f"refined zone for {run_date}: " + ", ".join(f"{m.mart} {m.rows} rows" for m in written))
    return dg.MaterializeResult(metadata=metadata)
