"""The base's monthly and annual reports, and an enterprise's annual report, filled from the
store; rendered by ``carbonpeak.reports``."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine

from carbonpeak.plan import Plan
from carbonpeak.reports import FORMATS, Column, Report, Section, Table, render
from carbonpeak.reports.disclosure import EDITION_NOTE, Reason, confidential_column, mark_row
from carbonpeak.services import dashboard
from carbonpeak.services.assessment import assessment
from carbonpeak.services.confidential import (
    Disclosure,
    budget_reasons,
    disclosure,
    intensity_reasons,
)
from carbonpeak.services.tasks import task_board
from carbonpeak.services.warnings import budget_warnings
from carbonpeak.tracking.method import status_label
from carbonpeak.units import WAN

__all__ = ["ReportFile", "base_report", "enterprise_report", "report_file"]

# How a comparator reads beside a target value (the glossary's 以上/超过/以下/低于/左右).
COMPARATOR_SIGN = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "approx": "≈"}


def _lineage(snap: dashboard.Snapshot) -> tuple[str, ...]:
    lines = [
        f"实施方案 Plan: {snap.plan.version}",
        f"数据版本 Data version (audit log head): {snap.version}",
    ]
    if snap.accounts is not None:
        lines.append(
            f"核算 Accounts: factor set {snap.accounts.factor_set}; datasets "
            + ", ".join(snap.accounts.factors.datasets())
        )
    lines.append("方法 Methods: docs/accounting.md and docs/tracking.md of carbonpeak")
    return tuple(lines)


def _energy_columns() -> tuple[Column, ...]:
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


def _in_wan(row: dict[str, Any]) -> dict[str, Any]:
    scaled = dict(row)
    for metric, name in IN_WAN.items():
        value = row.get(metric)
        scaled[name] = None if value is None else float(value) / WAN
    return scaled


def _cells(secret: Disclosure, level: str, key: str, period: str) -> dict[str, Reason]:
    """The confidential cells of one row, by the report's column keys."""
    return {IN_WAN[m]: r for m, r in secret.row(level, key, period).items() if m in IN_WAN}


def _division_table(
    snap: dashboard.Snapshot,
    frequency: str,
    period: str,
    title: tuple[str, str],
    public: bool = False,
) -> Table:
    divisions = dashboard.energy_carbon(snap, "division", frequency, period)
    if not divisions:
        raise KeyError(f"no accepted reports for {period}")
    secret = disclosure(snap)
    names = {column.key: column.header_zh for column in _energy_columns()}
    rows = [
        mark_row(_in_wan(r), _cells(secret, "division", r["division"], r["period"]), public, names)
        for r in divisions
    ]
    total: dict[str, object] = {"division": "", "name_zh": "合计 Total"}
    for column in _energy_columns():
        total[column.key] = sum(float(_in_wan(r)[column.key] or 0) for r in divisions)
    total = mark_row(total, _cells(secret, "base", "", divisions[0]["period"]), public, names)
    return Table(
        *title,
        (
            Column("division", "行业代码", "GB/T 4754"),
            Column("name_zh", "行业", "Division"),
            *_energy_columns(),
            *confidential_column(public),
        ),
        (*rows, total),
        "能源消费量不含原料用能（发改环资〔2022〕803号）。" + EDITION_NOTE[public],
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


def _target_table(engine: Engine, snap: dashboard.Snapshot, year: int, public: bool) -> Table:
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
                    f"{row['target_unit']}",
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
            Column("status", "状态", "Status"),
            Column("lead_unit", "牵头单位", "Lead unit"),
            *confidential_column(public),
        ),
        tuple(rows),
        EDITION_NOTE[public],
    )


def _warning_table(engine: Engine, snap: dashboard.Snapshot, year: int, public: bool) -> Table:
    """Budget forecasts; the public edition keeps the base's only (an enterprise's budget is its
    own data), with the base's confidential figures withheld."""
    rows = [
        mark_row(row, budget_reasons(snap, row), public, BUDGET_NAMES)
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
        None if rows else "本年无预算。No budgets for the year.",
    )


def _task_table(plan: Plan, engine: Engine, today: date) -> Table:
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


