"""The whole graph in-process: replay server over real HTTP → raw lake → Spark via Pipes → dbt on DuckDB."""

from __future__ import annotations

import csv
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow.parquet as pq
import pytest
from dagster_dbt import DbtCliResource

from orchestration.assets.raw import raw_assets
from orchestration.assets.trusted import TRUSTED_CHECKS, trusted_assets
from orchestration.assets.warehouse import Warehouse, warehouse_models
from orchestration.catalogue import SECOP_II_PROCESOS, SOURCES, Source, field_name_of
from orchestration.dbt_project import dbt_executable, dbt_project
from orchestration.lake import Lake
from orchestration.paco import PacoFiles
from orchestration.socrata import SocrataClient
from orchestration.spark import LocalSparkRunner
from simulator.datasets import generate_sources
from simulator.generator import generate_processes
from simulator.replay_server import PACO_CONTAINER, ReplayDataset, ReplayServer, serve_directory
from tests.conftest import real_sample

pytestmark = [pytest.mark.e2e, pytest.mark.spark]

RUN_DATE = "2026-01-15"
ALL_ASSETS = [*raw_assets, *trusted_assets, warehouse_models]
RAW_KEY = dg.AssetKey(["raw", SECOP_II_PROCESOS.name])
TRUSTED_KEY = dg.AssetKey(["trusted", SECOP_II_PROCESOS.name])
PROCESSES_LINEAGE = dg.AssetSelection.assets(RAW_KEY).downstream().upstream()  # with the dbt seed


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


def resources(server_url: str, tmp: Path) -> dict:
    return {
        "socrata": SocrataClient(base_url=server_url, page_size=700, backoff_seconds=0.05),
        "paco": PacoFiles(base_url=f"{server_url}/{PACO_CONTAINER}", backoff_seconds=0.05),
        "lake": Lake(uri=str(tmp / "lake")),
        "spark": LocalSparkRunner(driver_memory="1g"),
        "warehouse": Warehouse(duckdb_path=str(tmp / "warehouse.duckdb")),
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
    }


def materialize(server_url: str, tmp: Path, selection: dg.AssetSelection | None = None) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        ALL_ASSETS,
        selection=selection,
        resources=resources(server_url, tmp),
        run_config={"ops": {"warehouse_models": {"config": {"run_date": RUN_DATE}}}},
    )


def metadata(result: dg.ExecuteInProcessResult, key: dg.AssetKey) -> dict:
    [event] = [m for m in result.get_asset_materialization_events() if m.asset_key == key]
    return {k: v.value for k, v in event.materialization.metadata.items()}


def test_every_source_end_to_end(tmp_path):
    generated = generate_processes(3_000, tmp_path / "simulator", seed=7)
    files = generate_sources(tmp_path / "simulator", generated.path, seed=7)
    with serve_directory(tmp_path / "simulator") as server:
        result = materialize(server.url, tmp_path)
        assert result.success
        dataset = server.dataset(SECOP_II_PROCESOS.dataset_id)

        for source in SOURCES:  # every source lands whole in raw and reaches the trusted zone
            served = files[source.name] if source.name in files else generated.path
            expected = csv_rows(served) if source.is_file else pq.read_metadata(served).num_rows
            assert metadata(result, dg.AssetKey(["raw", source.name]))["rows"] == expected, source.name
            cleaned = metadata(result, dg.AssetKey(["trusted", source.name]))
            assert cleaned["rows_in"] == expected, source.name
            planted = planted_bad_rows(source, served)
            assert cleaned["rows_quarantined"] == sum(planted.values()), (source.name, cleaned["quarantine_reasons"])
            assert (cleaned["quarantine_reasons"] or {}) == planted, source.name

        raw = metadata(result, RAW_KEY)
        assert raw["rows"] == dataset.row_count == generated.rows
        assert raw["pages"] == -(-generated.rows // 700)
        committed = Lake(uri=str(tmp_path / "lake")).committed(SECOP_II_PROCESOS.name)
        assert sum(pq.read_metadata(tmp_path / "lake" / e.file).num_rows for e in committed) == generated.rows

        trusted = metadata(result, TRUSTED_KEY)
        assert trusted["rows_in"] == generated.rows
        assert trusted["rows_in"] == trusted["rows_trusted"] + trusted["rows_quarantined"] + trusted["rows_superseded"]
        assert trusted["rows_superseded"] > 0  # older versions of processes

        checks = result.get_asset_check_evaluations()
        assert checks and all(c.passed for c in checks), [c.check_name for c in checks if not c.passed]
        trusted_checks = {(c.asset_key.path[-1], c.check_name) for c in checks if c.asset_key.path[0] == "trusted"}
        assert trusted_checks == {(s.name, name) for s in SOURCES for name in TRUSTED_CHECKS}

        with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
            flagged = set(
                con.sql(
                    "select distinct entity_key, supplier_key, cast(extract(year from award_date) as integer) "
                    "from fct_contract_flags where indicator_id = 'repeat_awards'"
                ).fetchall()
            )
            [(units, awards, total, run_date)] = con.sql(
                "select flagged_units, flagged_awards, total_awards, cast(run_date as varchar) "
                "from fct_indicator_summary where indicator_id = 'repeat_awards'"
            ).fetchall()
        assert flagged == set(generated.repeat_award_groups)
        assert units == len(generated.repeat_award_groups) and 0 < awards < total
        assert run_date == RUN_DATE

        # A second pull of an unchanged dataset adds nothing: the watermark holds.
        again = dg.materialize([raw_assets[0]], resources=resources(server.url, tmp_path))
        assert metadata(again, RAW_KEY)["rows"] == 0


def test_real_awarded_sample_goes_through_the_pipeline(tmp_path):
    sample = real_sample("p6dx-8zbt/carlosbax25__secop2_adjudicados_limpio.csv")
    dataset = ReplayDataset.from_file(sample, dataset_id=SECOP_II_PROCESOS.dataset_id)
    with ReplayServer([dataset]) as server:
        result = materialize(server.url, tmp_path, selection=PROCESSES_LINEAGE)
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
