"""Synthetic SECOP II processes (Socrata p6dx-8zbt) with planted red flags and their ground truth.

Generation has two stages. First a semantic model is built globally in numpy arrays
(simulator.processes.build): entities (units sharing an organisation NIT), suppliers (base document,
SECOP code, kind), processes (entity, supplier, dates, amounts, rendering styles) and row versions.
Then the rows are rendered into the raw strings the Socrata API serves (simulator.processes.render),
chunk by chunk with pyarrow, and appended to one parquet file, so memory stays flat from 1k to 5M rows.

Planted, next to near-misses (simulator.plants.processes, simulator.processes.direct_share):
- repeat_awards: the ground truth lists the firing groups of the model (entity NIT, supplier key,
  award year). Before the file is published, the firing set is recomputed from the rendered strings
  with the project's identifier rules and must equal the ground truth.
- single_bidder, short_submission_period, award_close_to_base_price, contract_splitting and
  direct_award_share: processes (or whole organisations) planted with fixed attributes.
- heterogeneous_supplier and winner_share_of_buyer: dedicated suppliers' awards with fixed categories, or
  pinned values in otherwise empty windows (simulator.processes.relations).
The planted processes of every indicator are listed in `ground_truth/planted_processes.csv`
(indicator, process, fire / near, pinned); simulator.datasets turns them into the award keys of
`ground_truth/flags.csv` and checks every indicator on the generated files (simulator.truth).

The background never fires by construction: at most two awards per (organisation, supplier, award
year) and BACKGROUND_PAIR_GAP days between two awards of one (organisation, supplier); a competitive
award has at least two unique bidders, the modality's minimum days to submit offers and an award /
base price ratio outside CLOSE_TO_BASE; the non-competitive share of every organisation compared by
direct_award_share is spread evenly over DIRECT_SHARE_BAND among its peers (order and sector, else order). A
mixed world's background (`mixed=True`, simulator.processes.mixed) lifts these limits and adds the boundary cases.
"""

from __future__ import annotations

import csv
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from catalogue import SECOP_II_PROCESOS
from simulator.arrow import join
from simulator.processes.build import build_model
from simulator.processes.model import PINNED_TAGS, PLANT_TAGS, Model
from simulator.processes.render import HIGH_CARDINALITY, SCHEMA, gather, render
from simulator.processes.rules import REPEAT_AWARDS_MIN
from simulator.vocabulary import SECOP_PREFIX, TIMESTAMP_FORMAT
from spark_jobs.identifiers import PLACEHOLDERS, canonical_document

MIN_ROWS = 1_000
CHUNK_ROWS = 250_000


GROUND_TRUTH_HEADER = ("entity_key", "supplier_key", "award_year", "awards")


@dataclass(frozen=True)
class GeneratedProcesses:
    """What `generate_processes` wrote."""

    path: Path  # out_dir / "p6dx-8zbt.parquet"
    rows: int  # rows written (== requested rows)
    ground_truth_path: Path  # out_dir / "ground_truth" / "repeat_awards.csv"
    repeat_award_groups: frozenset[tuple[str, str, int]]  # (entity_key, supplier_key, award_year)
    # out_dir / "ground_truth" / "planted_processes.csv": the planted processes simulator.datasets reads
    planted_path: Path | None = None


PLANTED_PROCESSES_HEADER = ("indicator_id", "process_id", "role", "pinned")


def _canonical(values: pa.Array) -> pa.Array:
    """`canonical_document` of every value, computed once per distinct value."""
    encoded = pc.dictionary_encode(values)
    keys = pa.array([canonical_document(v) for v in encoded.dictionary.to_pylist()], pa.string())
    return keys.take(encoded.indices)


class _FiringCheck:
    """Recomputes the firing groups from the rendered strings (the pipeline's rule,
    docs/indicators/repeat_awards.md)."""

    def __init__(self) -> None:
        self._versions: list[tuple[np.ndarray, np.ndarray]] = []
        self._awards: list[pa.Table] = []

    def add(self, table: pa.Table) -> None:
        proc = pc.utf8_slice_codeunits(table["id_del_proceso"], len("CO1.REQ.")).cast(pa.int64()).to_numpy()
        last = pc.strptime(table["fecha_de_ultima_publicaci"], format=TIMESTAMP_FORMAT, unit="s")
        last = last.cast(pa.int64()).to_numpy()
        self._versions.append((proc, last))
        won = pc.equal(table["adjudicado"], "Si")
        awards, mask = table.filter(won), won.to_numpy()
        code = pc.utf8_trim_whitespace(awards["codigoproveedor"])
        placeholder = pc.is_in(pc.utf8_upper(code), pa.array(PLACEHOLDERS))
        code_key = pc.if_else(placeholder, pa.scalar(None, pa.string()), join(SECOP_PREFIX, code))
        self._awards.append(
            pa.table(
                {
                    "proc": proc[mask],
                    "last": last[mask],
                    "entity_key": _canonical(awards["nit_entidad"].combine_chunks()),
                    "supplier_key": pc.coalesce(
                        _canonical(awards["nit_del_proveedor_adjudicado"].combine_chunks()), code_key
                    ),
                    "award_year": pc.utf8_slice_codeunits(awards["fecha_adjudicacion"], 0, 4).cast(pa.int64()),
                }
            )
        )

    def firing(self) -> dict[tuple[str, str, int], int]:
        """Groups with at least REPEAT_AWARDS_MIN surviving awards, and their award counts."""
        proc = np.concatenate([v[0] for v in self._versions])
        last = np.concatenate([v[1] for v in self._versions])
        order = np.lexsort((last, proc))
        proc, last = proc[order], last[order]
        newest = np.append(proc[1:] != proc[:-1], True)
        if np.any(newest[1:] & (proc[1:] == proc[:-1]) & (last[1:] == last[:-1])):
            raise RuntimeError("generator bug: two versions of a process share the latest publication date")
        survivors, survivor_last = proc[newest], last[newest]

        awards = pa.concat_tables(self._awards)
        survives = survivor_last[np.searchsorted(survivors, awards["proc"].to_numpy())] == awards["last"].to_numpy()
        awards = awards.filter(pa.array(survives))
        awards = awards.filter(pc.is_valid(awards["supplier_key"]))
        counts = awards.group_by(["entity_key", "supplier_key", "award_year"]).aggregate([("proc", "count_distinct")])
        counts = counts.filter(pc.greater_equal(counts["proc_count_distinct"], REPEAT_AWARDS_MIN))
        return {
            (r["entity_key"], r["supplier_key"], r["award_year"]): r["proc_count_distinct"] for r in counts.to_pylist()
        }


