"""Who a session cookie belongs to, remembered for a few seconds per process, so a page or an API
call does not ask the database on every request (CARBONPEAK_SESSION_CACHE_SECONDS).

A sign-out or a deactivation in this process forgets at once (``services/accounts.py`` calls
:meth:`SessionCache.forget`); another worker's cache ages out within the time-to-live."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["SessionCache"]

T = TypeVar("T")

# Beyond this many remembered sessions, the expired ones are dropped (and, if none are, all).
MAX_ENTRIES = 10_000


class SessionCache(Generic[T]):
    """Lookups by (store, hashed session key), each kept ``ttl()`` seconds."""

    def __init__(self, ttl: Callable[[], float]) -> None:
        self._ttl = ttl
        self._entries: dict[tuple[str, str], tuple[float, T]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str], lookup: Callable[[], T]) -> T:
        """The remembered answer for ``key`` while it is fresh, else ``lookup()`` (remembered)."""
        ttl = self._ttl()
        if ttl <= 0:
            return lookup()
        now = time.monotonic()
        held = self._entries.get(key)
        if held is not None and held[0] > now:
            return held[1]
        found = lookup()
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                fresh = {k: v for k, v in self._entries.items() if v[0] > now}
                self._entries = fresh if len(fresh) < MAX_ENTRIES else {}
            self._entries[key] = (now + ttl, found)
        return found

    def forget(self) -> None:
        """Forget every session: a sign-out or a deactivation is seen at the next request."""
        with self._lock:
            self._entries = {}
