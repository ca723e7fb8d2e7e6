"""`prefetched`: the next item produced by a thread while the caller holds this one, one ahead at most."""

from __future__ import annotations

import threading
import time

import pytest

from orchestration.prefetch import prefetched


class Counted:
    """An iterator over 0..n-1 that records how far it was advanced and whether it was closed."""

    def __init__(self, n: int, fail_at: int | None = None, delay: float = 0.0):
        self.n, self.fail_at, self.delay = n, fail_at, delay
        self.produced = 0
        self.closed = threading.Event()
        self.threads: set[str] = set()

    def __iter__(self):
        return self

    def __next__(self) -> int:
        self.threads.add(threading.current_thread().name)
        time.sleep(self.delay)
        if self.produced == self.fail_at:
            raise ValueError(f"item {self.produced} is broken")
        if self.produced == self.n:
            raise StopIteration
        self.produced += 1
        return self.produced - 1

    def close(self) -> None:
        self.closed.set()


def test_every_item_in_order_from_another_thread_and_one_ahead_at_most():
    items = Counted(6)
    seen = []
    for item in prefetched(items, name="t"):
        time.sleep(0.02)  # the thread has had time to run ahead, if it were allowed to
        assert items.produced <= item + 2  # this item and the next one, no more
        seen.append(item)
    assert seen == list(range(6))
    assert items.threads == {"t"}
    assert items.closed.wait(5)


def test_an_error_is_raised_where_its_item_would_have_been():
    items = Counted(6, fail_at=3)
    seen = []
    with pytest.raises(ValueError, match="item 3 is broken"):
        for item in prefetched(items):
            seen.append(item)
    assert seen == [0, 1, 2]
    assert items.closed.wait(5)


def test_a_caller_that_stops_stops_the_thread_after_its_current_item():
    items = Counted(1_000, delay=0.01)
    for item in prefetched(items):
        if item == 2:
            break
    assert items.closed.wait(5)
    assert items.produced <= 4  # the item being produced when the caller stopped, at most


def test_the_next_item_is_produced_while_the_caller_holds_this_one():
    items = Counted(3)
    for item in prefetched(items):
        deadline = time.monotonic() + 5
        while items.produced < min(item + 2, 3) and time.monotonic() < deadline:  # bounded wait
            time.sleep(0.005)
        assert items.produced == min(item + 2, 3)
