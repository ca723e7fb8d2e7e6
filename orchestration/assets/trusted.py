"""`trusted/<source>` assets: one Spark job applies the new raw batches of every selected source.

They are one multi-asset so that a run pays for one Spark session, not one per source, and none at all
when no selected table has anything to do; any subset can be materialized (`refresh_<source>` selects
just its own). A run applies the committed batches not yet
applied (an increment) or rebuilds from every committed batch (first build, compaction, snapshots,
`full_refresh`, rows deleted upstream, or cleaning rules that changed since the table was built: the
catalogue's cleaning spec has a fingerprint, kept beside the table); spark_jobs/trusted_table.py decides.
Batches are marked applied, and fingerprints kept, only after the job.
"""

import hashlib
import json
from collections.abc import Iterable

import dagster as dg

from catalogue import SOURCES, Source
from catalogue.lake_layout import rules_file, spark_layout, trusted_dir
from orchestration.dbt_project import ensure_manifest
from orchestration.indicator_status import MAX_UNUSABLE, needed_columns, read_needs
from orchestration.lake import Lake, LogEntry, utc_now
from orchestration.source_health import ColumnHealth, utc_iso, write_columns
from orchestration.spark import LocalSparkRunner, SparkRunner
from spark_jobs.lake_files import LakeFile
from spark_jobs.trusted_table import Plan, idle_figures

CLEAN_JOB = "spark_jobs.clean_source"


def trusted_key(source: Source) -> dg.AssetKey:
    return dg.AssetKey(["trusted", source.name])


TRUSTED_CHECKS = {
    "unique_key": "one row per business key in what the run published (its generation's files in the table)",
    "non_null_key": "no row without its business key in what the run published",
    "quarantine_ratio": "quarantined rows stay under the configured share (a warning)",
    "needed_columns_usable": "the columns indicators need were mostly usable in this cleaning (else those "
    "indicators are not evaluated)",
}


class TrustedConfig(dg.Config):
    quarantine_max_ratio: float = 0.05  # share of rows (trusted + quarantined) allowed in quarantine
    full_refresh: bool = False  # rebuild every selected table from all committed raw batches
    # Change files above this share of the last full build -> rebuild. None: increments only (the live
    # path: a rebuild there would cost the whole table's time; the next batch run compacts).
    compact_ratio: float | None = 0.25
    # Share of a needed column's values that may be unusable (unparseable, out of range) before the
    # indicators that need it are not evaluated.
    needed_column_max_unusable: float = MAX_UNUSABLE


def _raw_files(source: Source, committed: list[LogEntry], lake: Lake) -> list[dict]:
    """The committed raw files the job may read; for a file source only its latest snapshot."""
    if source.is_file and committed:
        latest = max(e.batch_id for e in committed)
        committed = [e for e in committed if e.batch_id == latest]
    return [{"uri": lake.uri_of(e.file), "batch_id": e.batch_id, "kind": e.kind} for e in committed]


def rules_fingerprint(source: Source) -> str:
    return hashlib.sha256(json.dumps(source.cleaning_spec(), sort_keys=True).encode()).hexdigest()


def rebuild_reason(lake: Lake, source: Source) -> str | None:
    """Why the table must be built again from its raw batches: its cleaning rules changed since."""
    path = rules_file(source.name)
    built_with = lake.read_bytes(path).decode() if lake.exists(path) else None
    if built_with == rules_fingerprint(source):
        return None
    return "the catalogue's cleaning rules changed since the table was built"


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
    needs = read_needs(ensure_manifest())
    jobs = [
        {
            "spec": source.cleaning_spec(),
            "raw_files": _raw_files(source, committed[source.name], lake),
            "pending_batches": sorted({e.batch_id for e in committed[source.name] if e.status == "committed"}),
            "checks": [c.name for c in checks if c.asset_key == trusted_key(source)],
            "needed_columns": needed_columns(needs, source),
            "rebuild": rebuild_reason(lake, source),
        }
        for source in selected
    ]
    plans = {job["spec"]["name"]: plan(lake, job, config) for job in jobs}
    busy = [job for job in jobs if plans[job["spec"]["name"]].mode != "none"]
    extras = {"jobs": busy, "lake_root": lake.uri_of(""), "layout": spark_layout(), **config.model_dump()}
    results = spark.run(context, CLEAN_JOB, extras) if busy else []
    record_column_health(lake, results)
    record_rules(lake, results)
    yield from results
    for source in selected:
        if plans[source.name].mode == "none":
            checks = [c.name for c in context.selected_asset_check_keys if c.asset_key == trusted_key(source)]
            yield idle_result(lake, source, checks)
    for entries in committed.values():
        lake.mark_applied(entries)


def _trusted_files(lake: Lake, source: Source) -> list[LakeFile]:
    """The table's parquet files as the Spark job lists them (hidden `.`/`_` names skipped)."""
    folder = trusted_dir(source.name)
    return [
        LakeFile(lake.uri_of(relpath), relpath[len(folder) + 1 :], size)
        for relpath, size in lake.sizes(folder)
        if relpath.endswith(".parquet") and not relpath.rsplit("/", 1)[-1].startswith((".", "_"))
    ]


def plan(lake: Lake, job: dict, config: TrustedConfig) -> Plan:
    """What the Spark job would do to this table (spark_jobs/trusted_table.py), decided here first."""
    source = next(s for s in SOURCES if s.name == job["spec"]["name"])
    return Plan.choose(job, _trusted_files(lake, source), config.full_refresh, config.compact_ratio)


def idle_result(lake: Lake, source: Source, checks: list[str]) -> dg.MaterializeResult:
    """A table this run had nothing to do for: what it holds, and its checks passed on the nothing it cleaned
    (as the job reports a table with no new batch). The last cleaning's column health stays in the lake and
    still decides which indicators are evaluated (orchestration/indicator_status.py)."""
    figures = idle_figures(_trusted_files(lake, source), lake.uri_of(trusted_dir(source.name)))
    nothing = [
        dg.AssetCheckResult(
            asset_key=trusted_key(source),
            check_name=name,
            passed=True,
            description="no new batch: nothing was cleaned in this run",
            metadata={"rows_checked": 0},
        )
        for name in checks
    ]
    return dg.MaterializeResult(
        asset_key=trusted_key(source),
        metadata={"mode": "none", "why": "no new batches", **figures, "seconds": 0.0},
        check_results=nothing,
    )


def _materialized(results: Iterable) -> Iterable[tuple[Source, dict]]:
    """(source, metadata values) of each trusted table the job reported on."""
    by_name = {source.name: source for source in SOURCES}
    for result in results:
        if isinstance(result, dg.MaterializeResult) and result.asset_key is not None:
            yield by_name[result.asset_key.path[-1]], {k: v.value for k, v in (result.metadata or {}).items()}


def record_rules(lake: Lake, results: Iterable) -> None:
    """Each table the job built in full now follows the current cleaning rules."""
    for source, metadata in _materialized(results):
        if metadata.get("mode") == "full":
            lake.write_bytes(rules_file(source.name), rules_fingerprint(source).encode())


def record_column_health(lake: Lake, results: Iterable) -> None:
    """What this cleaning found of the needed columns of each source it cleaned, for the later steps."""
    at = utc_iso(utc_now())
    for source, metadata in _materialized(results):
        columns = metadata.get("needed_columns")
        if not columns:
            continue  # nothing cleaned (no new batch), or no column of it is needed
        values = {c: f["values"] for c, f in columns.items()}
        write_columns(lake, source, ColumnHealth(at, values, {c: f["unusable"] for c, f in columns.items()}))


trusted_assets = [trusted_zone]
