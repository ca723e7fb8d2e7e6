"""dbt models as assets: staging → intermediate → marts, dbt tests as asset checks.

The dbt source `trusted` lines up with the `trusted/<source>` assets by name, so the graph is one
lineage. dbt writes the DuckDB file, which has a single writer: the op runs in pool `duckdb_writer`.
Each materialization carries its row count (`dagster/row_count`), and the main marts a markdown preview.
On DuckDB they are counted once dbt has exited and released the file; on Redshift dagster-dbt counts
them while the build runs.
"""

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets

from orchestration.dbt_project import dbt_project, ensure_manifest
from orchestration.lake import Lake
from orchestration.report.previews import mart_previews
from orchestration.settings import environment

dbt_project.prepare_if_dev()


class Warehouse(dg.ConfigurableResource):
    """Where dbt writes: the DuckDB file of the `local` target (ignored by the redshift target)."""

    duckdb_path: str


class SecopDbtTranslator(DagsterDbtTranslator):
    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        if unique_id.startswith("source."):
            return spec
        return spec.replace_attributes(group_name="warehouse")


@contextmanager
def dbt_environment(lake: Lake, warehouse: Warehouse, extra: dict[str, str | None]) -> Iterator[None]:
    """dbt inherits the environment: give it absolute lake and warehouse paths for this run, and
    `extra` (a None value unsets the variable)."""
    values = {"SECOP_LAKE_URI": lake.uri, "SECOP_DUCKDB_PATH": warehouse.duckdb_path, **extra}
    # A subset of the models runs the tests of those models only, not a test that also reads a model
    # outside the subset (dbt's default, `eager`, would test a relation the run does not build).
    values["DBT_INDIRECT_SELECTION"] = os.environ.get("DBT_INDIRECT_SELECTION", "cautious")
    with environment(values):
        yield


class DbtBuildConfig(dg.Config):
    run_date: str | None = None  # YYYY-MM-DD; default today in America/Bogota
    full_refresh: bool = False
    # dbt's unit tests read fixed rows, not the data: by default they run in the builds a person launches
    # and CI, and scheduled and sensor runs leave them out (dbt's advice for production; ~10 s a build).
    unit_tests: bool | None = None
    # The live path's poll window (ISO-8601; orchestration/live.py). dbt reads them from environment
    # variables its parser does not track (macro timestamp_var): vars that change on every run would make
    # dbt parse the whole project every time.
    live_window_start: str | None = None
    live_window_end: str | None = None
    alerts_since: str | None = None
    # A folder of dbt's target path that every run of this config reuses (runs one at a time: the live
    # path), instead of one new folder per run with a copy of dbt's parse state (some 5 MB each).
    target_folder: str | None = None

    def environment(self) -> dict[str, str | None]:
        names = ("live_window_start", "live_window_end", "alerts_since")
        return {f"DBT_ENV_CUSTOM_ENV_SECOP_{name.upper()}": getattr(self, name) for name in names}


def duckdb_row_counts(path: str, relations: Mapping[str, str]) -> dict[str, int]:
    """Rows of each `schema.name` relation of the DuckDB file, by the name it was asked under."""
    import duckdb

    with duckdb.connect(path, read_only=True) as con:
        return {name: con.execute(f"select count(*) from {table}").fetchone()[0] for name, table in relations.items()}


def with_row_counts(events: Iterable[Any], manifest: Mapping[str, Any], duckdb_path: str) -> Iterator[Any]:
    """Pass dbt's events through, holding back the model outputs until dbt exits, then count the rows of
    the tables (not of views: counting one runs its query over the trusted zone, which dagster-dbt skips
    too) and add a markdown preview to the marts a person checks first (orchestration/report/previews.py)."""
    outputs = []
    for event in events:
        unique_id = event.metadata.get("unique_id") if isinstance(event, dg.Output) else None
        if unique_id is not None and unique_id.value in manifest["nodes"]:
            outputs.append((event, manifest["nodes"][unique_id.value]))
        else:
            yield event
    relations = {
        output.output_name: f'"{node["schema"]}"."{node["alias"]}"'
        for output, node in outputs
        if node["config"]["materialized"] != "view"
    }
    counts = duckdb_row_counts(duckdb_path, relations)
    previews = mart_previews(duckdb_path, [node["name"] for _, node in outputs])
    for output, node in outputs:
        counted = {"dagster/row_count": counts[output.output_name]} if output.output_name in counts else {}
        metadata = {**output.metadata, **counted}
        if node["name"] in previews:
            metadata["preview"] = dg.MetadataValue.md(previews[node["name"]])
        yield output.with_metadata(metadata)


AUTOMATION_TAGS = frozenset({"dagster/schedule_name", "dagster/sensor_name"})


def dbt_build_args(config: DbtBuildConfig, run_tags: Mapping[str, str]) -> list[str]:
    args = ["build"]
    if config.run_date:
        args += ["--vars", json.dumps({"run_date": config.run_date})]
    unit_tests = config.unit_tests if config.unit_tests is not None else not AUTOMATION_TAGS & run_tags.keys()
    if not unit_tests:
        args += ["--exclude", "test_type:unit"]
    if config.full_refresh:
        args.append("--full-refresh")
    return args


@dbt_assets(
    manifest=ensure_manifest(),
    project=dbt_project,
    dagster_dbt_translator=SecopDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
    pool="duckdb_writer",
)
def warehouse_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, lake: Lake, warehouse: Warehouse, config: DbtBuildConfig
):
    with dbt_environment(lake, warehouse, config.environment()):
        target = dbt_project.target_path / config.target_folder if config.target_folder else None
        invocation = dbt.cli(dbt_build_args(config, context.run.tags), context=context, target_path=target)
        if dbt_project.target == "local":
            yield from with_row_counts(invocation.stream(), invocation.manifest, warehouse.duckdb_path)
        else:
            yield from invocation.stream().fetch_row_counts()
