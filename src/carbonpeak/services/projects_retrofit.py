"""One-enterprise-one-plan retrofits (一企一策, 三(二)2) in the store, and the two-high register
(三(三)5): each two-high facility's disposal from the accounts, closures and overdue plans."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from carbonpeak.accounting import unit_product_energy
from carbonpeak.errors import Conflict, NotFound
from carbonpeak.messages import message
from carbonpeak.plan import Plan
from carbonpeak.projects import (
    KINDS,
    LedgerEntry,
    Milestone,
    RetrofitPlan,
    dispose,
    retrofit_status,
    two_high_list,
)
from carbonpeak.services import dashboard
from carbonpeak.services.audit import AuditWriter
from carbonpeak.services.projects_pool import budget_years, ledger, record_entry
from carbonpeak.storage.projects import RetrofitPlanRow

__all__ = ["add_retrofit", "complete_retrofit", "retrofits", "two_high_register"]


def add_retrofit(engine: Engine, plan: RetrofitPlan, actor: str, synthetic: bool = False) -> int:
    with Session(engine) as session, session.begin():
        row = RetrofitPlanRow(
            enterprise=plan.enterprise,
            facility=plan.facility,
            product=plan.product,
            unit_value_before=plan.unit_value_before,
            unit_value_target=plan.unit_value_target,
            annual_output_t=plan.annual_output_t,
            deadline=plan.deadline,
            milestones=[
                {
                    "name": m.name,
                    "due": m.due.isoformat(),
                    "done_on": None if m.done_on is None else m.done_on.isoformat(),
                }
                for m in plan.milestones
            ],
            done_on=plan.done_on,
            document=plan.document,
            synthetic=synthetic,
        )
        session.add(row)
        session.flush()
        AuditWriter(session).append(
            actor, "retrofit_add", "retrofit", str(row.id), {"facility": plan.facility}
        )
        return row.id


def _plan(row: RetrofitPlanRow) -> RetrofitPlan:
    return RetrofitPlan(
        id=row.id,
        enterprise=row.enterprise,
        facility=row.facility,
        product=row.product,
        unit_value_before=row.unit_value_before,
        unit_value_target=row.unit_value_target,
        annual_output_t=row.annual_output_t,
        deadline=row.deadline,
        milestones=tuple(
            Milestone(
                str(m["name"]),
                date.fromisoformat(str(m["due"])),
                None if m.get("done_on") is None else date.fromisoformat(str(m["done_on"])),
            )
            for m in row.milestones
        ),
        done_on=row.done_on,
        document=row.document,
    )


def retrofits(engine: Engine, today: date) -> list[dict[str, Any]]:
    """Every retrofit plan with its status (on_track, overdue, done) and its saving."""
    with Session(engine) as session:
        rows = session.scalars(select(RetrofitPlanRow).order_by(RetrofitPlanRow.id)).all()
        result = []
        for row in rows:
            plan = _plan(row)
            status, late = retrofit_status(plan, today)
            result.append({**plan.as_dict(), "status": status, "late_milestones": list(late)})
        return result


def complete_retrofit(
    engine: Engine, plan_id: int, done_on: date, document: str, actor: str
) -> float:
    """Mark a retrofit done: its energy saving is released into the pool for every budget year
    from the year it is done. Returns the saving (tce per year)."""
    with Session(engine) as session, session.begin():
        row = session.get(RetrofitPlanRow, plan_id)
        if row is None:
            raise NotFound(message("error.retrofit.no_plan", plan=plan_id))
        if row.done_on is not None:
            raise Conflict(message("error.retrofit.done", plan=plan_id))
        row.done_on = done_on
        plan = _plan(row)
        AuditWriter(session).append(
            actor, "retrofit_done", "retrofit", str(plan_id), {"done_on": done_on.isoformat()}
        )
    for year in (y for y in budget_years(engine) if y >= done_on.year):
        record_entry(
            engine,
            LedgerEntry(
                year=year,
                kind="energy",
                entry="retrofit",
                amount=plan.saving_tce,
                unit=KINDS["energy"][1],
                document=document,
                enterprise=plan.enterprise,
                facility=plan.facility,
            ),
            actor,
        )
    return plan.saving_tce


def two_high_register(engine: Engine, plan: Plan, today: date) -> list[dict[str, Any]]:
    """Every facility of a two-high sector in the latest accounted year: its product, position
    against the levels, disposal class and deadline (dynamic: from the accounts)."""
    snap = dashboard.snapshot(engine, plan)
    if snap.accounts is None:
        return []
    lists = two_high_list()
    products = unit_product_energy(snap.accounts)
    latest = int(products["year"].astype(int).max()) if not products.empty else None
    positions: dict[tuple[str, str], dict[str, Any]] = {}
    if latest is not None:
        chosen = products[
            (products["year"].astype(int) == latest)
            & products["levels"].astype(str).str.startswith("ndrc_benchmark")
        ]
        for row in chosen.to_dict("records"):
            positions[(str(row["enterprise"]), str(row["facility"]))] = {
                str(k): v for k, v in row.items()
            }
    closed = {(e.enterprise, e.facility) for e in ledger(engine) if e.entry == "closure"}
    overdue = {
        (r["enterprise"], r["facility"])
        for r in retrofits(engine, today)
        if r["status"] == "overdue"
    }
    totals = snap.accounts.totals("facility", "year")
    year = latest if latest is not None else int(totals["year"].astype(int).max())
    units = totals[totals["year"].astype(int) == year][["enterprise", "facility", "sector"]]
    register = []
    for unit in units.drop_duplicates().to_dict("records"):
        code, name = str(unit["enterprise"]), str(unit["facility"])
        found = positions.get((code, name), {})
        disposal = dispose(
            lists,
            code,
            name,
            str(unit["sector"]),
            found.get("product"),
            found.get("position"),
            (code, name) in closed,
            (code, name) in overdue,
            today,
        )
        if disposal is not None:
            register.append(
                {
                    **disposal.as_dict(),
                    "year": year,
                    "unit_value": found.get("unit_value"),
                    "benchmark_level": found.get("benchmark_level"),
                    "baseline_level": found.get("baseline_level"),
                    "unit": found.get("unit"),
                }
            )
    return sorted(register, key=lambda r: (r["enterprise"], r["facility"]))
