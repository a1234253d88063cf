"""One snapshot of the base's accounts, indicator values and target statuses per data version,
and the views kept with it (``memoized``).

A snapshot is recomputed only when the data change: its key is the audit log's head, and every
change to the store (reports, reviews, indicator reports, task progress, budgets, accounts)
appends to the audit log. The views built from a snapshot are in ``services/views.py``, the
lineage of its numbers in ``services/lineage.py``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from carbonpeak.accounting import Accounts
from carbonpeak.demo import SYNTHETIC_NOTE
from carbonpeak.plan import Plan
from carbonpeak.services.indicators import (
    IndicatorValue,
    accepted_accounts,
    assessment_values,
    indicator_values,
    track,
    track_goals,
)
from carbonpeak.services.refreshing import Refreshing, snapshot_version
from carbonpeak.storage import AuditEntryRow, EnterpriseRow

__all__ = ["Snapshot", "data_version", "memoized", "snapshot", "targets_for_year"]


@dataclass(frozen=True)
class Snapshot:
    """The base at one data version: accounts, indicator values, targets and goals."""

    version: int
    plan: Plan
    accounts: Accounts | None
    values: list[IndicatorValue]
    targets: list[dict[str, Any]]
    goals: list[dict[str, Any]]
    synthetic: bool
    computed_at: datetime
    enterprises: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Views computed from this snapshot, kept with it: it never changes, so neither do they.
    memo: dict[tuple[object, ...], Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def note(self) -> str | None:
        return SYNTHETIC_NOTE if self.synthetic else None


T = TypeVar("T")
_snapshots: Refreshing[Snapshot] = Refreshing()


_memo_lock = threading.RLock()  # re-entrant: one view may be computed from another


def memoized(snap: Snapshot, key: tuple[object, ...], compute: Callable[[], T]) -> T:
    """A view of the snapshot, computed once: concurrent first callers wait for the one that
    computes it instead of all computing it."""
    if key in snap.memo:
        return cast(T, snap.memo[key])
    with _memo_lock:
        if key not in snap.memo:
            snap.memo[key] = compute()
        return cast(T, snap.memo[key])


def data_version(engine: Engine) -> int:
    """The audit log's head: it moves with every change to the store."""
    with Session(engine) as session:
        return int(session.scalar(select(func.coalesce(func.max(AuditEntryRow.seq), 0))) or 0)


def _enterprise_registry(engine: Engine) -> dict[str, dict[str, Any]]:
    with Session(engine) as session:
        return {
            r.code: {
                "code": r.code,
                "name_zh": r.name_zh,
                "name_en": r.name_en,
                "sector": r.sector_code,
                "key_energy_unit": r.key_energy_unit,
                "synthetic": r.synthetic,
                "credit_code": r.credit_code,
            }
            for r in session.scalars(select(EnterpriseRow).order_by(EnterpriseRow.code))
        }


def snapshot(engine: Engine, plan: Plan) -> Snapshot:
    """The current snapshot, computed at most once per data version, plan and day (a target's
    status depends on the date it is judged on; thread-safe); while one caller rebuilds it, the
    others get the previous one (services/refreshing.py)."""
    key = (engine.url.render_as_string(hide_password=True), plan.version)
    version = snapshot_version(engine)
    return _snapshots.get(
        (*key, date.today()), version, lambda: _build_snapshot(engine, plan, version)
    )


def _build_snapshot(engine: Engine, plan: Plan, version: int) -> Snapshot:
    accounts = accepted_accounts(engine)
    values = indicator_values(engine, plan, accounts=accounts)
    registry = _enterprise_registry(engine)
    provisional = Snapshot(
        version=version,
        plan=plan,
        accounts=accounts,
        values=values,
        targets=[],
        goals=track_goals(engine, plan, None, values),
        synthetic=any(e["synthetic"] for e in registry.values()),
        computed_at=datetime.now(UTC),
        enterprises=registry,
    )
    # Imported here: the outlooks run scenarios, which read snapshots of this module.
    from carbonpeak.services.outlooks import scenario_outlooks

    outlooks = scenario_outlooks(engine, plan, provisional)
    return replace(
        provisional,
        targets=track(engine, plan, None, values, outlooks=outlooks),
        memo=provisional.memo,
    )


def targets_for_year(engine: Engine, snap: Snapshot, year: int) -> list[dict[str, Any]]:
    """The targets as a report of ``year`` states them: the snapshot's own (the overview's, the
    API's) when ``year`` is the latest year with values, else as known on that year's
    assessment date, so a past year's report does not change when later data arrive."""
    latest = max((v.year for v in snap.values if v.period is None), default=None)
    if latest is None or year >= latest:
        return snap.targets
    cut, values = assessment_values(engine, snap.plan, year, snap.accounts)
    return track(engine, snap.plan, year, values, as_of=cut)