def base_report(
    engine: Engine,
    plan: Plan,
    *,
    year: int | None = None,
    month: str | None = None,
    current: dashboard.Snapshot | None = None,
    public: bool = False,
) -> Report:
    """The base's annual report for ``year`` or monthly report for ``month`` (YYYY-MM): the
    office's edition marks the confidential cells; the ``public`` one withholds them."""
    if (year is None) == (month is None):
        raise ValueError("name either year or month")
    snap = current or dashboard.snapshot(engine, plan)
    generated = datetime.now(UTC).isoformat(timespec="seconds")
    counted = dashboard.targets_for_year(engine, snap, year) if year is not None else snap.targets
    counts = {k: sum(1 for t in counted if t["status"] == k) for k in dashboard.STATUS_ORDER}
    summary = "目标状态 Target status: " + "，".join(
        f"{status_label(k)} {v}" for k, v in counts.items() if v
    )
    if month is not None:
        the_year = int(month[:4])
        previous = f"{the_year - 1}{month[4:]}"
        sections = [
            Section(
                "本月能源消费与碳排放",
                "Energy and CO2 this month",
                (summary,),
                (
                    _division_table(
                        snap, "month", month, (f"{month} 分行业", f"{month} by division"), public
                    ),
                    *_optional(
                        lambda: _division_table(
                            snap,
                            "month",
                            previous,
                            (f"{previous} 同期", f"{previous}, a year before"),
                            public,
                        )
                    ),
                ),
            ),
            Section("预警", "Warnings", (), (_warning_table(engine, snap, the_year, public),)),
            Section(
                "重点任务",
                "Tasks",
                (),
                (_task_table(plan, engine, min(date.today(), _month_end(month))),),
            ),
        ]
        title = ("宁东能源化工基地碳达峰月度报告", "Ningdong carbon-peak monthly report", month)
    else:
        assert year is not None
        the_year = year
        intensity_rows = [
            mark_row(r, intensity_reasons(snap, r["year"]), public, INTENSITY_NAMES)
            for r in dashboard.intensities(snap)
            if r["year"] <= year
        ]
        result = assessment(engine, plan, year, snap.accounts)
        sections = [
            Section(
                "目标进展", "Targets", (summary,), (_target_table(engine, snap, year, public),)
            ),
            Section(
                "能源消费与碳排放",
                "Energy and CO2",
                (),
                (
                    _division_table(
                        snap,
                        "year",
                        str(year),
                        (f"{year} 年分行业", f"{year} by division"),
                        public,
                    ),
                    Table(
                        "单位地区生产总值能耗与碳排放（较2020年）",
                        "Energy and CO2 intensity of GDP against 2020",
                        (
                            Column("year", "年份", "Year"),
                            Column(
                                "energy_intensity_gdp",
                                "能耗强度",
                                "Energy intensity",
                                "tce/万元",
                                3,
                            ),
                            Column("energy_intensity_gdp_vs_base_pct", "较2020年", "vs 2020", "%"),
                            Column(
                                "co2_intensity_gdp", "碳排放强度", "CO2 intensity", "tCO2/万元", 3
                            ),
                            Column("co2_intensity_gdp_vs_base_pct", "较2020年", "vs 2020", "%"),
                            *confidential_column(public),
                        ),
                        tuple(intensity_rows),
                    ),
                ),
            ),
            Section("预警", "Warnings", (), (_warning_table(engine, snap, year, public),)),
            Section(
                "重点任务",
                "Tasks",
                (),
                (_task_table(plan, engine, min(date.today(), date(year, 12, 31))),),
            ),
            Section(
                "考核",
                "Assessment",
                (
                    result["method"],
                    "拟通报约谈 Units to be named: " + ("，".join(result["named"]) or "无 none"),
                ),
                (
                    Table(
                        "责任单位评分",
                        "Scorecards",
                        (
                            Column("unit", "单位", "Unit"),
                            Column("score", "得分", "Score"),
                            Column("target_score", "目标得分", "Targets"),
                            Column("task_score", "任务得分", "Tasks"),
                            Column("named", "通报", "Named"),
                            Column("reasons", "原因", "Reasons"),
                        ),
                        tuple(result["scorecards"]),
                    ),
                ),
            ),
        ]
        title = ("宁东能源化工基地碳达峰年度报告", "Ningdong carbon-peak annual report", str(year))
    del the_year
    if public:
        title = (f"{title[0]}（公开版）", f"{title[1]} (public edition)", title[2])
    return Report(
        title[0], title[1], title[2], tuple(sections), snap.note, _lineage(snap), generated
    )


