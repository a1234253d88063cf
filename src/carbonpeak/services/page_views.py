"""The view models of the server-rendered pages: what each page shows, computed here so the page
handlers only choose, call and render. ``t`` is the page's translator (a label key → its text in
the page's language); ``lang`` picks Chinese or English names."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import Engine

from carbonpeak.messages import LANGUAGES
from carbonpeak.plan import Plan
from carbonpeak.scenarios import NO_PEAK
from carbonpeak.services.accounts import Principal, Role
from carbonpeak.services.charts import bar_figure, fan_figure, in_wan, line_figure
from carbonpeak.services.indicator_reports import reportable_indicators
from carbonpeak.services.lineage import lineage_href
from carbonpeak.services.names import recipient_names, scope_name, unit_ids
from carbonpeak.services.period_labels import full_years, year_label
from carbonpeak.services.snapshots import Snapshot
from carbonpeak.services.tasks import task_board
from carbonpeak.services.views import energy_carbon

__all__ = [
    "assessment_years",
    "energy_view",
    "enterprise_figure",
    "enterprises_view",
    "overview_figure",
    "reports_view",
    "scenario_view",
    "tasks_view",
    "warning_rows",
]

Translate = Callable[[str], str]
# The indicator behind each kind of budget: its value of the year before the budget's.
BUDGET_INDICATORS = {"carbon": "co2_emissions", "energy": "energy_intensity_gdp"}
# The months the energy page charts at monthly frequency, and the groups it stacks.
RECENT_MONTHS = 24
TOP_GROUPS = 8
# The months of the table at monthly frequency.
TABLE_MONTHS = 3


def overview_figure(yearly: list[dict[str, Any]], t: Translate, lang: str = "zh") -> dict[str, Any]:
    """The base's energy and CO2 per full year, in 万. A year still in progress is not drawn
    beside the full years (it would read as a fall): the chart names it and its months."""
    full, partial = full_years(yearly)
    figure = line_figure(
        t("energy"),
        "万tce / 万tCO2",
        [y["year"] for y in full],
        {
            t("energy_tce"): [in_wan(y["energy_consumption_tce"]) for y in full],
            t("co2_wt"): [in_wan(y["co2_net_t"]) for y in full],
        },
    )
    if partial:
        names = "、".join(year_label(y["year"], y["months"], lang) for y in partial)
        figure["layout"]["title"]["subtitle"] = {
            "text": f"{t('partial_year_not_charted')}: {names}"
        }
    return figure


def energy_view(
    rows: list[dict[str, Any]],
    intensity: list[dict[str, Any]],
    level: str,
    frequency: str,
    lang: str,
    t: Translate,
) -> dict[str, Any]:
    """The energy page: the largest groups' CO2 stacked per period, the intensities against
    2020, and the table's rows (the last three months at monthly frequency)."""
    periods = sorted({r["period"] for r in rows})
    names: dict[str, str] = {}
    for row in rows:
        names[row.get(level, "")] = (
            row["name_zh"] if lang == "zh" else (row.get("name_en") or row["name_zh"])
        )
    recent = periods[-RECENT_MONTHS:] if frequency == "month" else periods
    co2 = {g: sum(r["co2_net_t"] or 0 for r in rows if r[level] == g) for g in names}
    top = sorted(names, key=lambda g: -co2[g])[:TOP_GROUPS]
    cells = {(r[level], r["period"]): r["co2_net_t"] for r in rows}
    series = {names[g]: [in_wan(cells.get((g, p))) for p in recent] for g in top}
    shown = (
        [r for r in rows if r["period"] in recent[-TABLE_MONTHS:]] if frequency == "month" else rows
    )
    return {
        "rows": sorted(shown, key=lambda r: (r["period"], r.get(level, ""))),
        "figure": bar_figure(t("co2_wt"), "万tCO2", recent, series),
        "intensity_figure": line_figure(
            t("intensity"),
            "%",
            [str(r["year"]) for r in intensity],
            {
                t("energy_intensity"): [r["energy_intensity_gdp_vs_base_pct"] for r in intensity],
                t("co2_intensity"): [r["co2_intensity_gdp_vs_base_pct"] for r in intensity],
            },
        ),
    }


def enterprises_view(snap: Snapshot) -> dict[str, Any]:
    """The enterprises with their accounts of the latest accounted year."""
    rows = energy_carbon(snap, "enterprise", "year")
    last_year = max((r["period"] for r in rows), default="")
    return {
        "enterprises": list(snap.enterprises.values()),
        "latest": {r["enterprise"]: r for r in rows if r["period"] == last_year},
        "last_year": last_year,
    }


