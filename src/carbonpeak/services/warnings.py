"""Early warnings on energy and carbon budgets, for enterprises and the base.

Each budget's year is forecast from the accepted monthly reports so far and the unit's own
seasonal profile (its past full years); a unit on course to exceed its budget is warned, and so
is the responsible unit the plan names: for energy budgets the lead of 三(二)1 (用能预算管理),
for carbon budgets the carbon-peak office.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from carbonpeak.accounting import Accounts
from carbonpeak.messages import message
from carbonpeak.plan import Plan
from carbonpeak.services.audit import AuditWriter
from carbonpeak.services.indicators import accepted_accounts
from carbonpeak.storage import BudgetRow
from carbonpeak.tracking import Level, forecast_budget, seasonal_profile

__all__ = ["BUDGET_METRICS", "ENERGY_BUDGET_TASK", "budget_warnings", "set_budget"]

# Levels that are sent to the unit and the responsible unit; a watched budget is only shown.
WARNED = (Level.warning, Level.exceeded)

BUDGET_METRICS = {"energy": ("energy_consumption_tce", "tce"), "carbon": ("co2_net_t", "tCO2")}
ENERGY_BUDGET_TASK = "三(二)1"  # 强化用能预算管理


def set_budget(engine: Engine, scope: str, year: int, kind: str, value: float, actor: str) -> bool:
    """Set (or replace) a budget; ``scope`` is an enterprise code or ``base``. Returns whether
    anything changed: setting the same value again writes nothing."""
    if kind not in BUDGET_METRICS:
        raise ValueError(message("error.warnings.budget_kind", kinds=", ".join(BUDGET_METRICS)))
    if value <= 0:
        raise ValueError(message("error.warnings.budget_positive"))
    with Session(engine) as session, session.begin():
        row = session.scalars(
            select(BudgetRow).where(
                BudgetRow.scope == scope, BudgetRow.year == year, BudgetRow.kind == kind
            )
        ).one_or_none()
        previous = row.value if row else None
        if previous == value:
            return False
        if row is None:
            row = BudgetRow(
                scope=scope, year=year, kind=kind, value=value, unit=BUDGET_METRICS[kind][1]
            )
            session.add(row)
        row.value = value
        AuditWriter(session).append(
            actor,
            "budget",
            "budget",
            f"{scope}/{year}/{kind}",
            {"value": value, "previous": previous},
        )
    return True


def _monthly(totals: pd.DataFrame, metric: str) -> dict[int, list[float]]:
    """Month-by-month use per year (January first), for the years present."""
    series: dict[int, list[float]] = {}
    for row in totals.sort_values("period").to_dict("records"):
        series.setdefault(int(str(row["period"])[:4]), []).append(float(row[metric]))
    return series


def budget_warnings(
    engine: Engine, plan: Plan, year: int | None = None, accounts: Accounts | None = None
) -> list[dict[str, Any]]:
    """A forecast per budget of ``year`` (default: the latest year with reports)."""
    with Session(engine) as session:
        budgets = session.scalars(select(BudgetRow)).all()
        session.expunge_all()
    result = accounts if accounts is not None else accepted_accounts(engine)
    if result is None or not budgets:
        return []
    by_enterprise = result.totals("enterprise")
    base = result.totals("base")
    latest = int(max(str(p) for p in base["period"])[:4])
    year = year or latest
    office = next(o for o in plan.organisations if "office" in o.roles)
    energy_lead = plan.organisation(plan.task(ENERGY_BUDGET_TASK)[1].responsible_units[0])
    rows = []
    for budget in (b for b in budgets if b.year == year):
        metric, unit = BUDGET_METRICS[budget.kind]
        frame = (
            base
            if budget.scope == "base"
            else by_enterprise[by_enterprise["enterprise"].astype(str) == budget.scope]
        )
        monthly = _monthly(frame, metric)
        if year not in monthly:
            continue
        history = [v for y, v in monthly.items() if y < year and len(v) == 12]
        forecast = forecast_budget(monthly[year], budget.value, seasonal_profile(history))
        lead = energy_lead if budget.kind == "energy" else office
        recipients = ([] if budget.scope == "base" else [budget.scope]) + [lead.name_zh]
        rows.append(
            {
                "scope": budget.scope,
                "year": year,
                "kind": budget.kind,
                "unit": unit,
                "recipients": recipients if forecast.level in WARNED else [],
                "profile_years": len(history),
                **forecast.as_dict(),
            }
        )
    order = {
        Level.exceeded.value: 0,
        Level.warning.value: 1,
        Level.watch.value: 2,
        Level.ok.value: 3,
    }
    return sorted(rows, key=lambda r: (order[r["level"]], -r["forecast_share"]))
