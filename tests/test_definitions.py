"""The code location loads, validates, and forms one lineage raw → trusted → dbt models."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import dagster as dg

from catalogue import SECOP_II_PROCESOS, SOURCES
from orchestration.dbt_sources import GENERATED_FILES
from orchestration.settings import REPO_ROOT, Settings


def load_defs() -> dg.Definitions:
    from orchestration.definitions import defs

    return defs()


def test_one_lineage_from_raw_to_marts():
    graph = load_defs().resolve_asset_graph()
    for source in SOURCES:
        raw, trusted = dg.AssetKey(["raw", source.name]), dg.AssetKey(["trusted", source.name])
        assert graph.get(trusted).parent_keys == {raw}
        assert graph.get(raw).group_name == "ingest" and graph.get(trusted).group_name == "trusted"
    processes = dg.AssetKey(["trusted", SECOP_II_PROCESOS.name])
    assert processes in graph.get(dg.AssetKey(["stg_secop_ii_procesos"])).parent_keys
    marts = {dg.AssetKey(["fct_contract_flags"]), dg.AssetKey(["fct_indicator_summary"])}
    assert all(graph.get(key).group_name == "warehouse" for key in marts)
    upstream = set()
    frontier = set(marts)
    while frontier:
        key = frontier.pop()
        upstream.add(key)
        frontier |= graph.get(key).parent_keys - upstream
    stg = {key.path[0].removeprefix("stg_") for key in graph.get_all_asset_keys() if key.path[0].startswith("stg_")}
    staged = stg & {source.name for source in SOURCES}  # (stg_trusted_sources reads them all)
    assert {dg.AssetKey(["raw", name]) for name in staged} <= upstream


def test_dbt_tests_are_asset_checks():
    checks = {key.name for key in load_defs().resolve_asset_graph().asset_check_keys}
    assert any(name.startswith("unique_combination_fct_contract_flags") for name in checks)


def test_unit_tests_run_in_launched_builds_not_in_scheduled_or_sensor_runs():
    from orchestration.assets.warehouse import DbtBuildConfig, dbt_build_args

    skipped = ["--exclude", "test_type:unit"]
    assert dbt_build_args(DbtBuildConfig(), {"dagster/backfill": "x"}) == ["build"]
    for tag in ("dagster/schedule_name", "dagster/sensor_name"):
        assert dbt_build_args(DbtBuildConfig(), {tag: "weekly_refresh"}) == ["build", *skipped]
        assert dbt_build_args(DbtBuildConfig(unit_tests=True), {tag: "weekly_refresh"}) == ["build"]
    assert dbt_build_args(DbtBuildConfig(unit_tests=False, run_date="2026-01-15"), {}) == [
        "build",
        "--vars",
        '{"run_date": "2026-01-15"}',
        *skipped,
    ]


def test_definitions_validate_cli(tmp_path):
    dagster = Path(sys.executable).parent / "dagster"
    env = {"DAGSTER_HOME": str(tmp_path), "PATH": str(Path(sys.executable).parent)}
    done = subprocess.run(
        [str(dagster), "definitions", "validate", "-w", "workspace.yaml"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_generated_dbt_files_match_the_catalogue():
    for path, render in GENERATED_FILES.items():
        assert path.read_text(encoding="utf-8") == render(), (
            f"{path.name} is stale: run python -m orchestration.dbt_sources"
        )


def test_settings_resolve_relative_paths_against_the_repo(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SECOP_LAKE_URI", "some/lake")
    monkeypatch.setenv("SECOP_ENV", "aws")
    monkeypatch.setenv("DBT_TARGET", "local")
    settings = Settings.from_env()
    assert settings.lake_uri == str(REPO_ROOT / "some/lake")
    assert settings.spark == "emr" and settings.dbt_target == "local"  # explicit variables win
