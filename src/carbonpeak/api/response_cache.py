"""Finished responses of the busiest reads (the overview page, /api/v1/tracking), answered again
without routing, dependencies, a thread or the database while nothing could have changed them.

A route that may be answered this way calls :func:`remember` with the bytes it sent. The entry
is keyed by the path, the query, the caller's credentials (bearer token and session cookie, as
SHA-256) and the language cookie, so it is only ever given back to the same caller asking the
same thing. It is stale, and the request goes through the app as usual, once this process has
committed anything to the database since the route began (services/write_generation.py: a
sign-out, a revoked token, a notice, an accepted report), or after CARBONPEAK_SESSION_CACHE_SECONDS
(for the commits of another worker or the CLI, as for the session cache). The gzip bytes are
made once per entry, when a client first accepts them.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request

from carbonpeak.api.security import SESSION_COOKIE
from carbonpeak.services.write_generation import write_generation

__all__ = ["CACHED_PATHS", "ResponseCache", "remember"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# The paths whose routes call ``remember``; every other request passes straight through.
CACHED_PATHS = frozenset({"/", "/api/v1/tracking"})
LANGUAGE_COOKIE = "cp_lang"
GENERATION = "carbonpeak.write_generation"  # the scope key: the counter when the request came
MAX_ENTRIES = 1024  # callers × languages; beyond it all are dropped
GZIP_LEVEL = 6
MIN_GZIP_BYTES = 1000  # as the gzip middleware (api/hardening.py)


@dataclass
class _Entry:
    generation: int
    expires: float
    media_type: bytes
    body: bytes
    gzipped: bytes | None = None


def _digest(value: bytes) -> bytes:
    return hashlib.sha256(value).digest() if value else b""


def _cookie(header: bytes, name: bytes) -> bytes:
    for part in header.split(b";"):
        key, _, value = part.strip().partition(b"=")
        if key == name:
            return value
    return b""


def _request_key(scope: Scope) -> tuple[object, ...]:
    authorization = cookies = b""
    for name, value in scope["headers"]:
        if name == b"authorization":
            authorization = value
        elif name == b"cookie":
            cookies = value
    return (
        scope["path"],
        scope.get("query_string", b""),
        _digest(authorization),
        _digest(_cookie(cookies, SESSION_COOKIE.encode())),
        _cookie(cookies, LANGUAGE_COOKIE.encode()),
    )


def _accepts_gzip(scope: Scope) -> bool:
    return any(
        name == b"accept-encoding" and b"gzip" in value.lower() for name, value in scope["headers"]
    )


class ResponseCache:
    """The entries of one app (``app.state.response_cache``)."""

    def __init__(self, ttl: Callable[[], float]) -> None:
        self._ttl = ttl
        self._entries: dict[tuple[object, ...], _Entry] = {}
        self._lock = threading.Lock()

    def fresh(self, scope: Scope) -> _Entry | None:
        entry = self._entries.get(_request_key(scope))
        if entry is None or entry.generation != write_generation():
            return None
        return entry if entry.expires > time.monotonic() else None

    def put(self, scope: Scope, media_type: str, body: bytes) -> None:
        ttl = self._ttl()
        generation = scope.get(GENERATION)
        if ttl <= 0 or generation is None:
            return
        entry = _Entry(generation, time.monotonic() + ttl, media_type.encode(), body)
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries = {}
            self._entries[_request_key(scope)] = entry

    def __len__(self) -> int:
        return len(self._entries)


def remember(request: Request, body: bytes, media_type: str) -> None:
    """Keep ``body`` as the answer to this request (a GET of ``CACHED_PATHS``, status 200) for
    its caller, until a commit or the time-to-live (above)."""
    cache = getattr(request.app.state, "response_cache", None)
    if isinstance(cache, ResponseCache) and request.method == "GET":
        cache.put(request.scope, media_type, body)


class Answering:
    """ASGI middleware: answers a GET of ``CACHED_PATHS`` from the cache when the entry is
    fresh; otherwise notes the write counter on the request and passes it on."""

    def __init__(self, app: ASGIApp, owner: FastAPI) -> None:
        self.app = app
        self.owner = owner

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] not in CACHED_PATHS:
            await self.app(scope, receive, send)
            return
        cache: ResponseCache | None = getattr(self.owner.state, "response_cache", None)
        entry = cache.fresh(scope) if cache is not None else None
        if entry is None:
            scope[GENERATION] = write_generation()
            await self.app(scope, receive, send)
            return
        body = entry.body
        headers = [(b"content-type", entry.media_type), (b"vary", b"Accept-Encoding")]
        if len(body) >= MIN_GZIP_BYTES and _accepts_gzip(scope):
            if entry.gzipped is None:
                entry.gzipped = gzip.compress(body, GZIP_LEVEL, mtime=0)
            body = entry.gzipped
            headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
