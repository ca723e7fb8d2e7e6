"""Peak resident memory (and CPU time) of this process and every process it starts (Spark JVMs, dbt, the API's
workers), sampled from /proc."""

from __future__ import annotations

import os
import threading
from pathlib import Path

MIB = 1024 * 1024
PAGE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def tree_rss_bytes(root: int) -> int:
    """Resident bytes of `root` and its descendants now."""
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
        pending += _children(pid)
    return total


def tree_cpu_seconds(root: int) -> float:
    """CPU time (user + system, every thread) that `root` and its live descendants have used so far."""
    total, pending = 0.0, [root]
    while pending:
        pid = pending.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        pending += _children(pid)
    return total


class PeakMemory:
    """`with PeakMemory() as peak: ...` then `peak.mib`: the largest sampled resident size of the tree of
    `root` (this process by default)."""

    def __init__(self, interval: float = 0.25, root: int | None = None):
        self.interval, self.peak = interval, 0
        self.root = os.getpid() if root is None else root
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, tree_rss_bytes(self.root))
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def mib(self) -> int:
        return round(self.peak / MIB)
