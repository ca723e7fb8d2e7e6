"""The trusted table built incrementally: increments, reruns, interrupted runs, compaction, quarantine, checks.

Each test lands raw batches (all strings, as ingestion writes them) in a temporary lake and runs the
Spark job's per-source step (`clean_source.run`) with the shared SparkSession. "Merged" is what readers
see: every generation's rows, the latest version of each key winning (the dbt views do the same). The
trusted checks are the job's own (`clean_source.report_checks`) on the figures of that step.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from catalogue import SECOP_II_PROCESOS, SIGEP_PEP
from catalogue.lake_layout import spark_layout
from orchestration.assets.trusted import TRUSTED_CHECKS, TrustedConfig
from spark_jobs import clean_source
from spark_jobs.cleaning import latest_per_key
from spark_jobs.lake_files import LakeFile
from spark_jobs.trusted_table import RUN_COUNTS, Plan, generation_of, publish_trusted
from tests.conftest import run_dbt

pytestmark = pytest.mark.spark

SPEC = SECOP_II_PROCESOS.cleaning_spec()
PIPES = SimpleNamespace(log=logging.getLogger("clean_source"))
CHECK_SETTINGS = TrustedConfig().model_dump()  # the asset's defaults: 5% quarantine, 20% unusable
LINEAGE = ("_batch_id", "_ingested_at", "fecha_corte_datos")  # differ by construction between landings


def batch_id(day: int) -> str:
    return f"202402{day:02d}T000000000000Z-{day:08x}"


def process(number: int, version: int, day: int, **values) -> dict:
    """Process `CO1.REQ.<number>` as served in its `version`-th edition, landed on day `day`."""
    row = dict.fromkeys(SECOP_II_PROCESOS.field_names)
    row.update(
        id_del_proceso=f"CO1.REQ.{number}",
        entidad="Alcaldía de Sopó",
        nit_entidad="899999061",
        fecha_de_publicacion_del=f"{2022 + number % 3}-01-10T00:00:00.000",
        fecha_de_ultima_publicaci=f"{2022 + number % 3}-01-{10 + version:02d}T00:00:00.000",
        precio_base=str(1000 * version),
        nombre_del_proveedor=f"Proveedor {number} v{version}",
        _row_id=f"row-{number}",
        _source_updated_at=f"2024-02-{day:02d}T00:00:{version:02d}.000Z",
        _source_created_at="2024-01-01T00:00:00.000Z",
        _batch_id=batch_id(day),
        _ingested_at=f"2024-02-{day:02d}T01:00:00.000+00:00",
    )
    row.update(values)
    return row


class Landing:
    """A lake folder with raw batches of the processes source, and the job run on it."""

    def __init__(self, root: Path, files: list[dict] | None = None, spec: dict = SPEC):
        self.root, self.files, self.spec = root, list(files or []), spec

    def copy(self, root: Path) -> Landing:
        shutil.copytree(self.root, root)
        files = [{**f, "uri": f["uri"].replace(str(self.root), str(root))} for f in self.files]
        return Landing(root, files, self.spec)

    def land(self, day: int, rows: list[dict]) -> str:
        batch = batch_id(day)
        path = self.root / "raw" / self.spec["name"] / f"batch={batch}" / "part-00000.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        schema = pa.schema([(name, pa.string()) for name in rows[0]])  # as served: every column a string
        pq.write_table(pa.Table.from_pylist([{**r, "_batch_id": batch} for r in rows], schema=schema), path)
        self.files.append({"uri": str(path), "batch_id": batch})
        return batch

    def apply(
        self, spark, pending: list[str], full_refresh: bool = False, compact_ratio: float = 0.25, needed=None
    ) -> dict:
        job = {"spec": self.spec, "raw_files": self.files, "pending_batches": pending, "needed_columns": needed}
        settings = {"lake_root": str(self.root), "layout": spark_layout(), "full_refresh": full_refresh}
        settings["compact_ratio"] = compact_ratio
        return clean_source.run(spark, job, settings, PIPES)

    @property
    def trusted_dir(self) -> Path:
        return self.root / "trusted" / self.spec["name"]

    def trusted_files(self) -> list[str]:
        return sorted(str(p.relative_to(self.trusted_dir)) for p in self.trusted_dir.rglob("*.parquet"))

    def stored_rows(self, spark):
        return spark.read.parquet(str(self.trusted_dir))

    def merged(self, spark) -> dict[str, dict]:
        """The table as readers see it, by process id, without the lineage columns."""
        merged = latest_per_key(self.stored_rows(spark), SPEC).drop(*LINEAGE)
        return {row.id_del_proceso: row.asDict() for row in merged.collect()}


def first_landing(number_of_keys: int = 30) -> list[dict]:
    return [process(n, 1, day=1) for n in range(number_of_keys)]


@pytest.fixture(scope="module")
def built(spark, tmp_path_factory) -> Landing:
    """30 keys landed on day 1 and built in full; tests work on copies (`built.copy(...)`)."""
    landing = Landing(tmp_path_factory.mktemp("built") / "lake")
    assert landing.apply(spark, [landing.land(1, first_landing())])["mode"] == "full"
    return landing


def changes() -> list[dict]:
    """A later landing: new editions of three keys (years 2023 and 2022) and two new keys."""
    return [process(n, 2, day=2) for n in (1, 4, 7)] + [process(n, 1, day=2) for n in (100, 102)]


def test_an_increment_writes_change_files_and_merges_like_one_batch(spark, built, tmp_path):
    split = built.copy(tmp_path / "split")
    before = split.trusted_files()
    second = split.land(2, changes())
    figures = split.apply(spark, [second])

    assert figures["mode"] == "incremental" and figures["rows_in"] == 5 and figures["rows_trusted"] == 5
    assert figures["partitions_written"] == ["2022", "2023"]  # keys 1, 4, 7, 100 -> 2023; 102 -> 2022
    added = sorted(set(split.trusted_files()) - set(before))
    assert set(before) < set(split.trusted_files())  # the full build's files are untouched
    assert [f.split("/")[0] for f in added] == ["_year=2022", "_year=2023"]
    assert all(f.split("/")[1].startswith(f"{second}.incremental.") for f in added)
    assert figures["trusted_generations"] == 2

    whole = Landing(tmp_path / "whole")
    whole.land(2, first_landing() + changes())
    assert whole.apply(spark, [batch_id(2)])["mode"] == "full"
    merged = split.merged(spark)
    assert merged == whole.merged(spark)
    assert len(merged) == 32 and merged["CO1.REQ.4"]["nombre_del_proveedor"] == "PROVEEDOR 4 V2"


def test_a_rerun_of_the_same_batches_gives_the_same_table(spark, built, tmp_path):
    landing = built.copy(tmp_path / "lake")
    second = landing.land(2, changes())
    landing.apply(spark, [second])
    files, merged = landing.trusted_files(), landing.merged(spark)

    # The batches were not marked applied (say the run died after the job): the same increment again.
    assert landing.apply(spark, [second])["mode"] == "incremental"
    assert landing.trusted_files() == files and landing.merged(spark) == merged
    # A full rebuild from the same raw batches: one generation, the same rows.
    rebuilt = landing.apply(spark, [], full_refresh=True)
    assert rebuilt["mode"] == "full" and rebuilt["trusted_generations"] == 1
    assert landing.merged(spark) == merged
    # Nothing pending: nothing to do.
    assert landing.apply(spark, [])["mode"] == "none"


def test_files_of_an_interrupted_run_are_replaced_not_duplicated(spark, built, tmp_path):
    landing = built.copy(tmp_path / "lake")
    second = landing.land(2, changes())
    landing.apply(spark, [second])  # ... and the run died before marking batch 2 applied
    third = landing.land(3, [process(4, 3, day=3)])
    figures = landing.apply(spark, [second, third])

    assert figures["rows_in"] == 6 and figures["rows_superseded"] == 1  # key 4: editions 2 and 3
    assert not [f for f in landing.trusted_files() if f"/{second}." in f]
    stored = landing.stored_rows(spark)
    assert stored.count() == 30 + 5  # the first build plus one generation of 5 keys: nothing twice
    assert landing.merged(spark)["CO1.REQ.4"]["nombre_del_proveedor"] == "PROVEEDOR 4 V3"


def test_change_files_are_folded_in_once_they_outgrow_the_ratio(spark, built, tmp_path):
    landing = built.copy(tmp_path / "lake")
    landing.apply(spark, [landing.land(2, changes())], compact_ratio=0.01)
    merged = landing.merged(spark)
    figures = landing.apply(spark, [landing.land(3, [process(200, 1, day=3)])], compact_ratio=0.01)

    assert figures["mode"] == "full" and figures["why"].startswith("compaction")
    assert figures["trusted_generations"] == 1 and landing.stored_rows(spark).count() == 33
    assert {k: v for k, v in landing.merged(spark).items() if k != "CO1.REQ.200"} == merged


def test_without_a_ratio_change_files_are_never_folded_in():
    """The live path passes no ratio: however large the change files grow, a run applies its increment."""
    existing = [
        LakeFile(f"/t/_year=2024/{name}", f"_year=2024/{name}", size)
        for name, size in (
            (f"{batch_id(1)}.full.00000.parquet", 1_000),
            (f"{batch_id(2)}.incremental.00000.parquet", 5_000),
        )
    ]
    job = {
        "spec": {"snapshot": False},
        "pending_batches": [batch_id(3)],
        "raw_files": [{"uri": f"/raw/{day}.parquet", "batch_id": batch_id(day)} for day in (1, 2, 3)],
    }
    assert Plan.choose(job, existing, full_refresh=False, compact_ratio=0.25).mode == "full"
    plan = Plan.choose(job, existing, full_refresh=False, compact_ratio=None)
    assert (plan.mode, plan.raw_files, plan.batches) == ("incremental", ["/raw/3.parquet"], [batch_id(3)])


def test_a_snapshot_is_rebuilt_only_when_a_new_one_landed():
    """A file source's snapshot is replaced by the next one; with none pending, a run leaves it alone."""
    name = f"{batch_id(1)}.full.00000.parquet"
    existing = [LakeFile(f"/t/_year=2024/{name}", f"_year=2024/{name}", 1_000)]
    job = {
        "spec": {"snapshot": True},
        "pending_batches": [],
        "raw_files": [{"uri": "/raw/1.parquet", "batch_id": batch_id(1)}],
    }
    assert Plan.choose(job, existing, full_refresh=False, compact_ratio=0.25).mode == "none"
    assert Plan.choose(job, existing, full_refresh=True, compact_ratio=0.25).mode == "full"
    assert Plan.choose(job, [], full_refresh=False, compact_ratio=0.25).mode == "full"
    job = {**job, "pending_batches": [batch_id(2)], "raw_files": [{"uri": "/raw/2.parquet", "batch_id": batch_id(2)}]}
    plan = Plan.choose(job, existing, full_refresh=False, compact_ratio=0.25)
    assert (plan.mode, plan.raw_files) == ("full", ["/raw/2.parquet"])


