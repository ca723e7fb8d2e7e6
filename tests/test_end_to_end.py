"""The whole graph in-process: replay server over real HTTP → raw lake → Spark via Pipes → dbt on DuckDB."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from pprint import pformat

import dagster as dg
import duckdb
import pyarrow.parquet as pq
import pytest

from catalogue import SECOP_II_PROCESOS, SOURCES, Source, field_name_of
from orchestration.assets.raw import raw_assets
from orchestration.assets.trusted import TRUSTED_CHECKS
from orchestration.lake import Lake
from simulator.dbt_vars import dbt_vars
from simulator.replay.dataset import ReplayDataset
from simulator.replay.server import ReplayServer
from simulator.truth import RUN_DATE, compute_findings, flags_path, load_planted_flags, planted_flags_path
from tests.conftest import real_sample, run_dbt
from tests.oracle_agreement import flag_differences, flag_rows, risk_differences, summary_differences
from tests.pipeline import PAGE_SIZE, materialize, resources
from texts import LANGUAGES, render_reason

pytestmark = [pytest.mark.e2e, pytest.mark.spark]

RAW_KEY = dg.AssetKey(["raw", SECOP_II_PROCESOS.name])
TRUSTED_KEY = dg.AssetKey(["trusted", SECOP_II_PROCESOS.name])
PROCESSES_STAGING = dg.AssetSelection.assets(RAW_KEY).downstream(depth=2)  # raw -> trusted -> staging
# Indicators the mixed world flags only at its planted cases: an organisation-level share (no boundary rows).
PLANTED_ONLY = frozenset({"direct_award_share"})


def csv_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def planted_bad_rows(source: Source, served: Path) -> dict[str, int]:
    """Quarantine reasons the generator plants on purpose: file rows its row rules reject (the fiscal
    bulletin's shifted rows). The rules are plain SQL, so DuckDB counts them on the generated CSV."""
    if not source.row_rules:
        return {}
    with served.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    names = ", ".join(f'"{h}" as {field_name_of(h)}' for h in header)
    rows = f"select {names} from read_csv('{served}', all_varchar = true, header = true)"
    planted = {}
    for rule in source.row_rules:
        [(count,)] = duckdb.sql(f"select count(*) from ({rows}) where not coalesce({rule.condition}, false)").fetchall()
        if count:
            planted[rule.reason] = count
    return planted


def metadata(result: dg.ExecuteInProcessResult, key: dg.AssetKey) -> dict:
    [event] = [m for m in result.get_asset_materialization_events() if m.asset_key == key]
    return {k: v.value for k, v in event.materialization.metadata.items()}


def flags_by_indicator(warehouse: Path) -> dict[str, set[str]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.sql("select indicator_id, award_key from fct_contract_flags").fetchall()
    flagged: dict[str, set[str]] = {}
    for indicator_id, award_key in rows:
        flagged.setdefault(indicator_id, set()).add(award_key)
    return flagged


def test_every_source_end_to_end(pipeline):
    result, generated = pipeline.result, pipeline.generated
    assert result.success
    for source in SOURCES:  # every source lands whole in raw and reaches the trusted zone
        served = pipeline.files[source.name] if source.name in pipeline.files else generated.path
        expected = csv_rows(served) if source.is_file else pq.read_metadata(served).num_rows
        assert metadata(result, dg.AssetKey(["raw", source.name]))["rows"] == expected, source.name
        cleaned = metadata(result, dg.AssetKey(["trusted", source.name]))
        assert cleaned["rows_in"] == expected, source.name
        planted = planted_bad_rows(source, served)
        assert cleaned["rows_quarantined"] == sum(planted.values()), (source.name, cleaned["quarantine_reasons"])
        assert (cleaned["quarantine_reasons"] or {}) == planted, source.name

    raw = metadata(result, RAW_KEY)
    assert raw["rows"] == pipeline.dataset_rows == generated.rows
    assert raw["pages"] == -(-generated.rows // PAGE_SIZE) > 1
    committed = Lake(uri=str(pipeline.lake)).committed(SECOP_II_PROCESOS.name)
    assert sum(pq.read_metadata(pipeline.lake / e.file).num_rows for e in committed) == generated.rows

    trusted = metadata(result, TRUSTED_KEY)
    assert trusted["rows_in"] == generated.rows
    assert trusted["rows_in"] == trusted["rows_trusted"] + trusted["rows_quarantined"] + trusted["rows_superseded"]
    assert trusted["rows_superseded"] > 0  # older versions of processes

    checks = result.get_asset_check_evaluations()
    assert checks and all(c.passed for c in checks), [c.check_name for c in checks if not c.passed]
    trusted_checks = {(c.asset_key.path[-1], c.check_name) for c in checks if c.asset_key.path[0] == "trusted"}
    assert trusted_checks == {(s.name, name) for s in SOURCES for name in TRUSTED_CHECKS}
    dbt_checked = {c.asset_key.path[-1] for c in checks if c.asset_key.path[0] != "trusted"}
    assert {"fct_contract_flags", "fct_contract_risk", "fct_indicator_summary", "dim_entity"} <= dbt_checked

    with duckdb.connect(str(pipeline.warehouse), read_only=True) as con:
        [(awards,)] = con.sql("select count(*) from fct_contract_risk").fetchall()
        [(run_date,)] = con.sql("select distinct cast(run_date as varchar) from fct_indicator_summary").fetchall()
    assert metadata(result, dg.AssetKey(["fct_contract_risk"]))["dagster/row_count"] == awards > 0
    assert "dagster/row_count" not in metadata(result, dg.AssetKey(["stg_secop_ii_ofertas"]))  # a view
    assert run_date == RUN_DATE

    # A second pull of an unchanged dataset adds nothing: the watermark holds.
    again = dg.materialize([raw_assets[0]], resources=resources(pipeline.server_url, pipeline.root))
    assert metadata(again, RAW_KEY)["rows"] == 0


def test_the_warehouse_flags_exactly_what_the_oracle_flags_on_the_mixed_world(pipeline):
    """The differential test: on the mixed world (boundary populations and a background that fires), each
    indicator's flags in fct_contract_flags are exactly the awards simulator.truth flags, the planted
    ones among them (docs/indicators/README.md#rules-settled-between-the-oracle-and-the-sql)."""
    world = pipeline.generated.path.parent
    oracle, planted = load_planted_flags(flags_path(world)), load_planted_flags(planted_flags_path(world))
    flagged = flags_by_indicator(pipeline.warehouse)
    with duckdb.connect(str(pipeline.warehouse), read_only=True) as con:
        indicators = {i for (i,) in con.sql("select indicator_id from indicators").fetchall()}
    assert set(oracle) == indicators
    disagreements = {
        indicator_id: {
            "warehouse": len(flagged.get(indicator_id, set())),
            "oracle": len(oracle[indicator_id]),
            "only_warehouse": sorted(flagged.get(indicator_id, set()) - oracle[indicator_id])[:10],
            "only_oracle": sorted(oracle[indicator_id] - flagged.get(indicator_id, set()))[:10],
        }
        for indicator_id in sorted(indicators)
        if flagged.get(indicator_id, set()) != oracle[indicator_id]
    }
    assert not disagreements, pformat(disagreements)
    # SECOP I awards and virtual-store orders are judged end to end: value_additions on SECOP I contracts,
    # inactive_supplier on orders (their planted cases), both flagged by the warehouse.
    for indicator_id, prefix in (("value_additions", "SECOP_I:"), ("inactive_supplier", "TVEC:")):
        assert {k for k in planted[indicator_id] if k.startswith(prefix)} <= flagged[indicator_id], indicator_id
        assert any(k.startswith(prefix) for k in planted[indicator_id]), indicator_id
    for indicator_id in sorted(indicators):
        assert planted[indicator_id], indicator_id  # every indicator has planted cases ...
        assert planted[indicator_id] <= oracle[indicator_id], indicator_id  # ... and flags them
        assert oracle[indicator_id] - planted[indicator_id] or indicator_id in PLANTED_ONLY, indicator_id


def test_flags_risk_and_summary_agree_with_the_oracle(pipeline):
    """Not only which awards fire: each flag's unit, match method, excess amount, evidence figures and the
    figures its reason quotes (rendered in each language), each award's flags (1, 0 or null) and risk score,
    and each indicator's summary counts equal what the oracle (simulator.truth) computes on the generated files
    (tests/oracle_agreement.py)."""
    findings = compute_findings(pipeline.generated.path.parent, processes_path=pipeline.generated.path)
    assert all(findings.flags.values()), [i for i, flags in findings.flags.items() if not flags]
    with duckdb.connect(str(pipeline.warehouse), read_only=True) as con:
        differences = [
            *flag_differences(findings, con),
            *risk_differences(findings, con, dbt_vars()["risk_weights"]),
            *summary_differences(findings, con, RUN_DATE),
        ]
    assert not differences, f"{len(differences)} differences:\n" + "\n".join(differences[:60])


def test_every_flag_renders_its_reason_in_spanish_and_english(pipeline):
    """The reason of every flag of the warehouse, every indicator among them, renders from its evidence and its
    award's names in each language (texts.render_reason): no evidence field a sentence quotes is missing."""
    with duckdb.connect(str(pipeline.warehouse), read_only=True) as con:
        rows = flag_rows(con)
    assert {row["indicator_id"] for row in rows} == set(dbt_vars()["indicators"])
    for row in rows:
        reasons = {lang: render_reason(row, lang) for lang in LANGUAGES}
        assert reasons["es"] != reasons["en"], reasons


def test_dbt_build_runs_stand_alone_with_the_same_result(pipeline, tmp_path):
    """`dbt build --target local` outside Dagster, on the same lake: every data test passes, same flags. dbt's
    unit tests read fixed rows, not the lake: the session's build (the `pipeline` fixture) runs them already."""
    warehouse = tmp_path / "warehouse.duckdb"
    env = {"SECOP_LAKE_URI": str(pipeline.lake), "SECOP_DUCKDB_PATH": str(warehouse)}
    build = ["build", "--target", "local", "--exclude", "test_type:unit", "--vars", json.dumps({"run_date": RUN_DATE})]
    output = run_dbt(*build, **env)
    assert "ERROR=0" in output and "WARN=0" in output
    assert flags_by_indicator(warehouse) == flags_by_indicator(pipeline.warehouse)


def mart_rows(warehouse: Path, table: str, exclude: tuple[str, ...] = ()) -> set[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = [c for (c,) in con.sql(f"select column_name from (describe {table})").fetchall() if c not in exclude]
        return set(con.sql(f"select {', '.join(columns)} from {table}").fetchall())


def test_incremental_flags_equal_a_full_refresh(pipeline, tmp_path):
    """fct_contract_flags after incremental runs that raise, change and drop flags equals a full refresh;
    flags that did not change are not rewritten (they keep the run date of the run that wrote them)."""
    # Every dbt run here opens the same warehouse path, the incremental and the full warehouse taking turns
    # there: a profile that changes between runs would make dbt parse the whole project again each time.
    warehouse, incremental, full = (tmp_path / f"{name}.duckdb" for name in ("warehouse", "incremental", "full"))
    env = {"SECOP_LAKE_URI": str(pipeline.lake), "SECOP_DUCKDB_PATH": str(warehouse)}
    shutil.copy(pipeline.warehouse, incremental)
    for run_date, threshold in (("2026-01-16", 2), ("2026-01-17", 4)):  # more flags, then fewer
        dbt_vars = json.dumps({"run_date": run_date, "repeat_awards_min": threshold})
        incremental.rename(warehouse)
        run_dbt("run", "--select", "int_flags__repeat_awards+", "--vars", dbt_vars, **env)
        warehouse.rename(incremental)
        shutil.copy(pipeline.warehouse, warehouse)
        run_dbt("run", "--full-refresh", "--select", "int_flags__repeat_awards+", "--vars", dbt_vars, **env)
        warehouse.rename(full)
        assert mart_rows(incremental, "fct_contract_flags", ("run_date",)) == mart_rows(
            full, "fct_contract_flags", ("run_date",)
        )
    with duckdb.connect(str(incremental), read_only=True) as con:
        dates = dict(
            con.sql("select indicator_id, min(cast(run_date as varchar)) from fct_contract_flags group by 1").fetchall()
        )
        [(summaries,)] = con.sql("select count(distinct run_date) from fct_indicator_summary").fetchall()
    assert dates.pop("repeat_awards") == "2026-01-17"  # rewritten when its evidence changed
    assert set(dates.values()) == {RUN_DATE}  # the other indicators' flags were left alone
    assert summaries == 3  # one summary per run date, history kept


def test_a_mart_built_by_an_earlier_version_is_rebuilt(pipeline, tmp_path):
    """An incremental mart missing a column of its contract (built before the column existed), or holding one
    the contract dropped, is rebuilt in full on the next run, with the same rows, instead of failing."""
    warehouse = tmp_path / "upgraded.duckdb"
    shutil.copy(pipeline.warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("alter table fct_contract_flags drop column flag_hash")
        con.execute("alter table fct_contract_flags add column reason varchar")
    output = run_dbt(
        "run",
        "--select",
        "fct_contract_flags",
        "--vars",
        json.dumps({"run_date": RUN_DATE}),
        SECOP_LAKE_URI=str(pipeline.lake),
        SECOP_DUCKDB_PATH=str(warehouse),
    )
    assert "lacks flag_hash and holds the dropped reason" in output and "ERROR=0" in output
    assert mart_rows(warehouse, "fct_contract_flags") == mart_rows(pipeline.warehouse, "fct_contract_flags")


def test_real_awarded_sample_goes_through_the_pipeline(tmp_path, spark_connect):
    """A real sample of the processes pulled, cleaned (on the session's warm Spark Connect server: the same job,
    tests/test_spark_connect.py) and staged."""
    sample = real_sample("p6dx-8zbt/carlosbax25__secop2_adjudicados_limpio.csv")
    dataset = ReplayDataset.from_file(sample, dataset_id=SECOP_II_PROCESOS.dataset_id)
    with ReplayServer([dataset]) as server:
        result = materialize(server.url, tmp_path, selection=PROCESSES_STAGING, spark_connect=spark_connect)
    assert result.success
    raw = metadata(result, RAW_KEY)
    assert raw["rows"] == dataset.row_count == 8_824
    # the sample is a processed subset: its derived columns are reported as new
    assert {"anio_adjudicacion", "modalidad_corta"} <= set(raw["new_columns"])
    trusted = metadata(result, TRUSTED_KEY)
    assert trusted["rows_in"] == trusted["rows_trusted"] + trusted["rows_quarantined"] + trusted["rows_superseded"]
    # Every row parses: the sample's ids repeat (466 ids on several rows), nothing is quarantined.
    assert trusted["rows_quarantined"] == 0
    assert trusted["rows_superseded"] > 0
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        keys = dict(
            con.sql(
                "select supplier_document_raw, supplier_document_key from stg_secop_ii_procesos "
                "where supplier_document_raw in ('80-0696494', 'No Definido')"
            ).fetchall()
        )
        entity = con.sql("select entity_key from stg_secop_ii_procesos where entity_nit_raw = '8999990619'").fetchall()
    assert keys == {"80-0696494": "800696494", "No Definido": None}
    assert entity and {e for (e,) in entity} == {"899999061"}
