"""Day numbers (days since 1970-01-01) and the date formats the sources write."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from simulator.arrow import join, number_strings
from simulator.truth import RUN_DATE


def iso_day(iso: str) -> int:
    return int(np.datetime64(iso, "D").astype(np.int64))


DAY = 86_400


FIRST_DAY, LAST_DAY = iso_day("2018-01-01"), iso_day("2025-12-31")
SNAPSHOT_DAY = iso_day("2026-01-31")  # the simulated "today": no business date after it


@dataclass(frozen=True)
class DateFormat:
    """How a source writes its timestamps (docs/sources.md, per source)."""

    pattern: str  # strftime pattern
    unit: str = "s"  # "ms" makes %S print milliseconds: Socrata's floating timestamps
    ticks: bool = False  # append 7 fractional digits (.NET ticks), as SECOP II execution lines do
    suffix: str = ""  # appended as is (RUES: nanoseconds, always zero)

    def render(self, seconds: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
        factor = 1000 if self.unit == "ms" else 1
        stamps = pa.array(np.asarray(seconds, np.int64) * factor, pa.timestamp(self.unit), mask=null)
        text = pc.strftime(stamps, format=self.pattern)
        if self.ticks:  # midnight stays .0000000; other times get pseudo-random sub-second digits
            seconds = np.asarray(seconds, np.int64)
            digits = np.where(seconds % DAY == 0, 0, (seconds * 2_654_435_761) % 10_000_000)
            text = join(text, ".", pc.utf8_lpad(number_strings(digits), width=7, padding="0"))
        return join(text, self.suffix) if self.suffix else text


FLOATING = DateFormat("%Y-%m-%dT%H:%M:%S", unit="ms")  # 2024-03-01T00:00:00.000 (SECOP, TVEC)
COMPACT = DateFormat("%Y%m%d")  # RUES dates
NANOS = DateFormat("%Y/%m/%d %H:%M:%S", suffix=".000000000")  # RUES fecha_actualizacion
US_TIME = DateFormat("%m/%d/%Y %H:%M:%S")  # the portal's CSV export (SIGEP)
DAY_FIRST = DateFormat("%d/%m/%Y")  # SIRI, SIGEP PEP (API), the PACO works register
DAY_FIRST_TIME = DateFormat("%d/%m/%Y %H:%M:%S")  # the PACO works register, some rows
TICKS = DateFormat("%Y-%m-%d %H:%M:%S", ticks=True)  # SECOP II execution: 2024-03-01 00:00:00.0000000


def mixed(
    formats: Sequence[DateFormat], which: np.ndarray, seconds: np.ndarray, null: np.ndarray | None = None
) -> pa.Array:
    """Row i written in `formats[which[i]]`, as a source whose rows come from several exports."""
    rendered = [f.render(seconds, null) for f in formats]
    return pc.choose(pa.array(np.asarray(which, np.int8)), *rendered)


def day_seconds(days: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
    """Midnight of each day, or with rng a time of day in office hours."""
    seconds = np.asarray(days, np.int64) * DAY
    return seconds if rng is None else seconds + rng.integers(7 * 3600, 19 * 3600, len(seconds))


def floating(days: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return FLOATING.render(day_seconds(days), null)


def random_days(rng: np.random.Generator, n: int, first: int = FIRST_DAY, last: int = LAST_DAY) -> np.ndarray:
    return rng.integers(first, last + 1, n)


def calendar_year(days: np.ndarray) -> np.ndarray:
    return np.asarray(days).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


RUN_DAY = iso_day(RUN_DATE)  # simulator.truth.RUN_DATE as a day number
