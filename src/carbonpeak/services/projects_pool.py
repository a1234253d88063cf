"""The budget pool in the store (用能预算 统一管理, 三(二)1): the base's budgets (the budgets
table, scope ``base``), the existing load from the accounts, and the ledger of draws and
releases; closures and retrofits done free space into it.

The existing load is the base's regional total (``totals("base")``) in the latest full accounted
year: the same figure the budget warnings compare with the budget.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from carbonpeak.errors import InvalidInput, NotFound
from carbonpeak.messages import message
from carbonpeak.plan import Plan
from carbonpeak.projects import KINDS, LedgerEntry, PoolYear, pool_year
from carbonpeak.services import dashboard
from carbonpeak.services.audit import AuditWriter
from carbonpeak.storage import BudgetRow
from carbonpeak.storage.projects import PoolEntryRow

__all__ = [
    "base_budgets",
    "budget_years",
    "existing_load",
    "facility_load",
    "ledger",
    "pool",
    "pool_years",
    "record_entry",
    "release_closure",
]


def base_budgets(engine: Engine) -> dict[tuple[int, str], float]:
    """The base's budgets, by (year, kind)."""
    with Session(engine) as session:
        rows = session.scalars(select(BudgetRow).where(BudgetRow.scope == "base")).all()
        return {(r.year, r.kind): r.value for r in rows}


def budget_years(engine: Engine) -> list[int]:
    return sorted({year for year, _ in base_budgets(engine)})


def _full_year(snap: dashboard.Snapshot) -> int:
    months = dashboard.months_per_year(snap)
    full = sorted(int(y) for y, n in months.items() if n == 12)
    if not full:
        raise NotFound(message("error.pool.no_full_year"))
    return full[-1]


def existing_load(snap: dashboard.Snapshot) -> tuple[int, dict[str, float]]:
    """The latest full accounted year and the base's use in it, per kind."""
    if snap.accounts is None:
        raise NotFound(message("error.pool.no_accounts"))
    year = _full_year(snap)
    totals = snap.accounts.totals("base", "year")
    record = next(r for r in totals.to_dict("records") if int(str(r["year"])) == year)
    return year, {kind: float(record[metric]) for kind, (metric, _) in KINDS.items()}


def facility_load(snap: dashboard.Snapshot, enterprise: str, facility: str) -> dict[str, float]:
    """A facility's use in the latest full accounted year, per kind (what its closure frees)."""
    if snap.accounts is None:
        raise NotFound(message("error.accounts.none"))
    year = _full_year(snap)
    totals = snap.accounts.totals("facility", "year")
    chosen = totals[
        (totals["enterprise"].astype(str) == enterprise)
        & (totals["facility"].astype(str) == facility)
        & (totals["year"].astype(str) == str(year))
    ]
    if chosen.empty:
        raise NotFound(
            message(
                "error.pool.no_facility_accounts",
                enterprise=enterprise,
                facility=facility,
                year=year,
            )
        )
    return {kind: float(chosen[metric].sum()) for kind, (metric, _) in KINDS.items()}


def ledger(engine: Engine, year: int | None = None) -> list[LedgerEntry]:
    with Session(engine) as session:
        query = select(PoolEntryRow).order_by(PoolEntryRow.id)
        if year is not None:
            query = query.where(PoolEntryRow.year == year)
        return [
            LedgerEntry(
                year=r.year,
                kind=r.kind,
                entry=r.entry,
                amount=r.amount,
                unit=r.unit,
                document=r.document,
                project=r.project,
                enterprise=r.enterprise,
                facility=r.facility,
                note=r.note,
                actor=r.actor,
                recorded_at=r.recorded_at,
            )
            for r in session.scalars(query)
        ]


def pool(
    engine: Engine,
    plan: Plan,
    year: int,
    kind: str,
    snap: dashboard.Snapshot | None = None,
    excluding_project: str | None = None,
) -> PoolYear:
    current = snap or dashboard.snapshot(engine, plan)
    load_year, load = existing_load(current)
    return pool_year(
        year,
        kind,
        base_budgets(engine).get((year, kind)),
        load[kind],
        load_year,
        ledger(engine, year),
        excluding_project,
    )


def pool_years(
    engine: Engine,
    plan: Plan,
    first: int,
    snap: dashboard.Snapshot | None = None,
    excluding_project: str | None = None,
) -> tuple[PoolYear, ...]:
    """Every pool a project entering in ``first`` draws on: each kind, each budget year from
    ``first`` on (or ``first`` alone, without a budget, when none is set that late)."""
    current = snap or dashboard.snapshot(engine, plan)
    years = [y for y in budget_years(engine) if y >= first] or [first]
    return tuple(
        pool(engine, plan, year, kind, current, excluding_project)
        for year in years
        for kind in KINDS
    )


def record_entry(engine: Engine, entry: LedgerEntry, actor: str) -> None:
    """Write one movement of the pool, with its document, to the ledger and the audit trail."""
    if entry.kind not in KINDS or entry.amount < 0:
        raise InvalidInput(message("error.pool.entry", entry=f"{entry}"))
    if not entry.document.strip():
        raise InvalidInput(message("error.pool.document"))
    with Session(engine) as session, session.begin():
        row = PoolEntryRow(
            year=entry.year,
            kind=entry.kind,
            entry=entry.entry,
            amount=entry.amount,
            unit=KINDS[entry.kind][1],
            document=entry.document,
            project=entry.project,
            enterprise=entry.enterprise,
            facility=entry.facility,
            note=entry.note,
            actor=actor,
            recorded_at=datetime.now(UTC),
        )
        session.add(row)
        AuditWriter(session).append(
            actor,
            f"pool_{entry.entry}",
            "budget_pool",
            f"{entry.year}/{entry.kind}",
            {
                "amount": entry.amount,
                "document": entry.document,
                "project": entry.project,
                "facility": f"{entry.enterprise}/{entry.facility}" if entry.facility else None,
            },
        )


def release_closure(
    engine: Engine,
    plan: Plan,
    enterprise: str,
    facility: str,
    closed_on: date,
    document: str,
    actor: str,
    snap: dashboard.Snapshot | None = None,
) -> dict[str, Any]:
    """A facility closed (关闭退出): its accounted use in the latest full year is released into
    the pool for every budget year from the closure's year on."""
    current = snap or dashboard.snapshot(engine, plan)
    freed = facility_load(current, enterprise, facility)
    years = [y for y in budget_years(engine) if y >= closed_on.year]
    for year in years:
        for kind, amount in freed.items():
            if amount > 0:
                record_entry(
                    engine,
                    LedgerEntry(
                        year=year,
                        kind=kind,
                        entry="closure",
                        amount=amount,
                        unit=KINDS[kind][1],
                        document=document,
                        enterprise=enterprise,
                        facility=facility,
                        note=f"closed on {closed_on.isoformat()}",
                    ),
                    actor,
                )
    return {"freed": freed, "years": years}
