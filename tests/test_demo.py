"""The demo's generated data: regenerated when the simulator changes, and the state built from the
earlier data forgotten (only the demo's own lake and warehouse)."""

from __future__ import annotations

from pathlib import Path

import pytest

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
