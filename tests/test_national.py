"""simulator.national: tiles of a generated world at national proportions, marked so tiles never meet."""

import re

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from catalogue import RUES_PERSONAS, SECOP_II_CONTRATOS, SECOP_II_OFERTAS, SECOP_II_PROCESOS, SOURCES
from orchestration.lake import Lake
from orchestration.reconcile import live_row_ids
from simulator import paco_files
from simulator.datasets import generate_sources
from simulator.generator import generate_processes
from simulator.national import (
    NATIONAL_CONTRACTS,
    NATIONAL_ROWS,
    NationalWorld,
    daily_delta,
    delta_time,
    document_splits,
    listed_dataset,
    open_world,
    plan_tiling,
    split_document,
)
from simulator.replay.dataset import ROW_ID_RE
from simulator.truth import compute_flags, flags_path, load_planted_flags
from spark_jobs.cleaning import clean
from spark_jobs.identifiers import canonical_document

TILES = 3


@pytest.mark.parametrize(
    "value",
    ["900123456-7", "900.123.456-7", "9001234566", "79407584", "79.407.584", "0079407584", "850630", "CC 79.407.584"],
)
def test_tile_digits_extend_the_canonical_document(value):
    head, tail = split_document(value)
    key = canonical_document(value.removeprefix("CC "))
    filler = "0" if len(key) == 6 else ""  # ten digits could read as a NIT with its check digit
    for tile in ("0000", "0042", "6399"):
        assert canonical_document((head + tile + tail).removeprefix("CC ")) == key + filler + tile


@pytest.mark.parametrize("value", ["No Definido", "NO APLICA", " "])
def test_placeholders_are_not_marked(value):
    assert split_document(value) is None


@pytest.fixture(scope="module")
def national(pipeline):
    """Three tiles of the end-to-end fixture's generated world."""
    world_dir = pipeline.root / "simulator"
    contracts = NationalWorld.open(world_dir, 1).world_rows[SECOP_II_CONTRATOS.name]
    return NationalWorld.open(world_dir, TILES * contracts)


def rows(national: NationalWorld, source, tile_from: int = 0, tile_to: int | None = None) -> pa.Table:
    return pa.concat_tables(national.batches(source, tile_from, tile_to))


def test_rows_follow_the_national_proportions(national):
    contracts = rows(national, SECOP_II_CONTRATOS).num_rows
    assert national.tiles == TILES and contracts == TILES * national.world_rows[SECOP_II_CONTRATOS.name]
    for name in ("secop_ii_procesos", "secop_ii_ofertas"):
        source = next(s for s in SOURCES if s.name == name)
        wanted = NATIONAL_ROWS[name] / NATIONAL_CONTRACTS * contracts
        assert rows(national, source).num_rows == pytest.approx(wanted, rel=0.1), name


def test_tiles_share_no_key_and_keep_their_overlaps(national):
    contracts, processes = rows(national, SECOP_II_CONTRATOS), rows(national, SECOP_II_PROCESOS)
    offers = rows(national, SECOP_II_OFERTAS)
    for table, key in ((contracts, "id_contrato"), (offers, "identificador_de_la_oferta")):
        assert pc.count_distinct(table[key]).as_py() == table.num_rows
    row_ids = pc.count_distinct(contracts["_row_id"]).as_py()
    assert row_ids == contracts.num_rows and all(re.fullmatch(ROW_ID_RE, r) for r in contracts["_row_id"].to_pylist())
    portfolios = set(processes["id_del_portafolio"].to_pylist())
    assert set(contracts["proceso_de_compra"].to_pylist()) <= portfolios  # every contract finds its process
    assert set(offers["id_del_proceso_de_compra"].to_pylist()) <= portfolios
    # Extra offers are more bidders on the same processes, a cent dearer per copy: the cheapest stays the cheapest.
    assert offers.num_rows > 2 * national.world_rows[SECOP_II_OFERTAS.name] * TILES


