"""What a builder returns, and the helpers several builders share (planted rows, register dates)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa

from simulator.arrow import Values, table_rows
from simulator.dates import SNAPSHOT_DAY
from simulator.parties import Parties
from simulator.world import World

Built = dict[str, Values]
Builder = Callable[[World, int, np.random.Generator], Built]


BAD_YEARS = ("0018", "0202", "0218", "0219", "0221")


def planted_rows(world: World, source: str) -> list[dict]:
    return world.plan.rows.get(source, []) if world.plan is not None else []


def doc_days(world: World) -> tuple[dict[int, int], dict[int, int]]:
    """First and last award day per canonical supplier document (awards that show it)."""
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for doc, day in zip(world.universe.doc.tolist(), world.universe.day.tolist(), strict=True):
        if doc is not None:
            d = int(doc)
            first[d], last[d] = min(first.get(d, day), day), max(last.get(d, day), day)
    return first, last


def planted_parties(world: World, rows: list[dict]) -> Parties:
    return world.pool.parties.take(np.array([r["party"] for r in rows], np.int64))


def entity_sample(world: World, rng: np.random.Generator, n: int) -> dict[str, pa.Array]:
    return table_rows(world.entities, rng.integers(0, len(world.entities), n))


def after_last_award(world: World, parties: Parties, rng: np.random.Generator) -> np.ndarray:
    """Per party: a day after the last award showing its document (-1 if it has none)."""
    _, last = doc_days(world)
    out = np.full(len(parties), -1, np.int64)
    for i in np.flatnonzero(parties.supplier >= 0):
        day = last.get(int(parties.doc[i]))
        if day is not None:
            out[i] = day + 1 + int(rng.integers(0, max(1, SNAPSHOT_DAY - day)))
    return out


def overridden(default: pa.Array, rows: list[dict], key: str, n_background: int) -> pa.Array:
    """`default` with the planted rows' `key` values (None: keep the default; "": null)."""
    values = default.to_pylist()
    for k, r in enumerate(rows):
        if r.get(key) is not None:
            values[n_background + k] = r[key] or None
    return pa.array(values, pa.string())


def second_form(rng: np.random.Generator, n: int, n_background: int, share: float = 0.25) -> np.ndarray:
    """1 for the rows a source writes in its second form (SIGEP: the portal's CSV export), else 0: `share`
    of the background rows, every third planted row."""
    second = (rng.random(n) < share).astype(np.int8)
    second[n_background:] = np.arange(n - n_background) % 3 == 2
    return second