def test_a_crafted_bad_batch_is_quarantined_with_reasons_and_nothing_lost(spark, built, tmp_path):
    landing = built.copy(tmp_path / "lake")
    bad = [
        process(1, 2, day=2, fecha_de_publicacion_del="31/31/2024"),
        process(2, 2, day=2, precio_base="-5"),
        process(3, 2, day=2, precio_base="mil pesos"),
        process(5, 2, day=2, nit_entidad="89999A061"),
        process(300, 1, day=2, _row_id="row-300a"),
        process(300, 2, day=2, _row_id="row-300b"),  # two editions of a new key in one batch
        process(6, 2, day=2),
    ]
    batch = landing.land(2, bad)
    figures = landing.apply(spark, [batch])

    assert figures["quarantine_reasons"] == {
        "fecha_de_publicacion_del: unparseable date": 1,
        "precio_base: unparseable or negative amount": 2,
        "nit_entidad: not a NIT": 1,
    }
    assert figures["rows_in"] == 7
    assert (figures["rows_trusted"], figures["rows_quarantined"], figures["rows_superseded"]) == (2, 4, 1)
    quarantined = pq.read_table(landing.root / "quarantine" / SPEC["name"] / f"batch={batch}").to_pylist()
    assert sorted(r["precio_base"] for r in quarantined if r["precio_base"] != "2000") == ["-5", "mil pesos"]
    assert {r["_row_id"] for r in quarantined} == {"row-1", "row-2", "row-3", "row-5"}
    merged = landing.merged(spark)
    # A bad new edition never hides the last valid one; a good one replaces it.
    assert merged["CO1.REQ.2"]["nombre_del_proveedor"] == "PROVEEDOR 2 V1"
    assert merged["CO1.REQ.6"]["nombre_del_proveedor"] == "PROVEEDOR 6 V2"
    assert merged["CO1.REQ.300"]["_row_id"] == "row-300b"


