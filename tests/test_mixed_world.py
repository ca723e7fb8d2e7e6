"""The mixed world (simulator.mixed, docs/simulator.md#the-mixed-world): the boundary populations a planted
world avoids, on a small world (the end-to-end differential test runs a large one through the warehouse)."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from catalogue import SECOP_II_CONTRATOS, SECOP_II_MULTAS, SECOP_II_PROCESOS
from simulator.datasets import generate_sources
from simulator.dbt_vars import INDICATORS
from simulator.generator import generate_processes
from simulator.mixed import DOC_TYPES, REVOKED
from simulator.processes.mixed import default_ceiling
from simulator.processes.model import AWARD_YEARS, year_start
from simulator.truth import Rules, flags_path, load_planted_flags, planted_flags_path

PROCESS_ROWS = 5_000


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("mixed")
    generated = generate_processes(PROCESS_ROWS, folder, seed=3, mixed=True)
    generate_sources(folder, generated.path, seed=3, mixed=True)
    return folder


def read(world: Path, dataset_id: str, column: str) -> list:
    return pq.read_table(world / f"{dataset_id}.parquet", columns=[column])[column].to_pylist()


def test_its_ground_truth_holds_more_than_the_planted_flags(world):
    """flags.csv is every flag the oracle computes: the planted ones and what the boundary rows and the
    background fire (per indicator, the end-to-end differential test checks it on a larger world)."""
    truth, planted = load_planted_flags(flags_path(world)), load_planted_flags(planted_flags_path(world))
    assert all(planted[i] for i in INDICATORS)
    beyond = {i for i in INDICATORS if truth[i] - planted[i]}
    assert len(beyond) > len(INDICATORS) // 2, sorted(beyond)


def test_it_holds_the_boundary_populations(world):
    assert set(DOC_TYPES) <= set(read(world, SECOP_II_CONTRATOS.dataset_id, "tipodocproveedor"))
    assert set(REVOKED) <= set(read(world, SECOP_II_MULTAS.dataset_id, "estado"))
    codes = read(world, SECOP_II_MULTAS.dataset_id, "as_codigo_proveedor_objeto")
    assert any(c and c.startswith("000") for c in codes)  # codes that read as documents with leading zeros
    processes = pq.read_table(
        world / f"{SECOP_II_PROCESOS.dataset_id}.parquet", columns=["valor_total_adjudicacion", "precio_base"]
    ).to_pylist()
    rules = Rules()
    whole = [(p["valor_total_adjudicacion"] or "", p["precio_base"] or "") for p in processes]
    ratios = {int(value) / int(base) for value, base in whole if value.isdigit() and base.isdigit() and base != "0"}
    assert {rules.award_close_to_base_min_ratio, rules.award_close_to_base_max_ratio} <= ratios
    values = {value for value, _ in whole}
    ceilings = default_ceiling(year_start(AWARD_YEARS))  # each award year's mínima-cuantía ceiling
    assert {str(c) for c in ceilings} & values
    assert {str(c // 2) for c in ceilings} & values
