"""Suppliers available to the plants, each used by one plant only (`Picker`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

import numpy as np

from simulator.world import DOC_PERSON, World, document_kind


class Picker:
    """Suppliers available to plants: all their awards outside the generator's plants, each used once."""

    def __init__(self, world: World, rng: np.random.Generator) -> None:
        self.world, self.rng, u = world, rng, world.universe
        self.u = u
        stage1 = set(u.pool[u.tagged].tolist())
        self.used: set[int] = {-1} | stage1 | world.value_planted
        self.awards_of: dict[int, np.ndarray] = {}  # pool index -> its awards, by day
        order = np.lexsort((np.arange(len(u.day)), u.day))
        for pool, group in positions_by_value(u.pool[order]):
            if pool >= 0:
                self.awards_of[pool] = order[group]
        self.by_doc: dict[str, np.ndarray] = {}
        for doc, group in positions_by_value(u.doc[order]):
            if doc is not None:
                self.by_doc[doc] = order[group]

    def doc_awards(self, pool: int) -> np.ndarray:
        """Awards whose document is this supplier's (the awards that hide it are not matched by document)."""
        doc = self.u.doc[self.awards_of[pool]]
        known = [d for d in doc if d is not None]
        return self.by_doc[known[0]] if known else np.zeros(0, np.int64)

    def suppliers(self, accept: Callable[[int], bool]) -> Iterable[int]:
        """Unused suppliers (pool indexes) in random order that `accept`; the caller marks the ones it uses."""
        for pool in self.rng.permutation(np.array(sorted(self.awards_of), np.int64)).tolist():
            if pool not in self.used and accept(pool):
                yield pool

    def documented(self, pool: int, *, person: bool | None = None, contracts_only: bool = False) -> bool:
        """The supplier shows its document on some award; of the given kind; all awards are contracts."""
        awards = self.doc_awards(pool)
        if not len(awards):
            return False
        doc = self.u.doc[awards[0]]
        if person is not None and (document_kind(doc, doc) == DOC_PERSON) != person:
            return False
        return not contracts_only or bool(np.all(self.u.contract[awards] >= 0))

    def hidden(self, pool: int) -> bool:
        """Every award hides the supplier's document, one name key, shared with no other supplier."""
        awards = self.awards_of[pool]
        names = set(self.u.name[awards].tolist())
        return (
            bool(np.all(self.u.doc[awards] == None))  # noqa: E711 (object array)
            and len(names) == 1
            and None not in names
            and self.world.universe.name_owners[next(iter(names))] == {pool}
        )

    def take(self, pool: int) -> None:
        self.used.add(pool)


def positions_by_value(values: np.ndarray) -> Iterable[tuple[object, np.ndarray]]:
    """(value, positions) of each distinct value, positions in increasing order."""
    index: dict[object, list[int]] = defaultdict(list)
    for i, v in enumerate(values.tolist()):
        index[v].append(i)
    return ((v, np.array(positions, np.int64)) for v, positions in index.items())


def award_keys(world: World, awards: Iterable[int]) -> list[str]:
    return [world.universe.key[a] for a in awards]
