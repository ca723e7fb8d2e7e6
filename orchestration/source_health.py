"""What the last pull and the last cleaning of each source said, kept in the lake for the later steps.

`control/health/<source>/pull.json` (the raw asset: did the portal answer, how old is the publisher's
data, which catalogued columns it no longer publishes) and `control/health/<source>/columns.json` (the
trusted job: how many values of the columns indicators need were unusable). Both are small JSON files
replaced whole on each write; orchestration/indicator_status.py reads them to decide which indicators
cannot be evaluated, and why.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone

from catalogue import Source
from catalogue.lake_layout import health_file
from orchestration.lake import Lake


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class PullHealth:
    """One pull attempt of a source."""

    at: str  # when it was attempted (UTC, ISO)
    landed: bool  # the portal answered and the batch was committed (possibly empty)
    problem: str | None = None  # why not, for people (scheme and host only, never a path, query or token)
    last_landed: str | None = None  # when a pull of it last landed
    published_at: str | None = None  # the publisher's last change (rowsUpdatedAt or Last-Modified), UTC ISO
    missing_columns: list[str] = field(default_factory=list)  # catalogued, not published
    stood_in: str | None = None  # not published at all: this source's rows stand in (catalogue `stand_in`)

    def age_days(self, now: datetime) -> float | None:
        if self.published_at is None:
            return None
        return (now - datetime.fromisoformat(self.published_at)) / timedelta(days=1)

    def is_stale(self, source: Source, now: datetime) -> bool:
        """The publisher's data is older than the source's `max_age_days`."""
        age = self.age_days(now)
        return age is not None and age > source.max_age_days

    def stale(self, source: Source, now: datetime) -> str | None:
        """Why the publisher's data counts as stale, for the pull's check, or None."""
        if not self.is_stale(source, now):
            return None
        age = self.age_days(now)
        return (
            f"{source.name}: the publisher last changed it on {self.published_at[:10]}, {age:.0f} days ago "
            f"(stale after {source.max_age_days})"
        )


@dataclass(frozen=True)
class ColumnHealth:
    """How many values of each needed column the last cleaning of a source could not use."""

    at: str
    values: dict[str, int]  # non-blank values seen, per column
    unusable: dict[str, int]  # of which unparseable, out of range or otherwise unusable

    def ratio(self, column: str) -> float:
        seen = self.values.get(column, 0)
        return self.unusable.get(column, 0) / seen if seen else 0.0


def _path(source: Source, part: str) -> str:
    return health_file(source.name, part)


def write_pull(lake: Lake, source: Source, health: PullHealth) -> None:
    lake.write_bytes(_path(source, "pull"), json.dumps(asdict(health), sort_keys=True).encode())


def write_columns(lake: Lake, source: Source, health: ColumnHealth) -> None:
    lake.write_bytes(_path(source, "columns"), json.dumps(asdict(health), sort_keys=True).encode())


def read_pull(lake: Lake, source: Source) -> PullHealth | None:
    path = _path(source, "pull")
    return PullHealth(**json.loads(lake.read_bytes(path))) if lake.exists(path) else None


def read_columns(lake: Lake, source: Source) -> ColumnHealth | None:
    path = _path(source, "columns")
    return ColumnHealth(**json.loads(lake.read_bytes(path))) if lake.exists(path) else None
