"""The tables the base's reports are made of: energy and CO2 by division with the base total,
targets, budget warnings, tasks; confidential cells marked (services.confidential)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine

from carbonpeak.errors import NotFound
from carbonpeak.messages import message, text
from carbonpeak.plan import Plan
from carbonpeak.reports import Column, Table
from carbonpeak.reports.disclosure import EDITION_NOTE, Reason, confidential_column, mark_row
from carbonpeak.services import dashboard
from carbonpeak.services.confidential import (
    Disclosure,
    budget_reasons,
    disclosure,
)
from carbonpeak.services.tasks import task_board
from carbonpeak.services.warnings import budget_warnings
from carbonpeak.tracking.method import status_label
from carbonpeak.units import WAN, unit_label

__all__ = [
    "BUDGET_NAMES",
    "COMPARATOR_SIGN",
    "INTENSITY_NAMES",
    "division_table",
    "energy_columns",
    "in_wan",
    "target_table",
    "task_table",
    "warning_table",
]

# How a comparator reads beside a target value (the glossary's 以上/超过/以下/低于/左右).
COMPARATOR_SIGN = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "approx": "≈"}


def energy_columns() -> tuple[Column, ...]:
    return (
        Column("energy_consumption_wtce", "能源消费量", "Energy (excl. feedstock)", "万tce", 2),
        Column("energy_gross_wtce", "综合能源消费量", "Gross energy", "万tce", 2),
        Column("co2_net_wt", "二氧化碳净排放", "Net CO2", "万tCO2", 2),
        Column("co2_process_wt", "过程排放", "Process CO2", "万tCO2", 2),
    )


# The shown metrics the report's energy columns hold, in 万.
IN_WAN = {
    "energy_consumption_tce": "energy_consumption_wtce",
    "energy_gross_tce": "energy_gross_wtce",
    "co2_net_t": "co2_net_wt",
    "co2_process_t": "co2_process_wt",
}


def in_wan(row: dict[str, Any]) -> dict[str, Any]:
    scaled = dict(row)
    for metric, name in IN_WAN.items():
        value = row.get(metric)
        scaled[name] = None if value is None else float(value) / WAN
    return scaled


def _cells(secret: Disclosure, level: str, key: str, period: str) -> dict[str, Reason]:
    """The confidential cells of one row, by the report's column keys."""
    return {IN_WAN[m]: r for m, r in secret.row(level, key, period).items() if m in IN_WAN}


def division_table(
    snap: dashboard.Snapshot,
    frequency: str,
    period: str,
    title: tuple[str, str],
    public: bool = False,
) -> Table:
    divisions = dashboard.energy_carbon(snap, "division", frequency, period)
    if not divisions:
        raise NotFound(message("error.no_accepted_reports", period=period))
    secret = disclosure(snap)
    names = {column.key: column.header_zh for column in energy_columns()}
    rows = [
        mark_row(in_wan(r), _cells(secret, "division", r["division"], r["period"]), public, names)
        for r in divisions
    ]
    total: dict[str, object] = {
        "division": "",
        "name_zh": text("report.sum_of_units", "zh"),
    }
    for column in energy_columns():
        total[column.key] = sum(float(in_wan(r)[column.key] or 0) for r in divisions)
    base_cells = _cells(secret, "base", "", divisions[0]["period"])
    total = mark_row(total, base_cells, public, names)
    rows.append(total)
    if snap.accounts is not None:
        level = snap.accounts.totals("base", "month" if frequency == "month" else "year")
        key = "period" if frequency == "month" else "year"
        match = level[level[key].astype(str) == str(period)].to_dict("records")
        if match:
            whole = {str(k): v for k, v in match[0].items()}
            rows.append(
                mark_row(
                    {
                        **in_wan(whole),
                        "division": "",
                        "name_zh": text("report.base_total", "zh"),
                    },
                    base_cells,
                    public,
                    names,
                )
            )
    return Table(
        *title,
        (
            Column("division", "行业代码", "GB/T 4754"),
            Column("name_zh", "行业", "Division"),
            *energy_columns(),
            *confidential_column(public),
        ),
        tuple(rows),
        "能源消费量不含原料用能（发改环资〔2022〕803号）。基地总量按区域法核算：基地内直接排放加净调入"
        "电力热力的隐含排放，基地内单位之间的电力热力交易不重复计算；各单位自身核算之和重复计算了"
        "基地内发电。" + EDITION_NOTE[public],
    )


# The reader's names of the figures a report may mark confidential.
BUDGET_NAMES = {
    "used": "已用",
    "used_share": "已用比例",
    "forecast": "全年预测",
    "forecast_share": "预测/预算",
}
INTENSITY_NAMES = {
    "energy_intensity_gdp": "能耗强度",
    "energy_intensity_gdp_vs_base_pct": "能耗强度较2020年",
    "co2_intensity_gdp": "碳排放强度",
    "co2_intensity_gdp_vs_base_pct": "碳排放强度较2020年",
}


