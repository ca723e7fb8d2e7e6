"""The live contract producer (docs/indicators/README.md, near-real-time path): SECOP II contracts
published into the replay server at a cadence, as the reference architecture's Kinesis producer did, to
feed the alert path.

`hold_back_contracts` takes contracts out of a generated world before it is served: the planted cases
of the streaming indicators, and clean contracts (no streaming flag) to fill the requested count.
They are written to `<world>/live/contracts.parquet`, in publication order, and the alerts they must
raise to `<world>/live/expected_alerts.csv` (the ground truth of simulator.truth, restricted to them).
Every held-back contract comes from another entity, so that each one is judged against the served
world alone (repeat_awards counts an entity's other awards to the same supplier; were two of them
held back, the first published would miss the second).

`ContractProducer` publishes them into a running `ReplayServer` (`ReplayDataset.upsert`, so
`:updated_at` advances), one every `interval_seconds` or `burst` at a time, and publishes a share of
them again later as updates (same `:id`, a later `ultima_actualizacion`): an update changes nothing
that the indicators read, so it must raise no new alert.
"""

from __future__ import annotations

import csv
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from catalogue import SECOP_II_CONTRATOS
from simulator.dbt_vars import STREAMING_INDICATORS
from simulator.replay.server import ReplayServer
from simulator.truth import flags_path, load_planted_flags
from spark_jobs.identifiers import canonical_document

CONTRACTS_FILE = f"{SECOP_II_CONTRATOS.dataset_id}.parquet"


def live_dir(world_dir: Path) -> Path:
    return Path(world_dir) / "live"


@dataclass(frozen=True)
class HeldBack:
    contracts: Path  # the held-back rows, in publication order
    expected_alerts: Path  # `award_key,indicator_id` of every alert they must raise
    planted: int  # held-back contracts with at least one expected alert
    clean: int


