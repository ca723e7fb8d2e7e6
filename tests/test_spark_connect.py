"""The trusted job on a warm Spark Connect server: the same tables as on a local session, increments too.

The live alert path runs `spark_jobs.clean_source` as a client of a Spark Connect server that is already
up (workbench/spark_connect.py) instead of starting Spark each time. Each test here lands raw batches
as tests/test_trusted_incremental.py does, applies them on the shared local `spark` and on the shared
`spark_connect` server, and compares what each wrote to its own lake; the files are moved and deleted by
`LocalLakeFiles` under Connect (no JVM there), by Hadoop's FileSystem locally.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest

from catalogue.lake_layout import spark_layout
from orchestration.settings import Settings
from orchestration.spark import LocalSparkRunner, SparkRunner
from spark_jobs import clean_source
from spark_jobs.lake_files import HadoopLakeFiles, LocalLakeFiles, lake_files
from tests.test_trusted_incremental import SPEC, Landing, changes, first_landing, process

pytestmark = pytest.mark.spark


@contextmanager
def connect_session(url: str) -> Iterator:
    """A client session as the job opens it (`SPARK_REMOTE`). Inside the block only: pyspark's functions
    follow the process-wide `SPARK_CONNECT_MODE_ENABLED`, and the local `spark` needs it unset."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SPARK_REMOTE", url)
        env.setenv("SPARK_CONNECT_MODE_ENABLED", "1")
        session = clean_source.spark_session("secop-redflags-connect-tests")
        try:
            yield session
        finally:
            session.stop()


def rows(folder: Path) -> list[str]:
    """Every row of a parquet folder (partition columns included), as sorted JSON: comparable across lakes."""
    return sorted(json.dumps(row, default=str, sort_keys=True) for row in pq.read_table(folder).to_pylist())


def assert_same_tables(local: Landing, remote: Landing) -> None:
    assert remote.trusted_files() == local.trusted_files()
    assert rows(remote.trusted_dir) == rows(local.trusted_dir)
    quarantine = Path("quarantine") / SPEC["name"]
    assert rows(remote.root / quarantine) == rows(local.root / quarantine)
    assert not list((remote.root / "tmp" / "spark").iterdir())  # staging removed


def comparable(figures: dict) -> dict:
    return {k: v for k, v in figures.items() if k not in ("trusted_path", "trusted_bytes")}


def test_connect_writes_the_same_trusted_table_and_quarantine_as_a_local_session(spark, spark_connect, tmp_path):
    local = Landing(tmp_path / "local")
    first = local.land(1, first_landing(12) + [process(50, 1, day=1, precio_base="-5")])
    remote = local.copy(tmp_path / "connect")
    full = local.apply(spark, [first])

    with connect_session(spark_connect) as session:
        assert isinstance(lake_files(session), LocalLakeFiles)
        assert session.conf.get("spark.sql.session.timeZone") == "UTC"
        assert comparable(remote.apply(session, [first])) == comparable(full)
        for landing in (local, remote):
            second = landing.land(2, changes() + [process(3, 2, day=2, nit_entidad="89999A061")])
        increment = remote.apply(session, [second])
        files = remote.trusted_files()
        # Not marked applied (the run died after the job, say): the same increment replaces its own files.
        assert comparable(remote.apply(session, [second])) == comparable(increment)
        assert remote.trusted_files() == files

    assert increment["mode"] == "incremental" and increment["rows_quarantined"] == 1
    assert comparable(local.apply(spark, [second])) == comparable(increment)
    assert_same_tables(local, remote)


