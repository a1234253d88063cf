"""The office's control-room screen (issue 16.3): the few numbers the carbon-peak office watches,
each from the function every other view uses, so the big screen reads the same as the pages.

- the peak path with its band: the reference scenario's fan (services/scenarios.py);
- this year's energy and CO2 against the base's budgets, month by month: the cumulative use
  from the accepted monthly reports, the budget's pace by the base's own seasonal profile, and
  the forecast and level of services/warnings.py;
- the targets at risk: the statuses of ``scoped.tracking_for`` (the overview's one function);
- the budget warnings, the overdue tasks (the task board) and the monthly reports missing
  (the notices' rule: operating enterprises without an accepted report of last month).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import Engine

from carbonpeak.plan import Plan
from carbonpeak.services.accounts import Principal
from carbonpeak.services.charts import PALETTE, fan_figure, in_wan, line_figure
from carbonpeak.services.names import unit_ids
from carbonpeak.services.notice_events import not_reported, report_deadline
from carbonpeak.services.period_labels import month_names
from carbonpeak.services.scenarios import REFERENCE_SCENARIO, summary_for
from carbonpeak.services.scoped import scenario_for, tracking_for, warnings_for
from carbonpeak.services.snapshots import Snapshot
from carbonpeak.services.tasks import task_board
from carbonpeak.services.warnings import BUDGET_METRICS
from carbonpeak.tracking import seasonal_profile

__all__ = ["AT_RISK", "control_room_view"]

Translate = Callable[[str], str]
# The statuses the office can still act on (a missed target is history: the headline counts it).
AT_RISK = ("deterioration", "limited_progress", "acceleration_needed")
# The screen's large type: a chart's fonts at 1920 px, read from across a room.
SCREEN_FONT = 18


def _previous_month(day: date) -> str:
    month = (day.year * 12 + day.month - 2) % 12 + 1
    year = day.year if day.month > 1 else day.year - 1
    return f"{year:04d}-{month:02d}"


def _screen(figure: dict[str, Any]) -> dict[str, Any]:
    """A page figure set in the screen's type size."""
    layout = figure["layout"]
    layout["font"]["size"] = SCREEN_FONT
    layout["title"]["font"]["size"] = SCREEN_FONT + 4
    layout["margin"] = {"l": 80, "r": 30, "t": 30, "b": 60}
    return figure


def _monthly_base(snap: Snapshot, metric: str) -> dict[int, list[float]]:
    """The base's monthly use (regional method) per year, January first."""
    if snap.accounts is None:
        return {}
    by_year: dict[int, list[float]] = {}
    for row in snap.accounts.totals("base", "month").sort_values("period").to_dict("records"):
        by_year.setdefault(int(str(row["period"])[:4]), []).append(float(row[metric]))
    return by_year


def _budget_figure(
    kind: str, warning: dict[str, Any], snap: Snapshot, t: Translate, lang: str
) -> dict[str, Any]:
    """One budget's year: cumulative use by month against the budget's seasonal pace."""
    metric, unit = BUDGET_METRICS[kind]
    by_year = _monthly_base(snap, metric)
    year = int(warning["year"])
    used = by_year.get(year, [])
    profile = seasonal_profile([v for y, v in by_year.items() if y < year and len(v) == 12])
    months = month_names(lang)
    cumulative: list[float | None] = []
    running = 0.0
    for value in used:
        running += value
        cumulative.append(in_wan(running))
    pace: list[float | None] = []
    share = 0.0
    for month_share in profile:
        share += month_share
        pace.append(in_wan(warning["budget"] * share))
    figure = line_figure(
        f"{t(kind + '_budget')} {year}",
        f"万{unit}",
        months,
        {t("cumulative_use"): cumulative, t("budget_pace"): pace},
    )
    figure["data"][1]["line"] = {"color": PALETTE[1], "dash": "dash"}
    figure["data"].append(
        {
            "type": "scatter",
            "mode": "lines",
            "name": t("budget_line"),
            "x": months,
            "y": [in_wan(warning["budget"])] * 12,
            "line": {"color": PALETTE[4], "width": 2},
        }
    )
    return _screen(figure)


def _peak(
    engine: Engine, plan: Plan, snap: Snapshot, principal: Principal, t: Translate
) -> dict[str, Any]:
    summary = scenario_for(principal, snap, summary_for(engine, plan, REFERENCE_SCENARIO))
    fan = summary["fan"]["co2_emissions"]
    labels = {k: t(k) for k in ("p5_p95", "p25_p75", "median", "central", "actual")}
    return {
        "scenario": summary["scenario"],
        "title_zh": summary["title_zh"],
        "title_en": summary["title_en"],
        "peak_year": summary["peak_year"],
        "peak_year_median": summary["peak_year_median"],
        "p_peak_by_2030": summary["p_peak_by_2030"],
        "figure": _screen(
            fan_figure(
                t("peak_path"),
                "万tCO2",
                fan["quantiles"],
                {int(k): v for k, v in fan["central"].items()},
                summary["base_year"],
                labels,
            )
        ),
    }


def control_room_view(
    engine: Engine,
    plan: Plan,
    snap: Snapshot,
    principal: Principal,
    today: date,
    t: Translate,
    lang: str = "zh",
) -> dict[str, Any]:
    """Everything the control-room page shows, ready to render."""
    tracking = tracking_for(principal, snap)
    at_risk = sorted(
        (row for row in tracking["targets"] if row["status"] in AT_RISK),
        key=lambda row: (AT_RISK.index(row["status"]), row["clause"]),
    )
    warnings = warnings_for(principal, engine, plan, snap, None)
    base_budgets = {w["kind"]: w for w in warnings if w["scope"] == "base"}
    budgets = [
        {
            "kind": kind,
            "warning": base_budgets.get(kind),
            "figure": _budget_figure(kind, base_budgets[kind], snap, t, lang)
            if kind in base_budgets
            else None,
        }
        for kind in BUDGET_METRICS
    ]
    overdue = [row for row in task_board(engine, plan, today) if "overdue" in row["flags"]]
    period = _previous_month(today)
    due = report_deadline(period)
    missing = [{"code": code, "name_zh": name} for code, name in not_reported(engine, period)]
    return {
        "peak": _peak(engine, plan, snap, principal, t),
        "budgets": budgets,
        "status_counts": tracking["status_counts"],
        "at_risk": at_risk,
        "warnings": [
            {**w, "enterprise": snap.enterprises.get(w["scope"], {})}
            for w in warnings
            if w["level"] != "ok"
        ],
        "overdue_tasks": overdue,
        "unit_ids": unit_ids(plan),
        "missing_reports": {
            "period": period,
            "due": due.isoformat(),
            "late": today > due,
            "enterprises": missing,
        },
        "data_version": snap.version,
        "computed_at": snap.computed_at.strftime("%Y-%m-%d %H:%M"),
    }
