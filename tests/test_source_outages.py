"""One source down is one source down; registers forget what their publisher deletes.

Each test starts from a copy of the session pipeline's lake and warehouse (every source landed once) and
serves the same generated world again over real HTTP, minus what the test takes away: a dataset or a
PACO file that answers 404, a dataset emptied, rows deleted or the whole dataset replaced. The job
`refresh_all` (or `refresh_<source>`) then runs as the weekly schedule runs it; a run that cleans a source
does it on the session's warm Spark Connect server (the same job: tests/test_spark_connect.py), not on a
Spark of its own started for a few small tables.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from catalogue import (
    PACO_OBRAS_INCONCLUSAS,
    SECOP_II_CONTRATOS_CANCELADOS,
    SECOP_II_PROCESOS,
    SIGEP_PEP,
    SIGEP_PUESTOS_SENSIBLES,
    SOURCES,
    Source,
)
from orchestration.assets.warehouse import unit_tests_outside
from orchestration.automation import refresh_all_job, source_job_name, source_jobs
from orchestration.dbt_project import dbt_project
from orchestration.indicator_status import not_evaluated, read_needs
from orchestration.lake import Lake, utc_now
from simulator.replay.server import PACO_CONTAINER, ReplayServer, serve_directory
from simulator.truth import RUN_DATE
from tests.pipeline import ALL_ASSETS, resources
from texts import not_evaluated_reasons
from workbench.live_session import SessionPaths

pytestmark = [pytest.mark.e2e, pytest.mark.spark]

AUTOMATION = {"dagster/schedule_name": "weekly_refresh"}  # as the schedule runs it: dbt's unit tests left to CI


@dataclass(frozen=True)
class Copy(SessionPaths):
    """A copy of the session pipeline's lake and warehouse (SessionPaths' names), for one test to change."""

    def sql(self, query: str) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.sql(query).fetchall()


def copy_of(pipeline, tmp_path: Path) -> Copy:
    """The session pipeline's lake and warehouse, to change without touching the session's."""
    copy = Copy(tmp_path)
    shutil.copytree(pipeline.lake, copy.lake, symlinks=True)
    shutil.copy(pipeline.warehouse, copy.warehouse)
    return copy


@contextmanager
def serving(pipeline, tmp_path: Path, without: Source | None = None) -> Iterator[ReplayServer]:
    """The pipeline's generated world over HTTP again, `without` one dataset or PACO file (HTTP 404)."""
    folder = tmp_path / "served"
    (folder / "paco").mkdir(parents=True)
    generated = pipeline.generated.path.parent
    for path in generated.iterdir():
        if path.is_file() and not (without and path.stem == without.dataset_id):
            (folder / path.name).symlink_to(path)
    for path in (generated / "paco").iterdir():
        if not (without and path.name == without.dataset_id):
            shutil.copy2(path, folder / "paco" / path.name)  # the blob host serves its own folder only; same mtime
    with serve_directory(folder) as server:
        yield server


def run_job(
    name: str, server_url: str, copy: Copy, data_tests: bool = True, spark_connect: str | None = None
) -> dg.ExecuteInProcessResult:
    """`name` as the weekly schedule runs it (dbt's unit tests left to CI), on `copy`."""
    defs = dg.Definitions(
        assets=ALL_ASSETS,
        jobs=[refresh_all_job, *source_jobs],
        resources=resources(server_url, copy.root, spark_connect),
    )
    dbt = {"run_date": RUN_DATE, "data_tests": data_tests}
    return defs.resolve_job_def(name).execute_in_process(
        run_config={"ops": {"warehouse_models": {"config": dbt}}}, tags=AUTOMATION, raise_on_error=False
    )


def failed_checks(result: dg.ExecuteInProcessResult) -> set[tuple[str, str]]:
    return {(c.asset_key.to_user_string(), c.check_name) for c in result.get_asset_check_evaluations() if not c.passed}


def not_evaluated_in_summary(copy: Copy) -> dict[str, list[dict]]:
    """Indicator id -> why fct_indicator_summary says it was not evaluated in this run (its reason records)."""
    summary = f"select indicator_id, not_evaluated_reason from fct_indicator_summary where run_date = '{RUN_DATE}'"
    return {indicator_id: not_evaluated_reasons(value) for indicator_id, value in copy.sql(summary) if value}


def needing(source: Source) -> set[str]:
    """The indicators whose declared needs name `source`."""
    return {i for i, sources in read_needs(dbt_project.manifest_path).items() if source.name in sources}


