"""Synthetic data for every catalogue source other than SECOP II processes, consistent with a processes file,
with the planted red flags of every indicator and their ground truth.

`generate_sources` reads the processes that `simulator.generator.generate_processes` wrote (only the
columns it needs, and its planted processes) and derives a small world from them (simulator.world): the
latest version of each process, the awarded ones, their entities and their suppliers (one per SECOP
supplier code, with the canonical document seen in any award). Each source then has one builder
(simulator.sources, one module per source family) that returns some of its catalogue columns as strings;
every catalogue column a builder leaves out is filled from its kind (simulator.sources.filler).
`RECIPES` registers each source's builder, default share of rows and date format; builders may read the
output of builders that ran before them (cancelled contracts copy contract rows), so it is in dependency
order. Adding a source is one builder module and one entry of `RECIPES`.

Overlaps are real, as the indicators need them (docs/indicators/): contracts belong to awarded processes
and repeat the award's entity and supplier strings; offers include the winner of the process and other
bidders; cancelled contracts, fines and execution lines point at generated contracts; RUES, PEP, SIGEP,
SIRI and the PACO works register list a share of the suppliers' documents.

Every awarded process is exactly one award of the warehouse (`world.Contracts`): at most one live
contract, signed in the award's year, and cancelled or draft contracts only beside a live one. On that
award universe (`world.Universe`) simulator.plants plants the cases of the indicators that live outside
the processes (`plant_all`); the background never fires by construction (a supplier's registrations,
posts, sanctions, fines and cancellations come after its last award or never bar it, the winner is the
cheapest bidder, deliveries are on time). The planted truth is written to `ground_truth/flags.csv` only
once simulator.truth, reading the written files as the warehouse will, finds exactly the planted flags.
A mixed world (`mixed=True`) adds simulator.mixed's boundary rows on awards no plant uses; its ground
truth is every flag simulator.truth finds, the planted ones (`ground_truth/planted_flags.csv`) among them.

Socrata sources are written as `<dataset id>.parquet` with the API field names (all strings, null where the
API omits a field, url columns as `{"url": ...}` text); PACO files as `paco/<file name>` in the form PACO
serves them (simulator.paco_files: comma-separated UTF-8 under display names, the works register's data
lines wrapped in quotes). Each source's quirks are the real ones public readers of the portal report (day-
first and export-form dates, nanosecond and ticks timestamps, open-end and typo years, thousands
separators, older truncated field names in the cancelled contracts).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from catalogue import (
    PACO_OBRAS_INCONCLUSAS,
    PACO_RESPONSABILIDAD_FISCAL,
    RUES_PERSONAS,
    SECOP_I_PROCESOS,
    SECOP_II_CONTRATOS,
    SECOP_II_CONTRATOS_CANCELADOS,
    SECOP_II_EJECUCION,
    SECOP_II_MULTAS,
    SECOP_II_OFERTAS,
    SIGEP_PEP,
    SIGEP_PUESTOS_SENSIBLES,
    SIRI_SANCIONES,
    TVEC_ORDENES,
    Source,
)
from simulator import paco_files
from simulator.arrow import as_strings
from simulator.dates import COMPACT, DAY_FIRST, FLOATING, TICKS, US_TIME, DateFormat
from simulator.dbt_vars import INDICATORS
from simulator.mixed import mix_sources
from simulator.plants.contract_values import plant_contract_values
from simulator.plants.disqualification import plant_fines, plant_siri, plant_works_and_bulletin
from simulator.plants.non_compliance import plant_cancelled, plant_delivery
from simulator.plants.offers import plant_offers
from simulator.plants.picker import Picker
from simulator.plants.plan import Plan
from simulator.plants.supplier_status import plant_pep_and_posts, plant_rues
from simulator.sources.common import Builder
from simulator.sources.filler import filler
from simulator.sources.paco import build_fiscal_liability, build_unfinished_works
from simulator.sources.rues import build_rues
from simulator.sources.secop_i import build_secop_i
from simulator.sources.secop_ii_contracts import build_cancelled_contracts, build_contracts, build_offers
from simulator.sources.secop_ii_execution import build_execution, build_fines
from simulator.sources.sigep import build_pep, build_sensitive_posts
from simulator.sources.siri import build_siri
from simulator.sources.tvec import build_tvec
from simulator.truth import compute_flags, differences, flags_path, planted_flags_path, write_flags
from simulator.world import World, build_contract_model, build_universe, build_world

MIN_ROWS = 200  # floor of every source's default row count


@dataclass(frozen=True)
class Recipe:
    source: Source
    share: float  # default rows per row of the processes file
    build: Builder
    dates: DateFormat  # format of the dates `filler` writes


# In dependency order: cancelled contracts, fines and execution lines read the contract model.
RECIPES: tuple[Recipe, ...] = (
    Recipe(SECOP_II_CONTRATOS, 0.30, build_contracts, FLOATING),
    Recipe(SECOP_II_CONTRATOS_CANCELADOS, 0.03, build_cancelled_contracts, FLOATING),
    Recipe(SECOP_II_OFERTAS, 0.50, build_offers, FLOATING),
    Recipe(SECOP_II_MULTAS, 0.02, build_fines, FLOATING),
    Recipe(SECOP_II_EJECUCION, 0.05, build_execution, TICKS),
    Recipe(RUES_PERSONAS, 0.30, build_rues, COMPACT),
    Recipe(SIGEP_PEP, 0.03, build_pep, DAY_FIRST),
    Recipe(SIGEP_PUESTOS_SENSIBLES, 0.03, build_sensitive_posts, US_TIME),
    Recipe(SIRI_SANCIONES, 0.03, build_siri, DAY_FIRST),
    Recipe(PACO_OBRAS_INCONCLUSAS, 0.02, build_unfinished_works, DAY_FIRST),
    Recipe(PACO_RESPONSABILIDAD_FISCAL, 0.02, build_fiscal_liability, DAY_FIRST),
    Recipe(SECOP_I_PROCESOS, 0.10, build_secop_i, FLOATING),
    Recipe(TVEC_ORDENES, 0.05, build_tvec, FLOATING),
)
GENERATED_SOURCES: tuple[Source, ...] = tuple(r.source for r in RECIPES)  # every catalogue source but processes


def row_counts(processes: int, scale: float = 1.0) -> dict[str, int]:
    """Default rows per source for a processes file of `processes` rows."""
    counts = {r.source.name: max(MIN_ROWS, round(r.share * processes * scale)) for r in RECIPES}
    cancelled = SECOP_II_CONTRATOS_CANCELADOS.name
    counts[cancelled] = min(counts[cancelled], counts[SECOP_II_CONTRATOS.name] // 3)
    return counts


def _assemble(recipe: Recipe, world: World, n: int, seed: int) -> pa.Table:
    source = recipe.source
    rng = np.random.default_rng([seed, zlib.crc32(source.name.encode())])
    built = recipe.build(world, n, rng)
    unknown = set(built) - set(source.field_names)
    if unknown:
        raise ValueError(f"{source.name}: builder returned columns outside the catalogue: {sorted(unknown)}")
    null = pa.nulls(n, pa.string())
    arrays = [
        (null if built[c.field_name] is None else as_strings(built[c.field_name], n, c.field_name))
        if c.field_name in built
        else filler(c, n, rng, recipe.dates)
        for c in source.columns
    ]
    table = pa.Table.from_arrays(arrays, schema=pa.schema([pa.field(name, pa.string()) for name in source.field_names]))
    return table.take(pa.array(rng.permutation(n))) if source.name in SHUFFLED else table


# Sources whose planted rows are appended to the background: their rows are shuffled.
SHUFFLED = frozenset(
    s.name
    for s in (
        SECOP_II_OFERTAS,
        SECOP_II_MULTAS,
        SECOP_II_EJECUCION,
        RUES_PERSONAS,
        SIGEP_PEP,
        SIGEP_PUESTOS_SENSIBLES,
        SIRI_SANCIONES,
        PACO_RESPONSABILIDAD_FISCAL,
    )
)


def _write(source: Source, table: pa.Table, out_dir: Path) -> Path:
    path = out_dir / "paco" / source.dataset_id if source.is_file else out_dir / f"{source.dataset_id}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    if source.is_file:
        paco_files.write_file(source, table, partial)
    else:
        pq.write_table(table, partial, compression="zstd")
    partial.replace(path)
    return path


def generate_sources(
    out_dir: Path, processes_path: Path, seed: int = 42, scale: float = 1.0, mixed: bool = False
) -> dict[str, Path]:
    """Write every non-processes catalogue source under `out_dir`, consistent with `processes_path`, and
    the ground truth of every indicator, `out_dir/ground_truth/flags.csv` (simulator.truth).

    `processes_path` must come from simulator.generator.generate_processes (its planted processes are
    read from `ground_truth/planted_processes.csv` next to it). Row counts follow `row_counts(rows of
    the processes file, scale)` (fewer contracts when there are too few awards for them; a mixed world
    appends its boundary rows). Same inputs and seed, same files. Raises RuntimeError, and writes no
    ground truth, if the flags that simulator.truth.compute_flags finds in the written files differ
    from the planted ones; in a mixed world (`mixed`, simulator.mixed: pair it with a mixed processes
    file) if they miss a planted one, and the ground truth is then every flag compute_flags finds.
    Returns {source name: path written}.
    """
    out_dir, processes_path = Path(out_dir), Path(processes_path)
    truth_path = flags_path(out_dir)
    truth_path.unlink(missing_ok=True)
    planted_flags_path(out_dir).unlink(missing_ok=True)
    counts = row_counts(pq.ParquetFile(processes_path).metadata.num_rows, scale)
    world = build_world(processes_path, np.random.default_rng([seed, 0]))
    world.contracts = build_contract_model(
        world,
        np.random.default_rng([seed, 1]),
        counts[SECOP_II_CONTRATOS.name],
        counts[SECOP_II_CONTRATOS_CANCELADOS.name],
    )
    counts[SECOP_II_CONTRATOS.name] = len(world.contracts.award)
    counts[SECOP_II_CONTRATOS_CANCELADOS.name] = int(world.contracts.listed.sum())
    world.plan = plan = Plan()
    plant_contract_values(world, np.random.default_rng([seed, 2]), plan)
    world.universe = build_universe(world)
    used = plant_all(world, np.random.default_rng([seed, 3]), plan, counts[SECOP_II_OFERTAS.name])
    for indicator, roles in world.planted.items():
        plan.flag(indicator, (world.universe.key[i] for i in roles.get("fire", [])))
    expected = {indicator: frozenset(plan.truth.get(indicator, ())) for indicator in INDICATORS}

    world.outputs = {}
    read_later = {SECOP_II_CONTRATOS.name}  # outputs a later builder reads (`World.output`)
    tables: dict[str, pa.Table] = {}
    for recipe in RECIPES:
        tables[recipe.source.name] = table = _assemble(recipe, world, counts[recipe.source.name], seed)
        if recipe.source.name in read_later:
            world.outputs[recipe.source.name] = table
    if mixed:
        tables = mix_sources(world, tables, used, np.random.default_rng([seed, 4]))
    written = {r.source.name: _write(r.source, tables[r.source.name], out_dir) for r in RECIPES}

    computed = compute_flags(out_dir, processes_path=processes_path)
    wrong = differences(expected, computed)
    if mixed:  # the planted flags must be among the computed ones
        wrong = {k: {"missing": v["missing"]} for k, v in wrong.items() if v["missing"]}
    if wrong:
        summary = {k: {kind: v[kind][:5] for kind in v} for k, v in wrong.items()}
        raise RuntimeError(f"generated files disagree with the planted ground truth: {summary}")
    if mixed:
        write_flags(planted_flags_path(out_dir), expected)
    write_flags(truth_path, computed if mixed else expected)
    return written


def plant_all(world: World, rng: np.random.Generator, plan: Plan, offer_rows: int) -> set[int]:
    """Every plant of the sources other than processes, after the universe is fixed (`offer_rows`: the
    offers to write); returns the suppliers (pool indexes) the plants took."""
    pick = Picker(world, rng)
    plant_pep_and_posts(world, pick, plan)  # the scarcest suppliers first: persons with contracts
    plant_siri(world, pick, plan)
    plant_rues(world, pick, plan)
    plant_works_and_bulletin(world, pick, plan)
    plant_fines(world, pick, plan)
    plant_cancelled(world, pick, plan)
    plant_delivery(world, pick, plan)
    plant_offers(world, pick, plan, offer_rows)
    return pick.used
