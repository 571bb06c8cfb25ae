"""A per-thread time limit that long loops check, so a check that overran its caller's time cap
(the server's per-request timeout) stops instead of holding a worker thread for minutes.

Pair loops over claims and paragraphs are quadratic: a 34 KB article of 400 repeated paragraphs
takes seconds. Outside ``limit()`` ``check_deadline`` costs one attribute lookup.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

_local = threading.local()


class CheckTimeout(Exception):
    """The time given to this check ran out."""


@contextmanager
def limit(seconds: float | None) -> Iterator[None]:
    """Checks inside the block raise CheckTimeout after ``seconds`` (None: no limit)."""
    before = getattr(_local, "at", None)
    _local.at = None if seconds is None else time.monotonic() + seconds
    try:
        yield
    finally:
        _local.at = before


def check_deadline() -> None:
    at = getattr(_local, "at", None)
    if at is not None and time.monotonic() > at:
        raise CheckTimeout
