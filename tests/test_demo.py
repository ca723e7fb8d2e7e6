"""The demo's generated data: regenerated when the simulator changes, and the state built from the
earlier data forgotten (only the demo's own lake and warehouse)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from orchestration.settings import Settings
from simulator.dbt_vars import INDICATORS
from simulator.truth import flags_path
from workbench import demo, instance


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(demo, "DATA_DIR", tmp_path)
    (tmp_path / "lake" / "trusted").mkdir(parents=True)
    (tmp_path / "warehouse.duckdb").write_text("")
    (tmp_path / "warehouse.duckdb.wal").write_text("")
    (tmp_path / "simulator").mkdir()
    return tmp_path


def test_the_demos_own_lake_and_warehouse_are_forgotten(data_dir, monkeypatch):
    monkeypatch.setenv("SECOP_LAKE_URI", str(data_dir / "lake"))
    monkeypatch.setenv("SECOP_DUCKDB_PATH", str(data_dir / "warehouse.duckdb"))
    demo.forget_earlier_world()
    assert sorted(p.name for p in data_dir.iterdir()) == ["simulator"]


def test_a_lake_and_warehouse_configured_elsewhere_are_left_alone(data_dir, monkeypatch, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.setenv("SECOP_LAKE_URI", str(elsewhere / "lake"))
    monkeypatch.setenv("SECOP_DUCKDB_PATH", str(elsewhere / "warehouse.duckdb"))
    demo.forget_earlier_world()
    kept = ["lake", "simulator", "warehouse.duckdb", "warehouse.duckdb.wal"]
    assert sorted(p.name for p in data_dir.iterdir()) == kept


def test_the_generator_version_follows_the_simulator_code(tmp_path, monkeypatch):
    monkeypatch.setattr(instance, "REPO_ROOT", tmp_path)
    (tmp_path / "simulator" / "sources").mkdir(parents=True)
    code, nested = tmp_path / "simulator" / "generator.py", tmp_path / "simulator" / "sources" / "rues.py"
    code.write_text("ROWS = 1\n")
    nested.write_text("COLUMNS = 1\n")
    first = instance.generator_version()
    assert instance.generator_version() == first
    code.write_text("ROWS = 2\n")
    second = instance.generator_version()
    assert second != first
    nested.write_text("COLUMNS = 2\n")  # a module in a subpackage counts too
    assert instance.generator_version() != second


@pytest.mark.e2e
@pytest.mark.spark
def test_the_summary_the_demo_prints_at_its_end(pipeline, capsys):
    """What `make demo` prints after its run, over the session's end-to-end warehouse: every indicator's
    precision and recall against the world's truth (the mixed world's: the oracle's flags), and where the
    reports (both languages) are."""
    paths = {"duckdb_path": str(pipeline.warehouse), "lake_uri": str(pipeline.lake)}
    settings = dataclasses.replace(Settings.from_env(), **paths)
    demo.print_summary(settings, flags_path(pipeline.root / "simulator"))
    printed = capsys.readouterr().out
    rows = [line.split() for line in printed.splitlines() if line.split()[:1] and line.split()[0] in INDICATORS]
    assert {row[0] for row in rows} == set(INDICATORS)
    assert all(row[-2:] == ["1.00", "1.00"] for row in rows), printed
    for name in ("risk_report.html", "risk_report.en.html"):
        assert f"{pipeline.lake / 'reports' / name}" in printed
        assert (pipeline.lake / "reports" / name).exists()