def test_the_runner_runs_the_job_on_the_connect_server_through_pipes(spark_connect, tmp_path):
    """`LocalSparkRunner(remote=...)`: the job's subprocess (`main`) is a Connect client; the server stays up."""
    landing = Landing(tmp_path / "lake")
    batch = landing.land(1, first_landing(3))
    job = {"spec": SPEC, "raw_files": landing.files, "pending_batches": [batch], "checks": ["unique_key"]}
    extras = {"jobs": [job], "lake_root": str(landing.root), "layout": spark_layout(), "full_refresh": False}
    extras["compact_ratio"] = 0.25
    key = dg.AssetKey(["trusted", SPEC["name"]])

    @dg.asset(key=key, check_specs=[dg.AssetCheckSpec("unique_key", asset=key)])  # (no postponed annotations here)
    def trusted(context: dg.AssetExecutionContext, spark: SparkRunner):
        settings = {"quarantine_max_ratio": 0.05, "needed_column_max_unusable": 0.2}
        yield from spark.run(context, "spark_jobs.clean_source", {**extras, **settings})

    result = dg.materialize([trusted], resources={"spark": LocalSparkRunner(remote=spark_connect)})
    [event] = result.get_asset_materialization_events()
    metadata = {k: v.value for k, v in event.materialization.metadata.items()}
    assert (metadata["mode"], metadata["rows_trusted"]) == ("full", 3)
    assert [c.passed for c in result.get_asset_check_evaluations()] == [True]
    with connect_session(spark_connect) as session:  # `spark.stop()` in the job ended its session only
        assert session.range(3).count() == 3


def tree(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)


def test_local_lake_files_list_move_and_delete_as_hadoop_does(spark, tmp_path):
    tree(
        tmp_path,
        {
            "t/_year=2024/b.parquet": "bb",
            "t/_year=2023/a.parquet": "a",
            "t/_year=2023/.a.parquet.crc": "crc",
            "t/_year=2023/_SUCCESS": "",
            "t/notes.txt": "n",
            "q/batch=1/part.parquet": "q",
        },
    )
    local, hadoop = LocalLakeFiles(), HadoopLakeFiles(spark)
    for folder in (str(tmp_path / "t"), f"file://{tmp_path}/t/", f"file:{tmp_path}/t"):
        assert local.list(folder, ".parquet") == hadoop.list(folder, ".parquet")
        assert local.list(folder) == hadoop.list(folder)
    listed = local.list(str(tmp_path / "t"), ".parquet")
    assert [(f.path, f.relative, f.size) for f in listed] == [
        (f"file:{tmp_path}/t/_year=2023/a.parquet", "_year=2023/a.parquet", 1),
        (f"file:{tmp_path}/t/_year=2024/b.parquet", "_year=2024/b.parquet", 2),
    ]
    assert local.folders(str(tmp_path)) == hadoop.folders(str(tmp_path)) == ["q", "t"]
    assert local.list(str(tmp_path / "missing")) == [] and local.folders(str(tmp_path / "missing")) == []
    assert local.exists(listed[0].path) and not local.exists(f"file:{tmp_path}/missing")

    local.move(listed[0].path, f"{tmp_path}/u/_year=2023/a.parquet")  # the checksum goes along
    assert (tmp_path / "u/_year=2023/.a.parquet.crc").read_text() == "crc"
    assert not (tmp_path / "t/_year=2023/.a.parquet.crc").exists()
    local.move(f"file://{tmp_path}/q/batch=1", f"{tmp_path}/quarantine/batch=1")
    assert hadoop.list(f"{tmp_path}/quarantine")[0].relative == "batch=1/part.parquet"
    local.delete(f"{tmp_path}/u/_year=2023/a.parquet")
    assert not list((tmp_path / "u/_year=2023").iterdir())
    local.delete(f"file:{tmp_path}/t")
    local.delete(f"file:{tmp_path}/t")  # absent: nothing to do
    assert not (tmp_path / "t").exists()
    with pytest.raises(ValueError, match="local lake folder"):
        local.list("s3://lake/trusted")


def test_a_server_that_cannot_start_fails_with_its_log():
    from workbench.spark_connect import spark_connect_server

    with pytest.raises(RuntimeError, match="Invalid maximum heap size"):
        with spark_connect_server(driver_memory="lots"):
            pass


def test_settings_pass_the_connect_url_to_the_local_runner(monkeypatch):
    from orchestration.resources import spark_runner

    monkeypatch.setenv("SECOP_SPARK", "local")
    monkeypatch.delenv("SECOP_SPARK_REMOTE", raising=False)
    assert spark_runner(Settings.from_env()).remote is None
    monkeypatch.setenv("SECOP_SPARK_REMOTE", "sc://127.0.0.1:15002")
    assert spark_runner(Settings.from_env()).remote == "sc://127.0.0.1:15002"
