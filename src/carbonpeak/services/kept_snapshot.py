"""The current snapshot without asking the database for the data version on every request: kept
until this process next commits (services/write_generation.py: a report accepted here is seen
by the next request) or CARBONPEAK_SESSION_CACHE_SECONDS (another process's writes), the bound
the session cache and the kept answers have."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from carbonpeak.plan import Plan
from carbonpeak.services.snapshots import Snapshot, snapshot
from carbonpeak.services.write_generation import UntilWritten
from carbonpeak.settings import settings

__all__ = ["current_snapshot"]

_kept: UntilWritten[tuple[str, str, date], Snapshot] = UntilWritten(
    lambda: settings().session_cache_seconds
)


def current_snapshot(engine: Engine, plan: Plan) -> Snapshot:
    """``services.snapshots.snapshot``, asked at most once per write or time-to-live."""
    return _kept.get(
        (engine.url.render_as_string(hide_password=True), str(plan.version), date.today()),
        lambda: snapshot(engine, plan),
    )
