"""dbt models as assets: staging → intermediate → marts, dbt tests as asset checks.

The dbt source `trusted` lines up with the `trusted/<source>` assets by name, so the graph is one
lineage. dbt writes the DuckDB file, which has a single writer: the op runs in pool `duckdb_writer`.
Each materialization carries its row count (`dagster/row_count`), and the main marts a markdown preview.
On DuckDB they are counted once dbt has exited and released the file; on Redshift dagster-dbt counts
them while the build runs.
"""

import functools
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, time, timezone
from typing import Any
from zoneinfo import ZoneInfo

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets
from pydantic import field_validator

from orchestration.dbt_project import dbt_project, ensure_manifest
from orchestration.indicator_status import NOT_EVALUATED_ENV, indicator_needs, not_evaluated
from orchestration.lake import Lake, utc_now
from orchestration.report.previews import mart_previews
from orchestration.resources import Warehouse
from orchestration.settings import TIMEZONE, environment
from texts import render_not_evaluated


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


RUN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FOLDER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


class DbtBuildConfig(dg.Config):
    """A warehouse build. `run_date` and `target_folder` are checked before dbt starts: the one reaches SQL
    (macro run_date parses it again), the other a path."""

    run_date: str | None = None  # YYYY-MM-DD, default today in America/Bogota; sources are judged fresh as of it
    full_refresh: bool = False
    # dbt's unit tests read fixed rows, not the data: by default they run in the builds a person launches
    # and CI, and scheduled and sensor runs leave them out (dbt's advice for production; ~10 s a build).
    unit_tests: bool | None = None
    # False leaves dbt's data tests out too: a quicker rebuild whose models' checks stay unevaluated.
    data_tests: bool = True
    # The live path's poll window (ISO-8601; orchestration/live/sensor.py). dbt reads them from environment
    # variables its parser does not track (macro timestamp_var): vars that change on every run would make
    # dbt parse the whole project every time.
    live_window_start: str | None = None
    live_window_end: str | None = None
    alerts_since: str | None = None
    # A folder of dbt's target path that every run of this config reuses (runs one at a time: the live
    # path), instead of one new folder per run with a copy of dbt's parse state (some 5 MB each).
    target_folder: str | None = None

    @field_validator("run_date")
    @classmethod
    def _a_calendar_date(cls, value: str | None) -> str | None:
        if value is not None and not (RUN_DATE.fullmatch(value) and _is_date(value)):
            raise ValueError(f"run_date must be a calendar date YYYY-MM-DD (e.g. 2024-05-01), got {value[:40]!r}")
        return value

    @field_validator("target_folder")
    @classmethod
    def _a_folder_name(cls, value: str | None) -> str | None:
        if value is not None and not FOLDER_NAME.fullmatch(value):
            raise ValueError(
                "target_folder must be one folder name below dbt's target path (letters, digits, `_`, `-`, `.`; "
                f"not starting with `.`; at most 100 characters), got {value[:40]!r}"
            )
        return value

    def environment(self) -> dict[str, str | None]:
        names = ("live_window_start", "live_window_end", "alerts_since")
        return {f"DBT_ENV_CUSTOM_ENV_SECOP_{name.upper()}": getattr(self, name) for name in names}


def duckdb_row_counts(path: str, relations: Mapping[str, str]) -> dict[str, int]:
    """Rows of each `schema.name` relation of the DuckDB file, by the name it was asked under."""
    import duckdb

    with duckdb.connect(path, read_only=True) as con:
        return {name: con.execute(f"select count(*) from {table}").fetchone()[0] for name, table in relations.items()}


def _model_outputs(events: Iterable[Any], manifest: Mapping[str, Any], held: list) -> Iterator[Any]:
    """Pass dbt's events through, holding back the model outputs (with their manifest node) in `held`."""
    for event in events:
        unique_id = event.metadata.get("unique_id") if isinstance(event, dg.Output) else None
        if unique_id is not None and unique_id.value in manifest["nodes"]:
            held.append((event, manifest["nodes"][unique_id.value]))
        else:
            yield event


def with_row_counts(events: Iterable[Any], manifest: Mapping[str, Any], duckdb_path: str) -> Iterator[Any]:
    """Pass dbt's events through, holding back the model outputs until dbt exits, then count the rows of
    the tables (not of views: counting one runs its query over the trusted zone, which dagster-dbt skips
    too)."""
    outputs: list = []
    yield from _model_outputs(events, manifest, outputs)
    relations = {
        output.output_name: f'"{node["schema"]}"."{node["alias"]}"'
        for output, node in outputs
        if node["config"]["materialized"] != "view"
    }
    counts = duckdb_row_counts(duckdb_path, relations)
    for output, _ in outputs:
        counted = {"dagster/row_count": counts[output.output_name]} if output.output_name in counts else {}
        yield output.with_metadata({**output.metadata, **counted})