def assert_everything_else_built(result: dg.ExecuteInProcessResult, copy: Copy) -> None:
    """Every step succeeded, every asset of the job materialized, and the report was written."""
    assert result.success
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert materialized == {key for assets in ALL_ASSETS for key in assets.keys}
    assert (copy.lake / "reports" / "risk_report.html").exists()


def test_one_source_answering_404_and_another_empty(pipeline, tmp_path, spark_connect):
    """The unfinished-works file moved (404) and the sensitive posts were emptied by their publisher: the
    run still builds every trusted table, model and the report; the works pull is the only failure; the
    two indicators that need those sources say why they were not evaluated; the others are evaluated."""
    copy = copy_of(pipeline, tmp_path)
    with serving(pipeline, tmp_path, without=PACO_OBRAS_INCONCLUSAS) as server:
        posts = server.dataset(SIGEP_PUESTOS_SENSIBLES.dataset_id)
        posts.delete(posts.row_ids())
        result = run_job("refresh_all", server.url, copy, spark_connect=spark_connect)

    assert_everything_else_built(result, copy)
    assert failed_checks(result) == {("raw/paco_obras_inconclusas", "source_available")}
    [available] = [
        c for c in result.get_asset_check_evaluations() if c.check_name == "source_available" and not c.passed
    ]
    problem = available.metadata["problem"].value
    assert "404" in problem and f"/{PACO_CONTAINER}/" not in problem  # scheme and host only
    reasons = not_evaluated_in_summary(copy)
    assert set(reasons) == {"barred_unfinished_works", "sensitive_post_supplier"}
    [failed] = reasons["barred_unfinished_works"]
    assert (failed["kind"], failed["source"], failed["problem"]) == (
        "pull_failed",
        PACO_OBRAS_INCONCLUSAS.name,
        problem,
    )
    assert reasons["sensitive_post_supplier"] == [{"kind": "source_empty", "source": "sigep_puestos_sensibles"}]
    [(null_flags, awards)] = copy.sql(
        "select count(*) filter (where flag_barred_unfinished_works is null), count(*) from fct_contract_risk"
    )
    assert null_flags == awards > 0  # not evaluated: null, never 0
    assert not copy.sql("select 1 from fct_contract_flags where indicator_id = 'barred_unfinished_works'")
    english = (copy.lake / "reports" / "risk_report.en.html").read_text(encoding="utf-8")
    spanish = (copy.lake / "reports" / "risk_report.html").read_text(encoding="utf-8")
    assert "Not evaluated in this build" in english and "No evaluados en esta construcción" in spanish
    assert "source sigep_puestos_sensibles holds no rows in the trusted zone" in english
    assert "la fuente sigep_puestos_sensibles no tiene filas en la zona confiable" in spanish
    assert f"la descarga de {PACO_OBRAS_INCONCLUSAS.name} falló el {failed['at']}" in spanish


@pytest.mark.parametrize("source", SOURCES, ids=[s.name for s in SOURCES])
def test_any_single_source_down(pipeline, tmp_path, source):
    """Whichever source answers 404, every other pull lands, its own pull is the only failure (its check
    `source_available`), and the health it leaves in the lake stops exactly the indicators that need it
    (none for the cancelled contracts: they have a stand-in). The runs below take the rest of the graph
    through a source down; here the pulls alone, for every source."""
    copy = copy_of(pipeline, tmp_path)
    with serving(pipeline, tmp_path, without=source) as server:
        result = dg.materialize(
            ALL_ASSETS,
            selection=dg.AssetSelection.key_prefixes("raw"),
            resources=resources(server.url, copy.root),
            raise_on_error=False,
        )

    assert result.success
    assert {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()} == {
        f"raw/{s.name}" for s in SOURCES
    }
    assert failed_checks(result) == {(f"raw/{source.name}", "source_available")}
    reasons = not_evaluated(read_needs(dbt_project.manifest_path), Lake(uri=str(copy.lake)), utc_now())
    assert set(reasons) == (set() if source.stand_in else needing(source))
    assert all((listed[0]["kind"], listed[0]["source"]) == ("pull_failed", source.name) for listed in reasons.values())


# The whole graph with one source down, one of each kind beyond the test above: the award universe's
# processes (every indicator stops, the marts and the report are still built) and the cancelled contracts
# (a stand-in: every indicator is evaluated).
@pytest.mark.parametrize("source", [SECOP_II_PROCESOS, SECOP_II_CONTRATOS_CANCELADOS], ids=lambda s: s.name)
def test_the_whole_graph_with_a_source_down(pipeline, tmp_path, source):
    copy = copy_of(pipeline, tmp_path)
    with serving(pipeline, tmp_path, without=source) as server:
        result = run_job("refresh_all", server.url, copy, data_tests=False)  # the first test runs them

    assert_everything_else_built(result, copy)
    assert failed_checks(result) == {(f"raw/{source.name}", "source_available")}
    assert set(not_evaluated_in_summary(copy)) == (set() if source.stand_in else needing(source))