class CheckReports:
    """What the job's Pipes channel is handed for the trusted checks: check name -> (passed, metadata)."""

    def __init__(self, figures: dict):
        self.log, self.reports = PIPES.log, {}
        clean_source.report_checks(self, f"trusted/{SPEC['name']}", list(TRUSTED_CHECKS), figures, CHECK_SETTINGS)

    def report_asset_check(self, check_name: str, passed: bool, severity: str, metadata: dict, asset_key: str):
        self.reports[check_name] = (passed, severity, metadata)

    def failing(self) -> dict[str, str]:
        return {name: severity for name, (passed, severity, _) in self.reports.items() if not passed}


def test_the_checks_pass_on_an_increment_and_count_the_table_as_published(spark, built, tmp_path):
    landing = built.copy(tmp_path / "lake")
    figures = landing.apply(spark, [landing.land(2, changes())], needed={"precio_base": ["some_indicator"]})

    checks = CheckReports(figures)
    assert checks.failing() == {}
    # What the increment published is read back from the folder: its own generation, not the whole table.
    assert checks.reports["unique_key"][2] == {"duplicate_keys": 0, "rows_checked": figures["rows_trusted"]}
    assert figures["rows_trusted"] > 0 and figures["trusted_generations"] == 2


def test_unique_key_fails_on_a_file_published_twice(spark, built, tmp_path, monkeypatch):
    """A file of the run published twice (say a retried upload) doubles its keys for readers: the check
    reads what was published back from the folder, not the run's own rows."""

    def publish_twice(files, staged, trusted_dir, plan):
        published = publish_trusted(files, staged, trusted_dir, plan)
        first = next(f for f in published if generation_of(f) == plan.generation)
        on_disk = Path(first.path.removeprefix("file:"))
        shutil.copy(on_disk, on_disk.with_name(on_disk.name.replace(".00000.", ".00042.")))
        return files.list(trusted_dir, ".parquet")

    monkeypatch.setattr(clean_source, "publish_trusted", publish_twice)
    landing = built.copy(tmp_path / "lake")
    figures = landing.apply(spark, [landing.land(2, changes())])

    doubled = next(landing.trusted_dir.glob("_year=*/*.00042.parquet"))
    assert figures["duplicate_keys"] == pq.read_metadata(doubled).num_rows > 0
    assert CheckReports(figures).failing() == {"unique_key": "ERROR"}


