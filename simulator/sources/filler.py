"""Catalogue columns no builder writes, filled from their kind."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from catalogue import (
    Column,
)
from simulator.arrow import id_strings, join, money_amounts, number_strings, pick_strings, where
from simulator.dates import DateFormat, day_seconds, random_days
from simulator.parties import fresh_people
from simulator.vocabulary import NO_DEFINIDO

TEXT_FILLER = (NO_DEFINIDO, "No Aplica", None)
TEXT_FILLER_WEIGHTS = (0.85, 0.1, 0.05)


def filler(column: Column, n: int, rng: np.random.Generator, dates: DateFormat) -> pa.Array:
    """Plausible values for a column no builder models, from its kind."""
    kind = column.kind
    if kind == "date":
        return dates.render(day_seconds(random_days(rng, n)), rng.random(n) < 0.3)
    if kind == "amount":
        return money_amounts(rng, np.exp(rng.normal(np.log(20e6), 1.5, n)))
    if kind == "number":
        return where(rng.random(n) < 0.8, "0", number_strings(rng.integers(1, 10**7, n)))
    if kind == "integer":
        return number_strings(rng.integers(0, 30, n))
    if kind in ("code", "key"):
        return id_strings(rng, n, 100_000)
    if kind == "name":
        return pa.array(fresh_people(rng, n, np.zeros(0, np.int64)).name, pa.string())
    if kind == "entity_nit":
        return number_strings(rng.integers(800_000_000, 900_000_000, n))
    if kind == "document":
        return number_strings(rng.integers(1_000_000, 99_999_999, n))
    if kind == "combined_document":
        return join("CC ", number_strings(rng.integers(1_000_000, 99_999_999, n)))
    if kind == "url":
        return join('{"url":"https://www.colombiacompra.gov.co/', number_strings(rng.integers(10**6, 10**7, n)), '"}')
    return pick_strings(rng, TEXT_FILLER, n, TEXT_FILLER_WEIGHTS)