def _write_ground_truth(path: Path, groups: dict[tuple[str, str, int], int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(GROUND_TRUTH_HEADER)
        writer.writerows((*key, awards) for key, awards in sorted(groups.items()))


def _write_planted_processes(path: Path, model: Model) -> None:
    """The planted processes: indicator, process id, role (fire / near) and whether pinned."""
    tagged = np.flatnonzero(model.procs.tag >= 0)
    rows = sorted(
        (
            PLANT_TAGS[tag][0],
            f"CO1.REQ.{req}",
            PLANT_TAGS[tag][1],
            int(tag in PINNED_TAGS),
        )
        for tag, req in zip(model.procs.tag[tagged].tolist(), model.attrs["req"][tagged].tolist(), strict=True)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(PLANTED_PROCESSES_HEADER)
        writer.writerows(rows)


def load_planted_processes(path: Path) -> list[tuple[str, str, str, bool]]:
    """(indicator_id, process_id, role, pinned) of a planted-processes CSV."""
    with Path(path).open(newline="", encoding="utf-8") as handle:
        return [(r["indicator_id"], r["process_id"], r["role"], r["pinned"] == "1") for r in csv.DictReader(handle)]


def load_ground_truth(path: Path) -> frozenset[tuple[str, str, int]]:
    """The (entity_key, supplier_key, award_year) groups of a ground-truth CSV."""
    with Path(path).open(newline="", encoding="utf-8") as handle:
        return frozenset((r["entity_key"], r["supplier_key"], int(r["award_year"])) for r in csv.DictReader(handle))


def _write(model: Model, path: Path, seed: int) -> dict[tuple[str, str, int], int]:
    """Render and write every row; returns the firing groups recomputed from the written strings."""
    rows = len(model.rows["proc"])
    check = _FiringCheck()
    dictionary = [name for name in SCHEMA.names if name not in HIGH_CARDINALITY]
    with (
        pq.ParquetWriter(path, SCHEMA, compression="zstd", use_dictionary=dictionary, write_statistics=False) as writer,
        ThreadPoolExecutor(max_workers=1) as background,
    ):

        def store(table: pa.Table) -> None:
            writer.write_table(table)
            check.add(table)

        # Chunk i is written and checked in the background while chunk i + 1 is rendered.
        pending: Future[None] | None = None
        for number, lo in enumerate(range(0, rows, CHUNK_ROWS)):
            chunk = gather(model, lo, min(rows, lo + CHUNK_ROWS))
            table = render(model, chunk, np.random.default_rng((seed, number)))
            if pending is not None:
                pending.result()
            pending = background.submit(store, table)
        if pending is not None:
            pending.result()
    return check.firing()


def generate_processes(rows: int, out_dir: Path, seed: int = 42, mixed: bool = False) -> GeneratedProcesses:
    """Write `rows` synthetic p6dx-8zbt rows and the repeat-awards ground truth under `out_dir`.

    Same seed, same content. Raises RuntimeError (and writes nothing) if the rendered rows do not
    reproduce the planted ground truth under the pipeline's rule. `mixed`: the background may fire too
    (simulator.processes.mixed); the ground truth is then every firing group recomputed from the rendered
    strings, and the planted groups must be among them.
    """
    if rows < MIN_ROWS:
        raise ValueError(f"rows must be at least {MIN_ROWS}, got {rows}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{SECOP_II_PROCESOS.dataset_id}.parquet"
    ground_truth_path = out_dir / "ground_truth" / "repeat_awards.csv"
    partial = path.with_name(path.name + ".partial")

    model = build_model(rows, seed, mixed)
    try:
        recomputed = _write(model, partial, seed)
        if mixed and model.truth.items() <= recomputed.items():
            model.truth = recomputed
        if recomputed != model.truth:
            raise RuntimeError(
                "rendered rows disagree with the planted ground truth: "
                f"missing {sorted(model.truth.items() - recomputed.items())[:5]}, "
                f"unexpected {sorted(recomputed.items() - model.truth.items())[:5]}"
            )
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)
    _write_ground_truth(ground_truth_path, model.truth)
    planted_path = out_dir / "ground_truth" / "planted_processes.csv"
    _write_planted_processes(planted_path, model)
    return GeneratedProcesses(path, rows, ground_truth_path, frozenset(model.truth), planted_path)