def _optional(make: Any) -> tuple[Table, ...]:
    try:
        return (make(),)
    except KeyError:
        return ()


def _month_end(month: str) -> date:
    year, number = int(month[:4]), int(month[5:])
    return date(year, number, calendar.monthrange(year, number)[1])


def enterprise_report(
    engine: Engine, plan: Plan, code: str, year: int, current: dashboard.Snapshot | None = None
) -> Report:
    """An enterprise's annual energy and carbon report."""
    snap = current or dashboard.snapshot(engine, plan)
    enterprise = snap.enterprises.get(code)
    if enterprise is None:
        raise KeyError(f"no enterprise {code!r}")
    monthly = [
        _in_wan(r)
        for r in dashboard.enterprise_accounts(snap, code, "month")
        if r["period"].startswith(str(year))
    ]
    yearly = [
        _in_wan(r)
        for r in dashboard.enterprise_accounts(snap, code, "year")
        if int(r["period"]) in (year - 1, year)
    ]
    benchmark = [r for r in dashboard.enterprise_benchmark(snap, code) if r["year"] == year]
    total, submissions = dashboard.submission_list(engine, code, period=str(year), limit=500)
    columns = (Column("period", "期间", "Period"), *_energy_columns())
    note = f"{enterprise['name_zh']}（{code}，统一社会信用代码 {enterprise['credit_code']}）"
    return Report(
        f"{enterprise['name_zh']} {year} 年度能源与碳排放报告",
        f"{enterprise.get('name_en') or code}: energy and carbon report {year}",
        str(year),
        (
            Section(
                "年度核算",
                "Annual accounts",
                (note, f"行业 Sector: GB/T 4754 {enterprise['sector']}"),
                (Table("年度", "By year", columns, tuple(yearly)),),
            ),
            Section(
                "月度核算",
                "Monthly accounts",
                (),
                (Table("月度", "By month", columns, tuple(monthly)),),
            ),
            Section(
                "能效对标",
                "Benchmarking",
                (),
                (
                    Table(
                        "单位产品能耗",
                        "Unit-product energy",
                        (
                            Column("facility", "装置", "Facility"),
                            Column("product", "产品", "Product"),
                            Column("unit_value", "单位产品能耗", "Unit energy", digits=1),
                            Column("unit", "单位", "Unit"),
                            Column("levels", "对标水平", "Levels"),
                            Column("position", "位置", "Position"),
                            Column("status", "核实状态", "Status"),
                        ),
                        tuple(benchmark),
                    ),
                ),
            ),
            Section(
                "报送记录",
                "Submissions",
                (f"{year} 年报送 {total} 份 · {total} reports for {year}",),
                (
                    Table(
                        "报送",
                        "Reports",
                        (
                            Column("period", "期间", "Period"),
                            Column("version", "版本", "Version"),
                            Column("state", "状态", "State"),
                            Column("content_sha256", "内容哈希", "SHA-256"),
                        ),
                        tuple(submissions),
                    ),
                ),
            ),
        ),
        snap.note if enterprise.get("synthetic") else None,
        _lineage(snap),
        datetime.now(UTC).isoformat(timespec="seconds"),
    )


@dataclass(frozen=True)
class ReportFile:
    content: bytes
    media_type: str
    filename: str


def report_file(
    engine: Engine,
    plan: Plan,
    format: str,
    *,
    year: int | None = None,
    month: str | None = None,
    enterprise: str | None = None,
    current: dashboard.Snapshot | None = None,
    public: bool = False,
) -> ReportFile:
    """A report rendered for download: the base's annual (``year``) or monthly (``month``)
    report, or an enterprise's annual one. ValueError names a wrong request; KeyError says
    there are no data for it. ``public`` asks for the base report's public edition."""
    if format not in ("pdf", "xlsx"):
        raise ValueError(f"format: expected pdf or xlsx; found {format!r}")
    if enterprise is not None:
        if year is None or month is not None:
            raise ValueError("an enterprise report is annual: name the year")
        report = enterprise_report(engine, plan, enterprise, year, current)
        name = f"{enterprise}-{year}.{format}"
    else:
        if (year is None) == (month is None):
            raise ValueError("name either year or month")
        report = base_report(engine, plan, year=year, month=month, current=current, public=public)
        name = f"ningdong-{year or month}{'-public' if public else ''}.{format}"
    return ReportFile(render(report, format), FORMATS[format], name)
