"""What the plants decide (`Plan`) and the calendar helpers they share."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from simulator.truth import Rules

RULES = Rules()
EPOCH = date(1970, 1, 1)

NEW_SUPPLIER_VALUE = RULES.new_supplier_min_value
FIRST_ACT = (date(2017, 3, 1) - EPOCH).days  # an act before every award


def as_date(day: int) -> date:
    return EPOCH + timedelta(days=int(day))


def add_months(day: int, months: int) -> int:
    """The day `months` calendar months later (earlier if negative), clamped to the month's end."""
    d = as_date(day)
    year, month = divmod(d.month - 1 + months, 12)
    year += d.year
    return (date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1])) - EPOCH).days


def add_years(day: int, years: int) -> int:
    return add_months(day, 12 * years)


def plain(day: int) -> bool:
    """A day whose calendar arithmetic is unambiguous: day of month at most 28."""
    return as_date(day).day <= 28


@dataclass
class Bidding:
    """The background's bidders of awarded processes: each supplier's won awards and lost bids (pool indexes)."""

    wins: dict[int, list[int]] = field(default_factory=dict)
    losses: dict[int, int] = field(default_factory=dict)
    fresh: int = 0  # fresh companies losing once

    def suppliers(self) -> set[int]:
        return set(self.wins)

    def offers(self, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """(award, bidder) of every offer, grouped by award, the winner first; bidder: pool index, -1 fresh.
        Each supplier loses in distinct processes it did not win."""
        awards = np.array(sorted(a for won in self.wins.values() for a in won), np.int64)
        position = {a: i for i, a in enumerate(awards.tolist())}
        bidders: dict[int, list[int]] = defaultdict(list)
        for s, won in self.wins.items():
            for a in won:
                bidders[position[a]].append(s)
        for s in sorted(self.losses):
            own = {position[a] for a in self.wins[s]}
            if self.losses[s] > len(awards) - len(own):
                raise RuntimeError(f"generator bug: {self.losses[s]} lost bids, {len(awards)} processes with offers")
            taken: set[int] = set()
            while len(taken) < self.losses[s]:
                for p in rng.integers(0, len(awards), 2 * self.losses[s]).tolist():
                    if p not in own and len(taken) < self.losses[s]:
                        taken.add(p)
            for p in taken:
                bidders[p].append(s)
        for p in rng.integers(0, len(awards), self.fresh).tolist():
            bidders[p].append(-1)
        award = np.concatenate([np.full(len(bidders[p]), awards[p]) for p in range(len(awards))])
        bidder = np.concatenate([np.array(bidders[p], np.int64) for p in range(len(awards))])
        return award, bidder


@dataclass
class Plan:
    """What the planting functions decided: rows per source and the awards each indicator must flag."""

    truth: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    rows: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    docs: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # planted docs per source
    bidding: Bidding = field(default_factory=Bidding)  # the bidders of awarded processes' offers

    def flag(self, indicator: str, keys: Iterable[str]) -> None:
        self.truth[indicator].update(keys)


def fire_count(n_awards: int) -> int:
    return int(np.clip(round(n_awards / 150), 5, 15))
