"""What every response and request goes through: a request-body limit, security headers, and
the client address (from proxies only when configured). Conflicts are answered as 409 by
``api/errors.py``.

Installed once on the API app (``install``), so the pages served by the same app get the same.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from carbonpeak.api.response_cache import Answering, ResponseCache
from carbonpeak.settings import Settings, settings

__all__ = ["CSP", "SECURITY_HEADERS", "client_address", "install", "limits"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# No inline script anywhere: pages load /static/app.js and /static/plotly.min.js, and charts
# travel as JSON data blocks. Styles may be inline (plotly.js writes them; bar widths use them).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def limits(app: Any) -> Settings:
    """The settings an app runs with: ``app.state.settings`` when set (tests), else the
    process's."""
    chosen = getattr(app.state, "settings", None)
    return chosen if isinstance(chosen, Settings) else settings()


class BodyTooLarge(StarletteHTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body larger than {limit} bytes (CARBONPEAK_MAX_BODY_BYTES)")


_EXTRA_HEADERS = [
    *((k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()),
    (b"content-security-policy", CSP.encode()),
]


def _error_body(status: int, message: str) -> bytes:
    return json.dumps({"error": message, "message": message, "file": None, "problems": []}).encode()


class _Hardened:
    """ASGI middleware: refuses bodies over the limit (by Content-Length before reading, and by
    counting what is read, for chunked bodies) and adds the security headers."""

    def __init__(self, app: ASGIApp, owner: FastAPI) -> None:
        self.app = app
        self.owner = owner

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limits(self.owner).max_body_bytes
        extra = _EXTRA_HEADERS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *((k, v) for k, v in extra if k not in present),
                ]
            await send(message)

        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            message = f"request body larger than {limit} bytes (CARBONPEAK_MAX_BODY_BYTES)"
            await send_with_headers(
                {
                    "type": "http.response.start",
                    "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
                }
            )
            await send_with_headers(
                {"type": "http.response.body", "body": _error_body(413, message)}
            )
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send_with_headers)


def client_address(request: Request) -> str:
    """The caller's address: the connection's peer, unless that peer is a configured trusted
    proxy (CARBONPEAK_TRUSTED_PROXIES), in which case the right-most X-Forwarded-For entry that
    is not itself a trusted proxy. Without the setting no header is believed, so rotating
    X-Forwarded-For changes nothing."""
    peer = request.client.host if request.client else "unknown"
    networks = limits(request.app).proxy_networks()
    if not networks or not _within(peer, networks):
        return peer
    hops = [
        hop.strip()
        for header in request.headers.getlist("x-forwarded-for")
        for hop in header.split(",")
        if hop.strip()
    ]
    for hop in reversed(hops):
        if not _within(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # a malformed hop: believe nothing further
    return peer


def _within(
    address: str, networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in networks)


def install(app: FastAPI) -> None:
    """Add the middleware: gzip for answers over 1 kB that the browser accepts compressed
    (pages, JSON; static files come compressed already and pass through), the finished
    responses of the busiest reads answered again (api/response_cache.py, gzip kept with them),
    then the body limit and the security headers."""
    app.state.response_cache = ResponseCache(lambda: limits(app).session_cache_seconds)
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)
    app.add_middleware(Answering, owner=app)
    app.add_middleware(_Hardened, owner=app)
