"""Shared fixtures: one SparkSession for the whole run, paths to ../shared, small generated data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
REAL_SAMPLES = SHARED / "real_samples"


def pytest_configure(config: pytest.Config) -> None:
    """Parse the dbt project once, so tests run on the current models (a fresh clone has no manifest)."""
    from orchestration.dbt_project import prepare_manifest

    prepare_manifest()


def real_sample(relpath: str) -> Path:
    """A file of ../shared/real_samples, or skip: a user's clone has no ../shared (CI has it)."""
    path = REAL_SAMPLES / relpath
    if not path.exists():
        pytest.skip(f"real sample {relpath} not found: ../shared/real_samples is absent in this checkout")
    return path


@pytest.fixture(scope="session")
def spark():
    from spark_jobs.clean_source import spark_session

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    session = spark_session("secop-redflags-tests")
    yield session
    session.stop()
