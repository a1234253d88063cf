"""What each role may see, in one place: the API and the pages both ask here, so an enterprise
sees its own enterprise only and a unit its own scorecard and warnings, wherever it looks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from carbonpeak.errors import Forbidden
from carbonpeak.messages import message
from carbonpeak.plan import Plan
from carbonpeak.reports.disclosure import Reason
from carbonpeak.services import dashboard
from carbonpeak.services.accounts import Principal, Role
from carbonpeak.services.assessment import assessment
from carbonpeak.services.confidential import (
    BUDGET_NUMBERS,
    budget_reasons,
    disclosure,
    intensity_reasons,
)
from carbonpeak.services.warnings import budget_warnings

__all__ = [
    "Forbidden",
    "assessment_for",
    "base_totals_for",
    "check_enterprise",
    "comparison_for",
    "energy_carbon_for",
    "indicators_for",
    "intensities_for",
    "lineage_for",
    "scenario_for",
    "tracking_for",
    "warnings_for",
]


def check_enterprise(principal: Principal, code: str) -> None:
    """The office sees every enterprise; an enterprise account its own; nobody else any."""
    if principal.role is Role.admin:
        return
    if principal.role is not Role.enterprise:
        raise Forbidden(
            message(
                "error.role_sees_no_enterprise_data",
                role=message(f"role_name.{principal.role.value}"),
            )
        )
    if principal.enterprise != code:
        raise Forbidden(message("error.own_enterprise_only"))


def lineage_for(principal: Principal, snap: dashboard.Snapshot, **selection: Any) -> dict[str, Any]:
    """``dashboard.lineage_view`` as the caller may see it: an enterprise's account only for the
    office and that enterprise, the enterprises behind a total and behind an indicator value only
    for the office."""
    if selection.get("enterprise") is not None:
        check_enterprise(principal, str(selection["enterprise"]))
    elif selection.get("indicator") is None and principal.role is not Role.admin:
        raise Forbidden(message("error.office_sees_contributors"))
    view = dashboard.lineage_view(snap, **selection)
    if principal.role is not Role.admin:
        view.pop("enterprises", None)
    if view["kind"] == "indicator_value":
        hidden = _indicator_hidden(snap, view["indicator"])
        office = _office(principal)
        view["values"] = [
            _marked(v, _value_hidden(hidden, v["year"]), office) for v in view["values"]
        ]
    elif view["kind"] == "group_total":  # the office's only: told which totals are confidential
        level, key, period = view["level"], view["key"], view["period"] or ""
        reasons = disclosure(snap).row(level, key, period)
        view["confidential_reasons"] = {m: r.value for m, r in sorted(reasons.items())}
    return view


def _unit_name(plan: Plan, principal: Principal) -> str:
    return plan.organisation(principal.organisation or "").name_zh


def warnings_for(
    principal: Principal, engine: Engine, plan: Plan, snap: dashboard.Snapshot, year: int | None
) -> list[dict[str, Any]]:
    """Budget forecasts: all for the office, an enterprise's own, those sent to a unit."""
    if principal.role is Role.viewer:
        raise Forbidden(message("error.viewer_no_warnings"))
    rows = [
        _base_budget(r, snap, principal) for r in budget_warnings(engine, plan, year, snap.accounts)
    ]
    if principal.role is Role.enterprise:
        return [r for r in rows if r["scope"] == principal.enterprise]
    if principal.role is Role.unit:
        name = _unit_name(plan, principal)
        return [_levels_only(r) for r in rows if name in r["recipients"]]
    return rows


def _levels_only(row: dict[str, Any]) -> dict[str, Any]:
    """An enterprise's budget warning as a responsible unit sees it: who, and how serious; its
    use and forecast are that enterprise's own figures (a cell of one enterprise)."""
    if row["scope"] == "base":
        return row
    marked = _marked(row, dict.fromkeys(BUDGET_NUMBERS, Reason.few_contributors), False)
    marked["reasoning"] = marked["reasoning_zh"] = CONFIDENTIAL_REASONING
    return marked


def _base_budget(
    row: dict[str, Any], snap: dashboard.Snapshot, principal: Principal
) -> dict[str, Any]:
    """A budget of the base uses the base's totals: marked where the year's is confidential."""
    hidden = budget_reasons(snap, row)
    marked = _marked(row, hidden, _office(principal))
    if hidden and not _office(principal):
        marked["reasoning"] = marked["reasoning_zh"] = CONFIDENTIAL_REASONING
    return marked


