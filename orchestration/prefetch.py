"""One item ahead: an iterator's next item produced in a background thread while the caller handles this one.

A Socrata pull is keyset paging, one request after another; the requests wait on the portal while the
caller converts and writes the page it has. `prefetched` overlaps the two and holds one item more, never
more: the thread asks for item n + 1 only once the caller has taken item n.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")

_ITEM, _END, _ERROR = "item", "end", "error"


def prefetched(items: Iterator[T], name: str = "prefetch") -> Iterator[T]:
    """`items` in order, each next one produced by a thread while the caller handles the current one.

    An error of `items` is raised here, where its item would have been. Closing this iterator (the
    caller's break or error) stops the thread once its current item is done, and closes `items` there.
    """
    wanted: queue.SimpleQueue[bool] = queue.SimpleQueue()  # True: produce the next item; False: stop
    produced: queue.SimpleQueue[tuple[str, object]] = queue.SimpleQueue()

    def produce() -> None:
        try:
            while wanted.get():
                try:
                    item = next(items)
                except StopIteration:
                    produced.put((_END, None))
                    return
                produced.put((_ITEM, item))
                del item  # held by the caller now
        except BaseException as exc:  # handed to the caller, raised in its thread
            produced.put((_ERROR, exc))
        finally:
            close = getattr(items, "close", None)
            if close:
                close()

    threading.Thread(target=produce, name=name, daemon=True).start()
    wanted.put(True)
    try:
        while True:
            kind, value = produced.get()
            if kind == _END:
                return
            if kind == _ERROR:
                raise value  # type: ignore[misc]
            wanted.put(True)  # the next item is produced while the caller handles this one
            yield value  # type: ignore[misc]
            value = None
    finally:
        wanted.put(False)