def with_previews(events: Iterable[Any], manifest: Mapping[str, Any], warehouse: Warehouse) -> Iterator[Any]:
    """Pass dbt's events through, holding back the model outputs until dbt is done, then add a markdown
    preview to the marts a person checks first (orchestration/report/previews.py), read on either target."""
    outputs: list = []
    yield from _model_outputs(events, manifest, outputs)
    with warehouse.reader() as reader:
        previews = mart_previews(reader, [node["name"] for _, node in outputs])
    for output, node in outputs:
        if node["name"] in previews:
            output = output.with_metadata({**output.metadata, "preview": dg.MetadataValue.md(previews[node["name"]])})
        yield output


AUTOMATION_TAGS = frozenset({"dagster/schedule_name", "dagster/sensor_name"})


def dbt_build_args(config: DbtBuildConfig, run_tags: Mapping[str, str]) -> list[str]:
    args = ["build"]
    if config.run_date:
        args += ["--vars", json.dumps({"run_date": config.run_date})]
    unit_tests = config.unit_tests if config.unit_tests is not None else not AUTOMATION_TAGS & run_tags.keys()
    if not unit_tests:
        args += ["--exclude", "test_type:unit"]
    if not config.data_tests:
        args += ["--exclude", "test_type:data"]
    if config.full_refresh:
        args.append("--full-refresh")
    return args


def unit_tests_outside(manifest: Mapping[str, Any], selected: set[str]) -> list[str]:
    """The unit tests of selected models that read a model or seed outside `selected` (unique ids): dbt
    needs those relations to exist, which a subset run cannot promise. Full builds and CI run them."""
    nodes = manifest["nodes"]
    outside = []
    for unit_test in manifest.get("unit_tests", {}).values():
        [model] = unit_test["depends_on"]["nodes"]
        parents = [p for p in nodes[model]["depends_on"]["nodes"] if p.startswith(("model.", "seed."))]
        if model in selected and any(parent not in selected for parent in parents):
            outside.append(unit_test["name"])
    return sorted(outside)


def subset_args(context: dg.AssetExecutionContext, manifest: Mapping[str, Any]) -> list[str]:
    """For a run of part of the models: leave out the unit tests it cannot run (`unit_tests_outside`)."""
    if not context.is_subset:
        return []
    names = {key.path[-1] for key in context.selected_asset_keys}
    selected = {uid for uid, node in manifest["nodes"].items() if node["name"] in names}
    skipped = unit_tests_outside(manifest, selected)
    if skipped:
        context.log.info(f"a subset run: {len(skipped)} unit tests read models it does not build, left to full builds")
    return [arg for name in skipped for arg in ("--exclude", name)]


def as_of(run_date: str | None) -> datetime:
    """The moment a build judges its sources' freshness at: the end of a pinned run date in Bogotá (so a
    pinned build gives the same result whenever it runs, like its time tests), else now."""
    if run_date is None:
        return utc_now()
    end_of_day = datetime.combine(date.fromisoformat(run_date), time.max, tzinfo=ZoneInfo(TIMEZONE))
    return end_of_day.astimezone(timezone.utc)


def indicator_environment(
    context: dg.AssetExecutionContext, manifest: Mapping[str, Any], lake: Lake, now: datetime
) -> dict:
    """The indicators this build cannot evaluate as of `now`, and why (orchestration/indicator_status.py),
    for dbt."""
    reasons = not_evaluated(indicator_needs(manifest), lake, now)
    for indicator_id, reason in reasons.items():
        context.log.warning(f"{indicator_id} is not evaluated: {render_not_evaluated(reason, 'en')}")
    return {NOT_EVALUATED_ENV: json.dumps(reasons)}


WAREHOUSE_STEP = "warehouse_models"  # the op of the dbt assets: run config and step stats name it


@functools.cache
def warehouse_assets() -> dg.AssetsDefinition:
    """The dbt models as assets, built on first use: it reads dbt's manifest (parsing the project first
    when it changed, and under `dagster dev` as dagster-dbt prepares it), which importing this module
    must not do."""
    dbt_project.prepare_if_dev()

    @dbt_assets(
        name=WAREHOUSE_STEP,
        manifest=ensure_manifest(),
        project=dbt_project,
        dagster_dbt_translator=SecopDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
        pool="duckdb_writer",
    )
    def warehouse_models(
        context: dg.AssetExecutionContext, dbt: DbtCliResource, lake: Lake, warehouse: Warehouse, config: DbtBuildConfig
    ):
        manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
        status = indicator_environment(context, manifest, lake, as_of(config.run_date))
        environment = {**config.environment(), **status}
        with dbt_environment(lake, warehouse, environment):
            target = dbt_project.target_path / config.target_folder if config.target_folder else None
            args = [*dbt_build_args(config, context.run.tags), *subset_args(context, manifest)]
            invocation = dbt.cli(args, context=context, target_path=target)
            if dbt_project.target == "local":
                counted = with_row_counts(invocation.stream(), invocation.manifest, warehouse.duckdb_path)
            else:
                counted = invocation.stream().fetch_row_counts()
            yield from with_previews(counted, invocation.manifest, warehouse)

    return warehouse_models