def hold_back_contracts(world_dir: Path, count: int, planted_share: float = 0.5, seed: int = 0) -> HeldBack:
    """Take `count` contracts out of the served contracts file: up to `planted_share` of them planted
    cases (the streaming indicators in turn), the rest clean live contracts.

    Raises ValueError when the world has fewer eligible contracts. Rewrites the contracts file of
    `world_dir` without them; run it once, on a freshly generated world.
    """
    world_dir = Path(world_dir)
    served = pq.read_table(world_dir / CONTRACTS_FILE)
    truth = load_planted_flags(flags_path(world_dir))
    streaming = {i: truth.get(i, frozenset()) for i in STREAMING_INDICATORS}
    ids = served.column("id_contrato").to_pylist()
    entities = [canonical_document(nit) for nit in served.column("nit_entidad").to_pylist()]
    states = [(state or "").strip().lower() for state in served.column("estado_contrato").to_pylist()]

    rng = np.random.default_rng(seed)
    order = [int(i) for i in rng.permutation(len(ids))]
    chosen: list[int] = []
    used_entities: set[str | None] = {None}

    def take(index: int) -> bool:
        if entities[index] in used_entities:
            return False
        chosen.append(index)
        used_entities.add(entities[index])
        return True

    queues = [[i for i in order if ids[i] in keys] for keys in streaming.values()]
    quota = round(count * planted_share)
    while len(chosen) < quota and any(queues):  # one planted case of each indicator in turn
        for queue in queues:
            while queue and len(chosen) < quota and not take(queue.pop(0)):
                pass
    flagged = frozenset().union(*truth.values())
    for index in order:
        if len(chosen) == count:
            break
        if ids[index] not in flagged and states[index] not in ("borrador", "cancelado"):
            take(index)
    if len(chosen) < count:
        raise ValueError(
            f"{world_dir}: only {len(chosen)} contracts of distinct entities can be held back, not {count}"
        )

    publication = [chosen[i] for i in rng.permutation(len(chosen))]  # planted and clean interleaved
    out = live_dir(world_dir)
    out.mkdir(parents=True, exist_ok=True)
    held = served.take(pa.array(publication))
    pq.write_table(held, out / "contracts.parquet")
    keep = pc.invert(pc.is_in(served.column("id_contrato"), value_set=held.column("id_contrato")))
    pq.write_table(served.filter(keep), world_dir / CONTRACTS_FILE)

    held_ids = set(held.column("id_contrato").to_pylist())
    expected = sorted((key, i) for i, keys in streaming.items() for key in keys & held_ids)
    with (out / "expected_alerts.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["award_key", "indicator_id"])
        writer.writerows(expected)
    planted_count = len({key for key, _ in expected})
    return HeldBack(out / "contracts.parquet", out / "expected_alerts.csv", planted_count, len(chosen) - planted_count)


def load_expected_alerts(world_dir: Path) -> set[tuple[str, str]]:
    with (live_dir(world_dir) / "expected_alerts.csv").open(encoding="utf-8", newline="") as handle:
        return {(row["award_key"], row["indicator_id"]) for row in csv.DictReader(handle)}


@dataclass(frozen=True)
class Publication:
    contract_id: str
    row_id: str
    published_at: datetime  # the `:updated_at` the server gave it (UTC)
    is_update: bool


def _later_day(value: str | None) -> str:
    """`ultima_actualizacion` one day later, in the served timestamp form."""
    day = date.fromisoformat(value[:10]) if value else date(2026, 1, 1)
    return (day + timedelta(days=1)).isoformat() + "T00:00:00.000"


@dataclass
class ContractProducer:
    """Publishes held-back contracts into `server`: `burst` rows every `interval_seconds`; with each
    burst, `update_share` of the contracts of earlier bursts are published again as updates (each
    contract at most once)."""

    server: ReplayServer
    contracts: Path
    interval_seconds: float = 15.0
    burst: int = 1
    update_share: float = 0.2
    seed: int = 0
    published: list[Publication] = field(default_factory=list)
    _rows: list[dict] = field(init=False)
    _row_ids: dict[str, str] = field(default_factory=dict, init=False)
    _updated: set[str] = field(default_factory=set, init=False)
    _stop: threading.Event = field(default_factory=threading.Event, init=False)
    _thread: threading.Thread | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self._rows = pq.read_table(self.contracts).to_pylist()
        self._rng = np.random.default_rng(self.seed)
        self._dataset = self.server.dataset(SECOP_II_CONTRATOS.dataset_id)

    @property
    def remaining(self) -> int:
        return len(self._rows) - len(self._row_ids)

    def publish_next(self) -> list[Publication]:
        """Publish the next burst of new contracts, then some updates; what was published."""
        candidates = [cid for cid in self._row_ids if cid not in self._updated]  # published in earlier bursts
        fresh = self._rows[len(self._row_ids) : len(self._row_ids) + self.burst]
        done = self._upsert(fresh, [None] * len(fresh), is_update=False)
        picks = self._rng.random(len(candidates)) < self.update_share
        updates = [cid for cid, pick in zip(candidates, picks, strict=True) if pick]
        if updates:
            rows = {row["id_contrato"]: row for row in self._rows}
            changed = [
                {**rows[cid], "ultima_actualizacion": _later_day(rows[cid]["ultima_actualizacion"])} for cid in updates
            ]
            done += self._upsert(changed, [self._row_ids[cid] for cid in updates], is_update=True)
            self._updated.update(updates)
        return done

    def _upsert(self, rows: list[dict], row_ids: list[str | None], is_update: bool) -> list[Publication]:
        if not rows:
            return []
        ids = self._dataset.upsert(rows, row_ids)
        published_at = self._dataset.last_updated_at.replace(tzinfo=timezone.utc)
        done = [Publication(r["id_contrato"], i, published_at, is_update) for r, i in zip(rows, ids, strict=True)]
        self._row_ids.update((p.contract_id, p.row_id) for p in done)
        self.published.extend(done)
        return done

    def _loop(self) -> None:
        while self.remaining and not self._stop.is_set():
            self.publish_next()
            self._stop.wait(self.interval_seconds)

    def start(self) -> ContractProducer:
        """Publish in a background thread until every contract is out or `stop()`."""
        self._thread = threading.Thread(target=self._loop, name="contract-producer", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def __iter__(self) -> Iterator[list[Publication]]:
        """Burst by burst, without waiting (tests drive the cadence themselves)."""
        while self.remaining:
            yield self.publish_next()