def assessment_for(
    principal: Principal, engine: Engine, plan: Plan, snap: dashboard.Snapshot, year: int
) -> dict[str, Any]:
    """The year's scorecards: all for the office, a unit's own for the unit."""
    if principal.role not in (Role.admin, Role.unit):
        raise Forbidden(
            message(
                "error.role_sees_no_assessment", role=message(f"role_name.{principal.role.value}")
            )
        )
    result = assessment(engine, plan, year, snap.accounts)
    if principal.role is Role.unit:
        name = _unit_name(plan, principal)
        result["scorecards"] = [c for c in result["scorecards"] if c["unit"] == name]
        result["named"] = [n for n in result["named"] if n == name]
        result["targets"] = [t for t in result["targets"] if t["lead_unit"] == name]
        result["tasks"] = [t for t in result["tasks"] if t["lead_unit"] == name]
    office = _office(principal)
    result["targets"] = [
        _tracked(t, _indicator_hidden(snap, t["indicator"]), office) for t in result["targets"]
    ]
    return result


# -- aggregates: confidential cells (services.confidential) ------------------------------------

CONFIDENTIAL_REASONING = (
    "保密：由个别企业数据构成，不予公开 · confidential: made of few enterprises' data"
)
# The numbers of a target's assessment that give back its latest value, or its base-year value.
_FROM_LATEST = (
    "latest_value",
    "current_value",
    "value",  # the target's value in its own unit
    "scenario_median",  # projected from the latest accounted year
    "observed_cagr",
    "ratio",
    "gap_to_path",
    "extrapolated",
    "achieved_reduction_pct",
)
_FROM_BASE = (
    "base_value",
    "target_level",  # a reduction target's level is the base year's value less the reduction
    "observed_cagr",
    "required_cagr",
    "ratio",
    "path_value",
    "gap_to_path",
    "extrapolated",
    "achieved_reduction_pct",
    "value",  # a reduction target's value is the reduction against the base year
    "current_value",
)


def _office(principal: Principal) -> bool:
    return principal.role is Role.admin


def _marked(row: dict[str, Any], hidden: dict[str, Reason], office: bool) -> dict[str, Any]:
    """A row with its confidential metrics marked: the office keeps the values and is told the
    reasons; everyone else gets null in their place."""
    marked = dict(row)
    marked["confidential"] = bool(hidden)
    marked["confidential_metrics"] = sorted(hidden)
    if office:
        marked["confidential_reasons"] = {m: r.value for m, r in sorted(hidden.items())}
    else:
        for metric in hidden:
            marked[metric] = None
    return marked


def energy_carbon_for(
    principal: Principal,
    snap: dashboard.Snapshot,
    level: str = "division",
    frequency: str = "year",
    period: str | None = None,
) -> list[dict[str, Any]]:
    """``dashboard.energy_carbon`` as the caller may see it: enterprise rows for the office and
    an enterprise's own; division and sector cells with their confidential metrics marked."""
    if level == "enterprise" and principal.role not in (Role.admin, Role.enterprise):
        raise Forbidden(
            message(
                "error.role_sees_no_enterprise_rows",
                role=message(f"role_name.{principal.role.value}"),
            )
        )
    rows = dashboard.energy_carbon(snap, level, frequency, period)
    if level == "enterprise":
        if principal.role is Role.enterprise:
            rows = [r for r in rows if r["enterprise"] == principal.enterprise]
        return rows
    secret = disclosure(snap)
    office = _office(principal)
    return [_marked(r, secret.row(level, r[level], r["period"]), office) for r in rows]


def base_totals_for(principal: Principal, snap: dashboard.Snapshot) -> list[dict[str, Any]]:
    """The base's yearly totals, confidential metrics marked (dominance can reach the base)."""
    secret = disclosure(snap)
    office = _office(principal)
    return [
        _marked(r, secret.row("base", "", r["year"]), office) for r in dashboard.base_totals(snap)
    ]


def _indicator_hidden(snap: dashboard.Snapshot, indicator: str) -> dict[str, Reason]:
    return {
        str(year): reason
        for (name, year), reason in disclosure(snap).indicators.items()
        if name == indicator
    }


def _tracked(row: dict[str, Any], hidden: dict[str, Reason], office: bool) -> dict[str, Any]:
    """A target's or goal's row with its confidential years marked; for all but the office the
    years leave the series, and every number that gives back a hidden base-year or latest value
    is null."""
    marked = dict(row)
    years = sorted(y for y in hidden if y in row.get("series", {}))
    marked["confidential"] = bool(years)
    marked["confidential_years"] = years
    if not years:
        return marked
    if office:
        marked["confidential_reasons"] = {y: hidden[y].value for y in years}
        return marked
    marked["series"] = {y: v for y, v in row["series"].items() if y not in hidden}
    numbers: set[str] = set()
    if str(row.get("latest_year")) in hidden:
        numbers.update(_FROM_LATEST)
    if str(row.get("base_year")) in hidden:
        numbers.update(_FROM_BASE)
    for key in numbers & set(marked):
        marked[key] = None
    # The reasoning quotes the numbers (the latest, the base, later years'): replaced.
    marked["reasoning"] = marked["reasoning_zh"] = CONFIDENTIAL_REASONING
    return marked


