"""Who is asking, and may they: bearer tokens for machines, session cookies (with a CSRF token on
every unsafe request) for browsers, and a throttle on failed logins per client address."""

from __future__ import annotations

import hmac
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable

from fastapi import Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from carbonpeak.api.errors import refused, role_may_not
from carbonpeak.messages import message
from carbonpeak.services.accounts import Principal, Role, principal_for_session, principal_for_token
from carbonpeak.settings import settings

__all__ = [
    "CSRF_HEADER",
    "SAFE_METHODS",
    "SESSION_COOKIE",
    "LoginThrottle",
    "Security",
    "bearer",
]

SESSION_COOKIE = "cp_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

bearer = HTTPBearer(auto_error=False, description="A per-client API token: cpk_…")


class LoginThrottle:
    """At most ``limit`` failed logins per client address in ``window`` seconds. The address is
    ``hardening.client_address``: X-Forwarded-For counts only from a configured proxy."""

    def __init__(self, limit: int | None = None, window: float | None = None) -> None:
        chosen = settings()
        self.limit = limit or chosen.address_failures  # CARBONPEAK_ADDRESS_FAILURES
        self.window = window or float(chosen.address_window_seconds)
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, address: str, now: float) -> deque[float]:
        failures = self._failures[address]
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def retry_after(self, address: str) -> int:
        """Seconds until the address may try again; 0 when it may now."""
        now = time.monotonic()
        with self._lock:
            failures = self._recent(address, now)
            if len(failures) < self.limit:
                return 0
            return int(failures[0] + self.window - now) + 1

    def failed(self, address: str) -> None:
        with self._lock:
            self._failures[address].append(time.monotonic())

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._failures.pop(address, None)


class Security:
    """Who the caller of a request is, over one store (``api/deps.py`` makes the
    dependencies)."""

    def __init__(self, engine: Callable[[], Engine]) -> None:
        self.engine = engine

    def principal(
        self, request: Request, credentials: HTTPAuthorizationCredentials | None
    ) -> Principal | None:
        """The caller, from a bearer token or a session cookie; None when anonymous. A bad token
        is an error, not anonymity, so a misconfigured gateway hears about it."""
        if credentials is not None:
            principal = principal_for_token(self.engine(), credentials.credentials)
            if principal is None:
                raise refused(401, message("error.api.token"))
            return principal
        key = request.cookies.get(SESSION_COOKIE)
        if not key:
            return None
        found = principal_for_session(self.engine(), key)
        if found is None:
            return None
        principal, csrf = found
        request.state.csrf_token = csrf
        # A browser's unsafe call to the API must carry the session's CSRF token in a header
        # (the web pages' forms carry it as a field, and check it themselves).
        if request.method not in SAFE_METHODS and not hmac.compare_digest(
            request.headers.get(CSRF_HEADER, ""), csrf
        ):
            raise refused(403, message("error.csrf"))
        return principal

    def optional_principal(
        self, request: Request, credentials: HTTPAuthorizationCredentials | None
    ) -> Principal | None:
        """The caller or None, remembered on the request (the web pages read it)."""
        principal = self.principal(request, credentials)
        request.state.principal = principal
        return principal

    def required_principal(
        self,
        request: Request,
        credentials: HTTPAuthorizationCredentials | None,
        roles: tuple[Role, ...],
    ) -> Principal:
        """The caller, who must be signed in with one of ``roles`` (any role when empty)."""
        principal = self.optional_principal(request, credentials)
        if principal is None:
            raise refused(401, message("error.api.sign_in"))
        if principal.role not in (set(roles) or set(Role)):
            raise refused(403, role_may_not(principal.role.value))
        return principal