def enterprise_figure(monthly: list[dict[str, Any]], t: Translate) -> dict[str, Any]:
    """An enterprise's last 24 months: CO2 as bars, energy as a line."""
    recent = monthly[-RECENT_MONTHS:]
    months = [r["period"] for r in recent]
    figure = bar_figure(
        t("monthly"),
        "tCO2 / tce",
        months,
        {t("co2_wt").split(" ")[0]: [r["co2_net_t"] for r in recent]},
    )
    figure["layout"]["barmode"] = "group"
    figure["data"].append(
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": t("energy_tce").split(" ")[0],
            "x": months,
            "y": [r["energy_consumption_tce"] for r in recent],
        }
    )
    return figure


def tasks_view(engine: Engine, plan: Plan, principal: Principal, today: date) -> dict[str, Any]:
    """The task board by lead unit, the tasks the caller may report on, and the indicators a
    unit reports."""
    board = task_board(engine, plan, today)
    units: dict[str, list[dict[str, Any]]] = {}
    for task in board:
        units.setdefault(task["lead_unit"], []).append(task)
    own: set[str] = set()
    reportable: list[Any] = []
    if principal.role is Role.unit and principal.organisation:
        own = {t.id for _, t, _ in plan.tasks_of(principal.organisation)}
        reportable = [
            plan.indicator(i) for i in reportable_indicators(plan, principal.organisation)
        ]
    elif principal.role is Role.admin:
        own = {task["task"] for task in board}
    return {"units": units, "own": own, "reportable": reportable, "unit_ids": unit_ids(plan)}


def assessment_years(snap: Snapshot, year: int | None, today: date) -> tuple[list[int], int]:
    """The years with values, and the one to show: the asked one, else the latest."""
    years = sorted({v.year for v in snap.values})
    return years, year or (years[-1] if years else today.year)


def reports_view(snap: Snapshot) -> dict[str, Any]:
    """The reports offered: the last twelve accounted months, the complete years (newest
    first) and the enterprises."""
    months = (
        sorted({str(p) for p in snap.accounts.rows["period"].unique()})
        if snap.accounts is not None
        else []
    )
    years = sorted({int(m[:4]) for m in months if m.endswith("-12")})
    return {
        "months": months[::-1][:12],
        "years": years[::-1],
        "enterprises": list(snap.enterprises.values()),
    }


def scenario_view(summary: dict[str, Any], plan: Plan, lang: str, t: Translate) -> dict[str, Any]:
    """A scenario's CO2 fan chart and its peak-year distribution (%), with the names of the
    plan's indicators and its targets' stated texts."""
    fan = summary["fan"]["co2_emissions"]
    labels = {k: t(k) for k in ("p5_p95", "p25_p75", "median", "central", "actual")}
    distribution = summary["peak_year_distribution"]
    return {
        "figure": fan_figure(
            t("co2_wt"),
            "万tCO2",
            fan["quantiles"],
            {int(k): v for k, v in fan["central"].items()},
            summary["base_year"],
            labels,
        ),
        "peak_figure": bar_figure(
            t("peak_distribution"),
            "%",
            [k if k != NO_PEAK else t("not_peaked") for k in distribution],
            {t("probability"): [100 * v for v in distribution.values()]},
        ),
        "no_peak": NO_PEAK,
        "indicator_names": {
            i.id: i.name_zh if lang == "zh" else i.name_en for i in plan.indicators
        },
        "stated": {target.id: target.stated for target in plan.targets},
    }


def warning_rows(
    rows: list[dict[str, Any]], principal: Principal, plan: Plan, snap: Snapshot
) -> list[dict[str, Any]]:
    """Budget warnings with their links (an enterprise's page and account for those who may see
    it, else the base indicator the budget was set from, the year before) and their scope and
    recipients by name in each language (``scope_zh``, ``recipients_en``)."""
    sees_enterprise = principal.role in (Role.admin, Role.enterprise)
    shown = []
    for row in rows:
        for language in LANGUAGES:
            row = {
                **row,
                f"scope_{language}": scope_name(snap.enterprises, row["scope"], language),
                f"recipients_{language}": recipient_names(
                    plan, snap.enterprises, row["recipients"], language
                ),
            }
        own = row["scope"] != "base" and sees_enterprise
        lineage = (
            lineage_href(enterprise=row["scope"], period=row["year"])
            if own
            else lineage_href(
                indicator=BUDGET_INDICATORS.get(row["kind"], "energy_intensity_gdp"),
                year=row["year"] - 1,
            )
        )
        enterprise_page = f"/enterprises/{row['scope']}" if own else None
        shown.append({**row, "lineage": lineage, "enterprise_page": enterprise_page})
    return shown
