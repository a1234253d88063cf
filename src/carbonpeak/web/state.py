"""What every page handler reaches through the request: the store, the plan and the current
snapshot (``create_app`` keeps one :class:`WebState` on ``app.state.web``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import Engine

from carbonpeak.api.security import LoginThrottle
from carbonpeak.plan import Plan
from carbonpeak.services.kept_snapshot import current_snapshot
from carbonpeak.services.snapshots import Snapshot
from carbonpeak.services.store import TelemetryStore

__all__ = ["DemoLoader", "WebState", "web_state"]

DemoLoader = Callable[[], dict[str, int]]


@dataclass(frozen=True)
class WebState:
    engine_factory: Callable[[], Engine]
    store_factory: Callable[[], TelemetryStore]
    plan: Plan
    demo_loader: DemoLoader | None
    throttle: LoginThrottle

    def engine(self) -> Engine:
        return self.engine_factory()

    def store(self) -> TelemetryStore:
        return self.store_factory()

    def snapshot(self) -> Snapshot:
        """The snapshot of the current data version (services/snapshots.py), its version asked
        once per write or few seconds (services/kept_snapshot.py)."""
        return current_snapshot(self.engine(), self.plan)


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state
