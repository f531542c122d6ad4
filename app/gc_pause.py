"""Pause Python's cyclic garbage collector while comments are being scored.

A scoring call allocates tens of thousands of container objects (docs, token lists, matches,
results) that all stay alive until the call returns, and none of them is part of a
reference cycle: reference counting frees every one of them (`tests/test_moderator.py`
checks that scoring leaves no cyclic garbage). The collector still walks them over and
over as they are allocated, which measured about 5% of scoring time. So scoring runs with
the collector paused.

The pause is process-wide (the collector has no per-thread switch), so it is counted: the
collector stops when the first concurrent call starts and resumes when the last one ends,
and only if it was running before. A server whose calls overlap without a break would never
resume it, so a call that ends with many young objects pending collects the youngest
generation itself: cyclic garbage made meanwhile by other code is still reclaimed.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: young objects allocated since the last collection above which an ending call collects
#: them even though another call still holds the pause (10x the default gen-0 threshold)
_PENDING_LIMIT = 7_000

_lock = threading.Lock()
_holders = 0
_resume = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the body with the cyclic garbage collector paused (re-entrant, thread-safe)."""
    global _holders, _resume
    with _lock:
        if _holders == 0:
            _resume = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0:
                if _resume:
                    gc.enable()
                overdue = False
            else:
                overdue = _resume and gc.get_count()[0] > _PENDING_LIMIT
        if overdue:  # outside the lock: a finalizer run by the collection may score too
            gc.collect(0)
