"""The ground-truth file `<out_dir>/ground_truth/flags.csv`: one row per (indicator, flagged award)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

from simulator.dbt_vars import INDICATORS

FLAGS_HEADER = ("indicator_id", "award_key")


def flags_path(out_dir: Path) -> Path:
    return Path(out_dir) / "ground_truth" / "flags.csv"


def planted_flags_path(out_dir: Path) -> Path:
    """The planted flags of a mixed world (its flags.csv holds every flag the oracle computes)."""
    return Path(out_dir) / "ground_truth" / "planted_flags.csv"


def write_flags(path: Path, flags: Mapping[str, Iterable[str]]) -> None:
    """One row per (indicator, flagged award), indicators in INDICATORS order, award keys sorted."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(FLAGS_HEADER)
        for indicator in INDICATORS:
            writer.writerows((indicator, key) for key in sorted(flags.get(indicator, ())))
    partial.replace(path)


def load_planted_flags(path: Path) -> dict[str, frozenset[str]]:
    """{indicator_id: award keys it must flag} of a flags CSV; every indicator of INDICATORS is a key."""
    found: dict[str, set[str]] = {indicator: set() for indicator in INDICATORS}
    with Path(path).open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != FLAGS_HEADER:
            raise ValueError(f"{path}: header {reader.fieldnames}, expected {FLAGS_HEADER}")
        for row in reader:
            if row["indicator_id"] not in found:
                raise ValueError(f"{path}: unknown indicator {row['indicator_id']!r}")
            found[row["indicator_id"]].add(row["award_key"])
    return {indicator: frozenset(keys) for indicator, keys in found.items()}


def differences(expected: Mapping[str, frozenset[str]], actual: Mapping[str, frozenset[str]]) -> dict[str, dict]:
    """Per indicator that differs: the awards missing from `actual` and the unexpected ones."""
    out = {}
    for indicator in INDICATORS:
        want, got = expected.get(indicator, frozenset()), actual.get(indicator, frozenset())
        if want != got:
            out[indicator] = {"missing": sorted(want - got), "unexpected": sorted(got - want)}
    return out
