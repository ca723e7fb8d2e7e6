"""`raw/<source>` assets: one per catalogue entry, pulling the dataset incrementally into the lake.

A pull that fails (the portal answers 404, an outage outlasts the retries, a file moved or cannot be
read) does not fail the run: one source down is one source down. The asset records the attempt (rows 0,
the raw zone as it was), its check `source_available` fails with the reason, and every later step goes
on with the sources that did land; the indicators that need the failed one are not evaluated
(orchestration/indicator_status.py reads the health kept in the lake). Dagster cannot run a step whose
upstream step failed, so the failure lives in the check, not in the step. A dataset that is not
published at all but has a stand-in (catalogue `stand_in`) warns instead.

Checks: `source_available` (ERROR), `expected_columns_published` (ERROR when a column some indicator
needs is gone, else a warning), `source_fresh` (a warning: the publisher's data is older than the
source's `max_age_days`; its indicators are not evaluated). For a current register, each pull also
reconciles the rows the portal still lists (orchestration/reconcile.py).
"""

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timezone

import dagster as dg

from catalogue import SOURCES, Source
from catalogue.lake_layout import RAW_SYSTEM_COLUMNS
from orchestration.dbt_project import ensure_manifest
from orchestration.http import PortalError, printable
from orchestration.indicator_status import needed_columns, read_needs
from orchestration.ingest import IngestResult, ingest_file_source, ingest_source
from orchestration.lake import Lake, utc_now
from orchestration.paco import PacoFiles
from orchestration.reconcile import Reconciliation, reconcile, reconciles
from orchestration.socrata import SocrataClient
from orchestration.source_health import PullHealth, read_pull, utc_iso, write_pull

AVAILABLE_CHECK = "source_available"
COLUMNS_CHECK = "expected_columns_published"
FRESH_CHECK = "source_fresh"
CHECKS = {
    AVAILABLE_CHECK: "the portal answered and the pull landed (else the indicators that need it are not evaluated)",
    COLUMNS_CHECK: "every catalogued column is still published (an error when an indicator needs the column)",
    FRESH_CHECK: "the publisher changed the data within the source's max_age_days (else it is stale)",
}


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


def _pull(source: Source, socrata: SocrataClient, paco: PacoFiles, lake: Lake) -> IngestResult:
    if source.is_file:
        return ingest_file_source(source, paco, lake)
    return ingest_source(source, socrata, lake)


def failure(source: Source, error: Exception) -> str:
    """Why the pull failed, for people: the portal's error (scheme and host only), or the exception."""
    if isinstance(error, PortalError):
        return str(error)
    return f"{type(error).__name__}: {printable(str(error))}"


def _iso(epoch: int | None) -> str | None:
    return utc_iso(datetime.fromtimestamp(epoch, timezone.utc)) if epoch is not None else None


def columns_check(missing: list[str], new: list[str], needed: dict[str, list[str]]) -> dg.AssetCheckResult:
    gone = {column: needed[column] for column in missing if column in needed}
    return dg.AssetCheckResult(
        check_name=COLUMNS_CHECK,
        passed=not missing,
        severity=dg.AssetCheckSeverity.ERROR if gone else dg.AssetCheckSeverity.WARN,
        metadata={"missing_columns": missing, "new_columns": new, "needed_and_missing": gone},
    )


def fresh_check(source: Source, health: PullHealth, now: datetime) -> dg.AssetCheckResult:
    age = health.age_days(now)
    metadata = {"published_at": health.published_at or "", "max_age_days": source.max_age_days}
    if age is not None:
        metadata["age_days"] = round(age, 1)
    stale = health.stale(source, now)
    return dg.AssetCheckResult(
        check_name=FRESH_CHECK,
        passed=stale is None,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={**metadata, "stale": stale or ""},
        description=stale,
    )


