"""The dbt project object and its manifest, without the assets (importable before any dbt parse)."""

from __future__ import annotations

import sys
from functools import cached_property
from importlib.metadata import version
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from packaging.version import Version

from orchestration.settings import DBT_PROJECT_DIR, Settings

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, target=Settings.from_env().dbt_target)


def dbt_executable() -> str:
    """The dbt installed beside this interpreter (the virtualenv need not be on PATH)."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else "dbt"


class SecopDbtCliResource(DbtCliResource):
    """dbt for our targets: the dbt-core installed beside dagster-dbt, its version read from the package.

    dagster-dbt asks `dbt --version` before every command, a process that also asks the package index
    for the latest release: 4-5 s a dbt step (and a network call) for a version known here.
    """

    @cached_property
    def _cli_version(self) -> Version:
        return Version(version("dbt-core"))


class DuckDbCliResource(SecopDbtCliResource):
    """dbt for the DuckDB target, without dagster-dbt's in-process handle on the dbt adapter.

    dagster-dbt opens that handle (importing dbt and loading the project: some 7 s a run) to fetch row
    counts and column metadata through dbt; on DuckDB the warehouse asset counts rows itself once dbt
    has released the file (orchestration/assets/warehouse.py), so every run, the live ones above all,
    skips that cost.
    """

    def _initialize_dbt_core_adapter(self, args: object) -> None:
        return None


def dbt_cli(target: str = dbt_project.target) -> DbtCliResource:
    """The dbt resource for `target` (DuckDbCliResource for the local one)."""
    resource = DuckDbCliResource if target == "local" else SecopDbtCliResource
    return resource(project_dir=dbt_project, target=target, dbt_executable=dbt_executable())


def prepare_manifest() -> Path:
    """Parse the dbt project now (what `dagster dev` does by itself); tests and the demo call this."""
    dbt_cli().cli(["parse", "--quiet"], target_path=dbt_project.target_path).wait()
    return dbt_project.manifest_path


# What dbt parses, relative to the project (docs-paths: the docs blocks of the repository's docs/).
PROJECT_FILES = (
    "dbt_project.yml",
    "profiles.yml",
    "models/**/*",
    "macros/**/*",
    "seeds/**/*",
    "tests/**/*",
    "../docs/**/*.md",
)


def manifest_is_current() -> bool:
    """Whether a manifest exists and no project file changed after it was written."""
    manifest = dbt_project.manifest_path
    if not manifest.exists():
        return False
    written = manifest.stat().st_mtime
    root = Path(dbt_project.project_dir)
    return all(path.stat().st_mtime <= written for pattern in PROJECT_FILES for path in root.glob(pattern))


def ensure_manifest() -> Path:
    """The manifest, parsed again if there is none yet (a fresh clone) or the project changed since."""
    return dbt_project.manifest_path if manifest_is_current() else prepare_manifest()
