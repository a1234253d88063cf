"""A counter that every database commit in this process moves (an SQLAlchemy ``commit`` event on
every engine). What is cached from the database per process (the unread notices, finished
responses) is tagged with the counter read before it was computed, and is stale as soon as the
counter moved: a notice created or read, a sign-out, a revoked token or an accepted report is
seen by the next request of this process. Commits made by other processes (another worker, the
CLI) are not seen here; those caches also expire after a few seconds
(CARBONPEAK_SESSION_CACHE_SECONDS), as the session cache does."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine, event

__all__ = ["UntilWritten", "write_generation"]

_lock = threading.Lock()
_generation = 0


def _committed(_connection: Any) -> None:
    global _generation
    with _lock:
        _generation += 1


event.listen(Engine, "commit", _committed)


def write_generation() -> int:
    """The number of commits in this process so far: equal values, no write in between."""
    return _generation


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# Beyond this many remembered answers, all are dropped (they are cheap to recompute).
MAX_ENTRIES = 10_000


class UntilWritten(Generic[K, V]):
    """Answers remembered until the next commit in this process, or ``ttl()`` seconds."""

    def __init__(self, ttl: Callable[[], float]) -> None:
        self._ttl = ttl
        self._entries: dict[K, tuple[int, float, V]] = {}

    def get(self, key: K, compute: Callable[[], V]) -> V:
        ttl = self._ttl()
        if ttl <= 0:
            return compute()
        now = time.monotonic()
        held = self._entries.get(key)
        if held is not None and held[0] == _generation and held[1] > now:
            return held[2]
        generation = _generation  # read before computing: a commit meanwhile makes it stale
        value = compute()
        if len(self._entries) >= MAX_ENTRIES:
            self._entries = {}
        self._entries[key] = (generation, now + ttl, value)
        return value