def test_a_register_forgets_deleted_rows_and_converges_after_a_full_replace(pipeline, tmp_path, spark_connect):
    """A PEP whose rows the publisher deletes leaves the trusted zone and stops being flagged; a full replace
    (every row under a new :id) leaves exactly the published rows, no duplicates (the replace is pulled,
    cleaned and staged: what it asserts on, without the rest of the source's job again)."""
    copy = copy_of(pipeline, tmp_path)
    [(document, flagged)] = copy.sql(
        "select supplier_key, count(*) from fct_contract_flags where indicator_id = 'pep_supplier' "
        "and match_method = 'document' group by 1 order by 2 desc, 1 limit 1"
    )
    assert flagged > 0
    pep_rows = copy.sql(f"select pep_record_id from stg_sigep_pep where document_key = '{document}'")
    with serving(pipeline, tmp_path) as server:
        dataset = server.dataset(SIGEP_PEP.dataset_id)
        dataset.delete([row_id for (row_id,) in pep_rows])
        deleted = run_job(source_job_name(SIGEP_PEP), server.url, copy, data_tests=False, spark_connect=spark_connect)
        listed = dataset.row_count

        assert deleted.success
        assert copy.sql("select count(*) from stg_sigep_pep") == [(listed,)]
        assert not copy.sql(f"select 1 from stg_sigep_pep where document_key = '{document}'")
        assert not copy.sql(
            f"select 1 from fct_contract_flags where indicator_id = 'pep_supplier' and supplier_key = '{document}'"
        )

        dataset.replace(dataset.rows())
        replaced = dg.materialize(
            ALL_ASSETS,
            selection=dg.AssetSelection.assets(dg.AssetKey(["raw", SIGEP_PEP.name])).downstream(depth=2),
            resources=resources(server.url, copy.root, spark_connect),
            run_config={"ops": {"warehouse_models": {"config": {"run_date": RUN_DATE, "data_tests": False}}}},
            tags=AUTOMATION,
        )

    assert replaced.success
    assert copy.sql("select count(*), count(distinct pep_record_id) from stg_sigep_pep") == [(listed, listed)]


def test_a_launched_subset_run_leaves_out_the_unit_tests_it_cannot_run(pipeline, tmp_path):
    """Everything downstream of the processes, launched by a person (dbt's unit tests on): the unit tests
    of models that read a model the run does not build (int_awards reads the contracts' staging) are left
    to full builds, the others run, and the run succeeds."""
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    selection = dg.AssetSelection.assets(dg.AssetKey(["raw", SECOP_II_PROCESOS.name])).downstream()
    names = {key.path[-1] for key in selection.resolve(ALL_ASSETS)}
    selected = {uid for uid, node in manifest["nodes"].items() if node["name"] in names}
    skipped = set(unit_tests_outside(manifest, selected))
    tested = {u["name"]: u["depends_on"]["nodes"][0] for u in manifest["unit_tests"].values()}
    assert {name for name, model in tested.items() if model.endswith(".int_awards")} <= skipped
    assert {name for name, model in tested.items() if model.endswith(".stg_secop_ii_procesos")}.isdisjoint(skipped)

    copy = copy_of(pipeline, tmp_path)
    with serving(pipeline, tmp_path) as server:
        defs = dg.Definitions(assets=ALL_ASSETS, jobs=source_jobs, resources=resources(server.url, copy.root))
        folder = f"test-subset-{tmp_path.name}"[:100]
        target = dbt_project.project_dir / dbt_project.target_path / folder
        dbt = {"run_date": RUN_DATE, "data_tests": False, "target_folder": folder}
        try:
            result = defs.resolve_job_def(source_job_name(SECOP_II_PROCESOS)).execute_in_process(
                run_config={"ops": {"warehouse_models": {"config": dbt}}}, raise_on_error=False
            )
            run_results = json.loads((target / "run_results.json").read_text("utf-8"))
        finally:
            shutil.rmtree(target, ignore_errors=True)
    assert result.success
    ran = {r["unique_id"].rsplit(".", 1)[-1] for r in run_results["results"] if r["unique_id"].startswith("unit_test.")}
    assert ran and ran.isdisjoint(skipped)
    assert {name for name, model in tested.items() if model.endswith(".stg_secop_ii_procesos")} <= ran