def target_table(engine: Engine, snap: dashboard.Snapshot, year: int, public: bool) -> Table:
    """Every target as of ``year``: its status and its value in the target's own unit."""
    rows = []
    hidden = disclosure(snap).indicators
    for row in dashboard.targets_for_year(engine, snap, year):
        reason = hidden.get((row["indicator"], row.get("value_year") or 0))
        marks = {"latest": reason} if reason is not None else {}
        rows.append(
            mark_row(
                {
                    "clause": row["clause"],
                    "name_zh": row["name_zh"],
                    "target": f"{COMPARATOR_SIGN[row['comparator']]} {row['target']:g} "
                    f"{unit_label(row['target_unit'])}".strip(),
                    "year": row["year"],
                    "latest": row["value"],
                    "latest_year": row["value_year"],
                    "status": status_label(row["status"]),
                    "lead_unit": row["lead_unit"],
                },
                marks,
                public,
                {"latest": "最新值"},
            )
        )
    return Table(
        "量化目标进展",
        "Progress on the quantitative targets",
        (
            Column("clause", "条款", "Clause"),
            Column("name_zh", "指标", "Indicator"),
            Column("target", "目标", "Target"),
            Column("year", "目标年", "Year"),
            Column("latest", "最新值", "Latest", digits=2),
            Column("latest_year", "年份", "Of"),
            Column("status", "状态", "Status", nowrap=True),
            Column("lead_unit", "牵头单位", "Lead unit"),
            *confidential_column(public),
        ),
        tuple(rows),
        EDITION_NOTE[public],
    )


def warning_table(engine: Engine, snap: dashboard.Snapshot, year: int, public: bool) -> Table:
    """Budget forecasts; the public edition keeps the base's only (an enterprise's budget is its
    own data), with the base's confidential figures withheld."""
    rows = [
        mark_row(_readable_warning(snap, row), budget_reasons(snap, row), public, BUDGET_NAMES)
        for row in budget_warnings(engine, snap.plan, year, snap.accounts)
        if row["scope"] == "base" or not public
    ]
    return Table(
        "用能与碳排放预算预警",
        "Budget warnings",
        (
            Column("scope", "对象", "Scope"),
            Column("kind", "类别", "Kind"),
            Column("budget", "预算", "Budget", digits=0),
            Column("used", "已用", "Used", digits=0),
            Column("forecast", "全年预测", "Forecast", digits=0),
            Column("forecast_share", "预测/预算", "Forecast share", digits=3),
            Column("level", "级别", "Level"),
            Column("recipients", "通知", "Sent to"),
            *confidential_column(public),
        ),
        tuple(rows),
        None if rows else text("report.no_budgets", "zh"),
    )


def _readable_warning(snap: dashboard.Snapshot, row: dict[str, Any]) -> dict[str, Any]:
    """A budget warning's cells as a reader reads them: enterprises by name, kind and level by
    the catalogue's words."""

    def name(scope: str) -> str:
        if scope == "base":
            return text("report.base", "zh")
        enterprise = snap.enterprises.get(scope)
        return str(enterprise["name_zh"]) if enterprise else scope

    return {
        **row,
        "scope": name(row["scope"]),
        "kind": text(f"report.budget_kind.{row['kind']}", "zh"),
        "level": text(f"report.warning_level.{row['level']}", "zh"),
        "recipients": [name(r) for r in row.get("recipients") or []],
    }


def task_table(plan: Plan, engine: Engine, today: date) -> Table:
    board = task_board(engine, plan, today)
    units: dict[str, dict[str, Any]] = {}
    for task in board:
        unit = units.setdefault(
            task["lead_unit"],
            {"unit": task["lead_unit"], "tasks": 0, "reported": 0, "flagged": 0, "mean": 0.0},
        )
        unit["tasks"] += 1
        if task["percent_complete"] is not None:
            unit["reported"] += 1
            unit["mean"] += task["percent_complete"]
        unit["flagged"] += bool(task["flags"])
    for unit in units.values():
        unit["mean"] = unit["mean"] / unit["reported"] if unit["reported"] else None
    ordered = sorted(units.values(), key=lambda u: u["tasks"], reverse=True)
    return Table(
        "重点任务进展（按牵头单位）",
        "Tasks by lead unit",
        (
            Column("unit", "牵头单位", "Lead unit"),
            Column("tasks", "任务数", "Tasks"),
            Column("reported", "已报告", "Reported"),
            Column("mean", "平均完成度 %", "Mean complete %"),
            Column("flagged", "逾期或停滞", "Overdue or stalled"),
        ),
        tuple(ordered),
    )