def test_non_null_key_fails_on_a_row_served_without_its_row_id(spark, tmp_path):
    """A register keyed by Socrata's `:id`: a row served without it reaches the table keyless."""
    landing = Landing(tmp_path / "lake", spec=SIGEP_PEP.cleaning_spec())
    row = dict.fromkeys(SIGEP_PEP.field_names, None) | {
        "numero_documento": "79407584",
        "fecha_vinculacion": "2020-01-02",
    }
    system = {"_source_updated_at": "2024-02-01T00:00:00.000Z", "_batch_id": None, "_ingested_at": None}
    rows = [{**row, **system, "_row_id": f"row-{n}"} for n in range(3)] + [{**row, **system, "_row_id": None}]
    figures = landing.apply(spark, [landing.land(1, rows)])

    assert (figures["rows_trusted"], figures["null_keys"], figures["duplicate_keys"]) == (4, 1, 0)
    assert CheckReports(figures).failing() == {"non_null_key": "ERROR"}


def test_a_mostly_bad_batch_fires_the_quarantine_warning_and_the_needed_columns_error(spark, built, tmp_path):
    landing = built.copy(tmp_path / "lake")
    bad = [process(n, 2, day=2, precio_base="mil pesos") for n in (1, 2)] + [process(n, 2, day=2) for n in (3, 4, 5)]
    figures = landing.apply(spark, [landing.land(2, bad)], needed={"precio_base": ["award_close_to_base_price"]})

    checks = CheckReports(figures)
    assert checks.failing() == {"quarantine_ratio": "WARN", "needed_columns_usable": "ERROR"}
    assert checks.reports["quarantine_ratio"][2]["ratio"] == 0.4  # 2 quarantined of 5 kept
    assert checks.reports["needed_columns_usable"][2]["indicators_not_evaluated"]["raw_value"] == [
        "award_close_to_base_price"
    ]


def test_dbt_views_merge_the_generations(spark, built, tmp_path):
    """`register_trusted_sources` on DuckDB: the view over several generations shows one row per key."""
    landing = built.copy(tmp_path / "lake")
    landing.apply(spark, [landing.land(2, changes())])
    warehouse = tmp_path / "warehouse.duckdb"
    run_dbt(
        "run-operation", "register_trusted_sources", SECOP_LAKE_URI=str(landing.root), SECOP_DUCKDB_PATH=str(warehouse)
    )
    with duckdb.connect(str(warehouse)) as con:
        rows = con.execute(
            "select id_del_proceso, nombre_del_proveedor from trusted.secop_ii_procesos order by 1"
        ).fetchall()
    merged = landing.merged(spark)
    assert dict(rows) == {k: v["nombre_del_proveedor"] for k, v in merged.items()}
    assert len(rows) == 32


def test_a_table_with_nothing_to_apply_reports_zero_counts_like_the_job(tmp_path):
    """The asset answers for an idle table without starting Spark, in the job's own figures."""
    from orchestration.assets.trusted import idle_result
    from orchestration.lake import Lake

    result = idle_result(Lake(uri=str(tmp_path)), SECOP_II_PROCESOS, ["unique_key"])
    metadata = {name: value.value if hasattr(value, "value") else value for name, value in result.metadata.items()}
    assert metadata["mode"] == "none" and metadata["seconds"] == 0.0
    assert {metadata[count] for count in RUN_COUNTS} == {0} and metadata["trusted_files"] == 0
    assert [check.passed for check in result.check_results] == [True]
