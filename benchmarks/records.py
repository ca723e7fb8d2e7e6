"""Where every benchmark appends its record, and the machine it ran on."""

from __future__ import annotations

import json
import os
import platform
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).with_name("results.jsonl")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.machine()} {os.cpu_count()} cpus {memory:.0f} GiB"


def append_record(record: dict) -> None:
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")


def spread(values: list[float]) -> dict[str, float]:
    """Count, p50, p95 and max of some measurements (one decimal)."""
    if not values:
        return {"n": 0}
    p50, p95 = np.percentile(values, [50, 95])
    return {"n": len(values), "p50": round(float(p50), 1), "p95": round(float(p95), 1), "max": round(max(values), 1)}