def test_marks_survive_the_trusted_cleaning(spark, national, tmp_path):
    """Tile 2's canonical documents are tile 0's plus `0002`; names and keys never meet across tiles."""
    spec = SECOP_II_CONTRATOS.cleaning_spec()
    cleaned = {}
    for tile in (0, 2):
        raw = rows(national, SECOP_II_CONTRATOS, tile, tile + 1)
        raw = raw.append_column("_batch_id", pa.array(["20260131T000000000000Z-tiles"] * raw.num_rows))
        raw = raw.append_column("_ingested_at", pa.array(["2026-01-31T00:00:00.000+00:00"] * raw.num_rows))
        pq.write_table(raw, tmp_path / f"tile-{tile}.parquet")
        trusted = clean(spark.read.parquet(str(tmp_path / f"tile-{tile}.parquet")), spec).trusted
        cleaned[tile] = (
            trusted.orderBy("_row_id")
            .select("documento_proveedor_key", "nit_entidad_key", "proveedor_adjudicado_match", "id_contrato")
            .collect()
        )
    assert len(cleaned[0]) == len(cleaned[2]) == national.world_rows[SECOP_II_CONTRATOS.name]
    for base, copy in zip(cleaned[0], cleaned[2], strict=True):
        for key in ("documento_proveedor_key", "nit_entidad_key"):
            assert (base[key] is None and copy[key] is None) or copy[key] == base[key].removesuffix("0000") + "0002"
        if base["proveedor_adjudicado_match"] is not None:
            assert copy["proveedor_adjudicado_match"] == "T2 " + base["proveedor_adjudicado_match"].removeprefix("T0 ")
        assert base["id_contrato"][:-1] == copy["id_contrato"][:-1] and base["id_contrato"] != copy["id_contrato"]


def test_daily_delta_changes_and_adds_rows(national, tmp_path):
    lake = Lake(uri=str(tmp_path / "lake"))
    written = national.write_raw(lake, SECOP_II_CONTRATOS)
    base = pa.concat_tables(lake.read_parquet(e.file) for e in lake.committed(SECOP_II_CONTRATOS.name))
    delta = daily_delta(national, SECOP_II_CONTRATOS, 0.01, delta_time())
    assert delta.num_rows == 2 * round(written * 0.01 / 2)
    assert set(pc.unique(delta[":updated_at"]).to_pylist()) == {f"{delta_time():%Y-%m-%dT%H:%M:%S}.000Z"}
    assert lake.watermark(SECOP_II_CONTRATOS.name) < delta[":updated_at"][0].as_py()
    known = dict(zip(base["_row_id"].to_pylist(), base["id_contrato"].to_pylist(), strict=True))
    changed = [
        (i, k) for i, k in zip(delta[":id"].to_pylist(), delta["id_contrato"].to_pylist(), strict=True) if i in known
    ]
    assert len(changed) == delta.num_rows // 2 and all(
        known[row_id] == key for row_id, key in changed
    )  # same row, same key
    fresh = set(delta["id_contrato"].to_pylist()) - set(known.values())
    assert len(fresh) == delta.num_rows // 2


def test_a_register_is_listed_whole_after_a_daily_delta(national, tmp_path):
    """A register's pull compares the portal's row count with the lake's: the portal lists every row (the
    day's changed rows in their new version, the new rows too), so nothing reads as deleted."""
    lake = Lake(uri=str(tmp_path / "lake"))
    national.write_raw(lake, RUES_PERSONAS)
    held = live_row_ids(lake, RUES_PERSONAS)
    delta = daily_delta(national, RUES_PERSONAS, 0.01, delta_time())
    listed = listed_dataset(national, RUES_PERSONAS, delta)
    ids = listed[":id"].to_pylist()
    assert len(ids) == len(set(ids)) and set(ids) == held | set(delta[":id"].to_pylist())
    stamp = f"{delta_time():%Y-%m-%dT%H:%M:%S}.000Z"
    assert pc.sum(pc.equal(listed[":updated_at"], stamp)).as_py() == delta.num_rows
    assert len(held) < len(ids)  # the new rows: the lake holds fewer than the portal lists


def test_every_tile_keeps_every_planted_flag(tmp_path):
    """Tiles of a small world at its own proportions, served as files: the reference rules flag each
    planted award once per tile (its key marked with the tile), through every served form (the PACO
    register's quote-wrapped lines, a fine's code that is a supplier's document, padded codes)."""
    world = tmp_path / "world"
    generate_sources(world, generate_processes(2_000, world, seed=3).path, seed=3)
    con, world_rows = open_world(world)
    document_splits(con)
    tiled = NationalWorld(con, world_rows, {s.name: plan_tiling(s, world_rows, TILES, {}, 0) for s in SOURCES})
    served = tmp_path / "tiles"
    (served / "paco").mkdir(parents=True)
    for source in SOURCES:
        table = pa.concat_tables(tiled.batches(source)).drop_columns(
            ["_row_id", "_source_updated_at", "_source_created_at"]
        )
        if source.is_file:
            paco_files.write_file(source, table, served / "paco" / source.dataset_id)
        else:
            pq.write_table(table, served / f"{source.dataset_id}.parquet")
    planted, flagged = load_planted_flags(flags_path(world)), compute_flags(served)
    for indicator, keys in planted.items():
        per_tile = {(key[:-1], ord(key[-1]) - 0xE000) for key in flagged[indicator]}
        assert per_tile == {(key, tile) for key in keys for tile in range(TILES)}, indicator
