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
class Plan:
    """What the planting functions decided: rows per source and the awards each indicator must flag."""

    truth: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    rows: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    docs: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # planted docs per source

    def flag(self, indicator: str, keys: Iterable[str]) -> None:
        self.truth[indicator].update(keys)


def fire_count(n_awards: int) -> int:
    return int(np.clip(round(n_awards / 150), 5, 15))
