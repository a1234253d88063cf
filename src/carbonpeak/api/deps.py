"""What a route depends on, as FastAPI dependencies: the caller (``Principal``) and the roles a
route admits, the store, telemetry store and plan the app was made over (``Sources``, kept on
``app.state``), and the shared query parameters (paging, codes, periods)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi import Path as PathParam
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy import Engine

from carbonpeak.api.security import Security, bearer
from carbonpeak.plan import Plan
from carbonpeak.services import dashboard
from carbonpeak.services.accounts import Principal, Role
from carbonpeak.services.store import TelemetryStore

__all__ = [
    "CODE",
    "MAX_OFFSET",
    "MONTH",
    "PERIOD",
    "A",
    "Admin",
    "Anyone",
    "CodePath",
    "E",
    "Limit",
    "Offset",
    "SignedIn",
    "Sources",
    "U",
    "V",
    "WithSources",
    "require",
    "sources",
]

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
PERIOD = r"^\d{4}(-(0[1-9]|1[0-2]))?$"
CODE = r"^[A-Za-z0-9_.-]{1,80}$"
MAX_OFFSET = 2**31 - 1  # databases store 64-bit integers at most; no list is longer than this
A, U, E, V = Role.admin, Role.unit, Role.enterprise, Role.viewer


@dataclass(frozen=True)
class Sources:
    """What the app was made over. ``snapshot()`` is computed when a route asks for it, after
    its checks, not before every route."""

    engine_of: Callable[[], Engine]
    store_of: Callable[[], TelemetryStore]
    plan: Plan

    def engine(self) -> Engine:
        return self.engine_of()

    def store(self) -> TelemetryStore:
        return self.store_of()

    def snapshot(self) -> dashboard.Snapshot:
        return dashboard.snapshot(self.engine_of(), self.plan)


def sources(request: Request) -> Sources:
    found: Sources = request.app.state.sources
    return found


def _security(request: Request) -> Security:
    found: Security = request.app.state.security
    return found


def anyone(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal | None:
    """The caller, or None when anonymous (a bad token is still an error)."""
    return _security(request).optional_principal(request, credentials)


def require(*roles: Role) -> Callable[..., Principal]:
    """A dependency admitting the given roles (any signed-in role when none are given)."""

    def dependency(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Principal:
        return _security(request).required_principal(request, credentials, roles)

    return dependency


WithSources = Annotated[Sources, Depends(sources)]
Anyone = Annotated[Principal | None, Depends(anyone)]
SignedIn = Annotated[Principal, Depends(require())]
Admin = Annotated[Principal, Depends(require(A))]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Limit = Annotated[int, Query(ge=1, le=500)]
CodePath = Annotated[str, PathParam(pattern=CODE)]