def tracking_for(principal: Principal, snap: dashboard.Snapshot) -> dict[str, Any]:
    """``dashboard.overview`` with the targets and goals whose values are confidential marked."""
    view = dashboard.overview(snap)
    office = _office(principal)
    view["targets"] = [
        _tracked(t, _indicator_hidden(snap, t["indicator"]), office) for t in view["targets"]
    ]
    view["goals"] = [
        _tracked(g, _indicator_hidden(snap, g["indicator"]), office) for g in view["goals"]
    ]
    return view


def indicators_for(
    principal: Principal, snap: dashboard.Snapshot, indicator: str | None, year: int | None
) -> list[dict[str, Any]]:
    """Indicator values per year, each with its source; confidential ones marked (null but for
    the office)."""
    hidden = disclosure(snap).indicators
    office = _office(principal)
    rows = []
    for v in snap.values:
        if v.period is not None or (indicator is not None and v.indicator != indicator):
            continue
        if year is not None and v.year != year:
            continue
        row = {
            "indicator": v.indicator,
            "year": v.year,
            "value": v.value,
            "unit": v.unit,
            "source": v.source,
        }
        reason = hidden.get((v.indicator, v.year))
        row = _marked(row, {"value": reason} if reason is not None else {}, office)
        rows.append(row)
    return rows


def _value_hidden(hidden: dict[str, Reason], year: object) -> dict[str, Reason]:
    reason = hidden.get(str(year))
    return {"value": reason} if reason is not None else {}


def intensities_for(principal: Principal, snap: dashboard.Snapshot) -> list[dict[str, Any]]:
    """``dashboard.intensities`` with confidential years marked."""
    office = _office(principal)
    return [
        _marked(row, intensity_reasons(snap, row["year"]), office)
        for row in dashboard.intensities(snap)
    ]


def _scenario_hidden(snap: dashboard.Snapshot, indicator: str) -> dict[str, Reason]:
    """Years whose value of a scenario indicator is confidential (a projection from a
    confidential base year gives that value back through the scenario's assumptions)."""
    if indicator == "energy_consumption":  # the scenarios' name for the base's energy
        cells = disclosure(snap).cells
        return {
            period: reason
            for (level, _key, period, metric), reason in cells.items()
            if level == "base" and len(period) == 4 and metric == "energy_consumption_tce"
        }
    return _indicator_hidden(snap, indicator)


def scenario_for(
    principal: Principal, snap: dashboard.Snapshot, summary: dict[str, Any]
) -> dict[str, Any]:
    """A scenario's summary (or a comparison's entry) as the caller may see it: a target's
    projected median and a fan's years are hidden where the indicator's value in the base year
    (or that year) is confidential."""
    office = _office(principal)
    shown = dict(summary)
    base_year = str(summary.get("base_year"))
    targets = []
    for row in summary.get("targets", []):
        hidden = _scenario_hidden(snap, row["indicator"])
        reasons = {"median": hidden[base_year]} if base_year in hidden else {}
        targets.append(_marked(row, reasons, office))
    shown["targets"] = targets
    if "fan" in summary:
        shown["fan"] = {}
        for indicator, fan in summary["fan"].items():
            hidden = _scenario_hidden(snap, indicator)
            shown["fan"][indicator] = {
                **fan,
                "quantiles": [
                    _marked(q, _quantile_hidden(q, hidden), office) for q in fan["quantiles"]
                ],
                "central": {
                    year: None if str(year) in hidden and not office else value
                    for year, value in fan["central"].items()
                },
            }
    return shown


def _quantile_hidden(quantile: dict[str, Any], hidden: dict[str, Reason]) -> dict[str, Reason]:
    reason = hidden.get(str(quantile["year"]))
    if reason is None:
        return {}
    return {key: reason for key in quantile if key != "year"}


def comparison_for(
    principal: Principal, snap: dashboard.Snapshot, comparison: dict[str, Any]
) -> dict[str, Any]:
    """``services.scenarios.compare`` with each scenario's entry as ``scenario_for`` shows it."""
    return {
        **comparison,
        "scenarios": [scenario_for(principal, snap, s) for s in comparison["scenarios"]],
    }
