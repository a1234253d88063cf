"""What each role may see, in one place: the API and the pages both ask here, so an enterprise
sees its own enterprise only and a unit its own scorecard and warnings, wherever it looks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from carbonpeak.plan import Plan
from carbonpeak.services import dashboard
from carbonpeak.services.accounts import Principal, Role
from carbonpeak.services.assessment import assessment
from carbonpeak.services.warnings import budget_warnings

__all__ = ["Forbidden", "assessment_for", "check_enterprise", "lineage_for", "warnings_for"]


class Forbidden(Exception):
    """The caller's role may not see this."""


def check_enterprise(principal: Principal, code: str) -> None:
    """The office sees every enterprise; an enterprise account its own; nobody else any."""
    if principal.role is Role.admin:
        return
    if principal.role is not Role.enterprise:
        raise Forbidden(f"the {principal.role.value} role sees no enterprise's own data")
    if principal.enterprise != code:
        raise Forbidden("an enterprise account sees only its own enterprise")


def lineage_for(principal: Principal, snap: dashboard.Snapshot, **selection: Any) -> dict[str, Any]:
    """``dashboard.lineage_view`` as the caller may see it: an enterprise's account only for the
    office and that enterprise, the enterprises behind a total and behind an indicator value only
    for the office."""
    if selection.get("enterprise") is not None:
        check_enterprise(principal, str(selection["enterprise"]))
    elif selection.get("indicator") is None and principal.role is not Role.admin:
        raise Forbidden("only the office sees the enterprises behind a total")
    view = dashboard.lineage_view(snap, **selection)
    if principal.role is not Role.admin:
        view.pop("enterprises", None)
    return view


def _unit_name(plan: Plan, principal: Principal) -> str:
    return plan.organisation(principal.organisation or "").name_zh


def warnings_for(
    principal: Principal, engine: Engine, plan: Plan, snap: dashboard.Snapshot, year: int | None
) -> list[dict[str, Any]]:
    """Budget forecasts: all for the office, an enterprise's own, those sent to a unit."""
    if principal.role is Role.viewer:
        raise Forbidden("the viewer role sees no budget warnings")
    rows = budget_warnings(engine, plan, year, snap.accounts)
    if principal.role is Role.enterprise:
        return [r for r in rows if r["scope"] == principal.enterprise]
    if principal.role is Role.unit:
        name = _unit_name(plan, principal)
        return [r for r in rows if name in r["recipients"]]
    return rows


def assessment_for(
    principal: Principal, engine: Engine, plan: Plan, snap: dashboard.Snapshot, year: int
) -> dict[str, Any]:
    """The year's scorecards: all for the office, a unit's own for the unit."""
    if principal.role not in (Role.admin, Role.unit):
        raise Forbidden(f"the {principal.role.value} role sees no assessment")
    result = assessment(engine, plan, year, snap.accounts)
    if principal.role is Role.unit:
        name = _unit_name(plan, principal)
        result["scorecards"] = [c for c in result["scorecards"] if c["unit"] == name]
        result["named"] = [n for n in result["named"] if n == name]
        result["targets"] = [t for t in result["targets"] if t["lead_unit"] == name]
        result["tasks"] = [t for t in result["tasks"] if t["lead_unit"] == name]
    return result
