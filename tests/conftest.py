"""Shared fixtures: one SparkSession for the whole run, the real samples beside the clone, small generated data."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
REAL_SAMPLES = SHARED / "real_samples"


def pytest_configure(config: pytest.Config) -> None:
    """Parse the dbt project once, so tests run on the current models (a fresh clone has no manifest)."""
    from orchestration.dbt_project import prepare_manifest

    prepare_manifest()


def run_dbt(*args: str, **env: str) -> str:
    """Run this virtualenv's dbt in dbt_project/ with `env` added to the environment; its output, or fail."""
    import subprocess
    import sys

    from orchestration.settings import DBT_PROJECT_DIR

    done = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), *args, "--profiles-dir", "."],
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def real_sample(relpath: str) -> Path:
    """A file of ../shared/real_samples, or skip: a user's clone has no ../shared (CI has it)."""
    path = REAL_SAMPLES / relpath
    if not path.exists():
        pytest.skip(f"real sample {relpath} not found: ../shared/real_samples is absent in this checkout")
    return path


@pytest.fixture(scope="session")
def moto_s3() -> Iterator[str]:
    """A moto S3 server on 127.0.0.1 with a `lake` bucket; yields its endpoint URL."""
    import boto3
    from moto.server import ThreadedMotoServer

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        os.environ.setdefault(name, "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="lake")
    yield endpoint
    server.stop()


@pytest.fixture(params=["local", "s3"])
def lake(request, tmp_path):
    """A fresh lake in a temporary folder, and one under a unique prefix of the moto bucket."""
    from orchestration.lake import Lake

    if request.param == "local":
        return Lake(uri=str(tmp_path / "lake"))
    endpoint = request.getfixturevalue("moto_s3")
    return Lake(uri=f"s3://lake/{uuid.uuid4().hex}/secop", s3_endpoint_url=endpoint)


@pytest.fixture(scope="session")
def spark():
    from orchestration.java import ensure_java
    from spark_jobs.clean_source import spark_session

    ensure_java()  # the system's Java when PySpark supports it, else the packaged one
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("SPARK_SHUFFLE_PARTITIONS", "2")  # small test data: few tasks per shuffle
    session = spark_session("secop-redflags-tests")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def spark_connect() -> Iterator[str]:
    """A local Spark Connect server for the whole run, beside `spark`; yields its `sc://` URL."""
    from workbench.spark_connect import spark_connect_server

    os.environ.setdefault("SPARK_SHUFFLE_PARTITIONS", "2")  # the job's Connect sessions read it too
    with spark_connect_server(master="local[2]", driver_memory="1g") as url:
        yield url


from tests.ci_skips import pytest_make_collect_report, pytest_runtest_makereport  # noqa: E402, F401  (CI=true)
from tests.pipeline import pipeline  # noqa: E402, F401  (the session's end-to-end fixture, for every module)