def build_raw_asset(source: Source) -> dg.AssetsDefinition:
    key = dg.AssetKey(["raw", source.name])
    how = "Each new version of the file lands whole." if source.is_file else "Incremental by :updated_at."
    if reconciles(source):
        how += " Rows the publisher deletes are found by a row count each pull (and :id pages when it drops)."

    @dg.asset(
        key=key,
        group_name="ingest",
        kinds={"csv" if source.is_file else "socrata", "parquet"},
        description=f"{source.title} ({source.origin_label}) as served: every value a string, plus "
        f"{', '.join(RAW_SYSTEM_COLUMNS)}. {how}",
        check_specs=[dg.AssetCheckSpec(name, asset=key, description=text) for name, text in CHECKS.items()],
    )
    def raw_asset(
        context: dg.AssetExecutionContext, socrata: SocrataClient, paco: PacoFiles, lake: Lake
    ) -> Iterator[dg.MaterializeResult]:
        attempted = utc_now()
        previous = read_pull(lake, source)
        needed = needed_columns(read_needs(ensure_manifest()), source)
        try:
            result = _pull(source, socrata, paco, lake)
            reconciliation = None
            if reconciles(source) and not result.unchanged:
                reconciliation = reconcile(source, socrata, lake, result.stats, result.source_changed_at)
        except Exception as error:  # noqa: BLE001 (any failure of one source leaves the others running)
            yield failed_pull(context, source, lake, error, attempted, previous, needed)
            return
        missing = result.missing_columns
        if source.is_file and result.unchanged and previous is not None:
            missing = previous.missing_columns  # the header was not read again
        health = PullHealth(
            at=utc_iso(attempted),
            landed=True,
            last_landed=utc_iso(attempted),
            published_at=_iso(result.source_changed_at),
            missing_columns=missing,
        )
        write_pull(lake, source, health)
        if result.aborted_batches:
            context.log.warning(f"removed uncommitted batches of a crashed run: {result.aborted_batches}")
        if missing:
            context.log.warning(f"{source.origin_label} no longer publishes {missing}")
        if result.new_columns:
            context.log.info(f"{source.origin_label} publishes new columns, kept as strings: {result.new_columns}")
        stored = sum(entry.rows for entry in lake.committed(source.name))
        metadata = {**_metadata(result), **reconciled(reconciliation), "dagster/row_count": stored}
        checks = [
            dg.AssetCheckResult(check_name=AVAILABLE_CHECK, passed=True),
            columns_check(missing, result.new_columns, needed),
            fresh_check(source, health, attempted),
        ]
        yield dg.MaterializeResult(metadata=metadata, check_results=checks)

    return raw_asset


def reconciled(reconciliation: Reconciliation | None) -> dict:
    """The figures of a register's reconciliation (none for other sources or an unchanged dataset)."""
    if reconciliation is None:
        return {}
    return {
        "rows_listed_upstream": reconciliation.listed,
        "rows_deleted_upstream": reconciliation.deleted,
        "rows_listed_never_pulled": reconciliation.unseen,
    }


def failed_pull(
    context: dg.AssetExecutionContext,
    source: Source,
    lake: Lake,
    error: Exception,
    attempted: datetime,
    previous: PullHealth | None,
    needed: dict[str, list[str]],
) -> dg.MaterializeResult:
    """The raw zone stays as it was; the check says why, and the health the lake keeps tells the later
    steps (a dataset with a stand-in that is not published at all only warns). The columns and freshness
    checks say what the last pull that landed knew."""
    problem = failure(source, error)
    stood_in = source.stand_in if isinstance(error, PortalError) and error.status == 404 else None
    known = previous or PullHealth(at=utc_iso(attempted), landed=False)
    health = replace(known, at=utc_iso(attempted), landed=False, problem=problem, stood_in=stood_in)
    write_pull(lake, source, health)
    if stood_in:
        problem = f"{problem}; not published: the rows of {stood_in} stand in for it"
        context.log.warning(f"{source.origin_label}: {problem}")
    else:
        context.log.error(f"{source.origin_label} could not be pulled; the raw zone stays as it was: {problem}")
    available = dg.AssetCheckResult(
        check_name=AVAILABLE_CHECK,
        passed=False,
        severity=dg.AssetCheckSeverity.WARN if stood_in else dg.AssetCheckSeverity.ERROR,
        metadata={"problem": problem, "last_landed": health.last_landed or "never"},
        description=problem,
    )
    stored = sum(entry.rows for entry in lake.committed(source.name))
    metadata = {"rows": 0, "pull": "failed", "problem": problem, "dagster/row_count": stored}
    columns = columns_check(health.missing_columns, [], needed)
    checks = [available, columns, fresh_check(source, health, attempted)]
    return dg.MaterializeResult(metadata=metadata, check_results=checks)


raw_assets = [build_raw_asset(source) for source in SOURCES]
