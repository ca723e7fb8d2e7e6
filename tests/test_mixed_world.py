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
from simulator.processes.relations import MIXED_SEGMENT_COUNT, SEGMENTS
from simulator.truth import Rules, flags_path, load_planted_flags, planted_flags_path
from simulator.truth.oracle import connect

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


def assert_heterogeneous_fence(out_dir: Path) -> None:
    """Every supplier heterogeneous_supplier compares but the firing plant (all the vocabulary's segments)
    spans at most MIXED_SEGMENT_COUNT segments, so the fence stays under the plant's and its awards fire."""
    universe = "universe__heterogeneous_supplier"
    with connect(out_dir, Rules(), None) as con:
        rows = con.execute(f"select distinct supplier_key, segments, fence from {universe}").fetchall()
        fired = {k for (k,) in con.execute(f"select award_key from {universe} where segments > fence").fetchall()}
    segments = sorted(s for _, s, _ in rows)
    assert segments[-1] == len(SEGMENTS) and segments[-2] <= MIXED_SEGMENT_COUNT, segments
    assert rows[0][2] <= MIXED_SEGMENT_COUNT + 1.5 * (MIXED_SEGMENT_COUNT - 1) < len(SEGMENTS)
    assert load_planted_flags(planted_flags_path(out_dir))["heterogeneous_supplier"] <= fired


def test_its_background_keeps_the_heterogeneous_fence_under_the_plant(world):
    assert_heterogeneous_fence(world)


def test_a_small_world_keeps_the_heterogeneous_plant(tmp_path):
    """At 5,000 rows seed 1 the background's suppliers spanned 6 to 9 of the 19 segments beside the near-misses'
    2 (Q1 2, Q3 9: the fence 19.5 over the firing plant's 19) and the generator refused to publish."""
    generated = generate_processes(PROCESS_ROWS, tmp_path, seed=1, mixed=True)
    generate_sources(tmp_path, generated.path, seed=1, mixed=True)
    assert_heterogeneous_fence(tmp_path)
