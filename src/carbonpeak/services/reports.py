"""The base's monthly and annual reports, and an enterprise's annual report, filled from the
store; rendered by ``carbonpeak.reports``."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine

from carbonpeak.errors import InvalidInput, NotFound
from carbonpeak.factors import load_dataset
from carbonpeak.messages import message, moment, text
from carbonpeak.plan import Plan
from carbonpeak.reports import FORMATS, Chart, Column, Report, Section, Series, Table, render
from carbonpeak.reports.disclosure import confidential_column, mark_row
from carbonpeak.services import dashboard
from carbonpeak.services.assessment import assessment
from carbonpeak.services.assessment_texts import scorecard_rows
from carbonpeak.services.confidential import (
    intensity_reasons,
)
from carbonpeak.services.report_tables import (
    INTENSITY_NAMES,
    division_table,
    energy_columns,
    in_wan,
    target_table,
    task_table,
    warning_table,
)
from carbonpeak.tracking.method import status_label
from carbonpeak.units import WAN

__all__ = ["ReportFile", "base_report", "enterprise_report", "report_file"]

ZH = "zh"  # the reports are Chinese documents with bilingual headings


def _lineage(snap: dashboard.Snapshot) -> tuple[str, ...]:
    """Where the report's figures come from, in the document's language: the plan, the data
    version, the factor set and the reference datasets by their titles."""
    lines = [
        text("report.lineage.plan", ZH, version=snap.plan.version),
        text("report.lineage.data_version", ZH, version=snap.version),
    ]
    if snap.accounts is not None:
        lines.append(text("report.lineage.factor_set", ZH, factor_set=snap.accounts.factor_set))
        lines.append(
            text(
                "report.lineage.datasets",
                ZH,
                datasets="；".join(_dataset_title(v) for v in snap.accounts.factors.datasets()),
            )
        )
    lines.append(text("report.lineage.methods", ZH))
    return tuple(lines)


def _dataset_title(version: str) -> str:
    """A reference dataset (``id@edition``) by its Chinese title and edition."""
    dataset_id, _, edition = version.partition("@")
    try:
        title = load_dataset(dataset_id, edition or None).title_zh
    except KeyError:
        title = None
    return text("report.lineage.dataset", ZH, title=title or dataset_id, edition=edition)


def _generated() -> str:
    return moment(datetime.now(UTC), ZH)


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
        raise InvalidInput(message("error.year_or_month"))
    snap = current or dashboard.snapshot(engine, plan)
    generated = _generated()
    counted = dashboard.targets_for_year(engine, snap, year) if year is not None else snap.targets
    counts = {k: sum(1 for t in counted if t["status"] == k) for k in dashboard.STATUS_ORDER}
    summary = text(
        "report.target_status",
        ZH,
        counts="，".join(f"{status_label(k)} {v}" for k, v in counts.items() if v),
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
                    division_table(
                        snap, "month", month, (f"{month} 分行业", f"{month} by division"), public
                    ),
                    *_optional(
                        lambda: division_table(
                            snap,
                            "month",
                            previous,
                            (f"{previous} 同期", f"{previous}, a year before"),
                            public,
                        )
                    ),
                ),
            ),
            Section("预警", "Warnings", (), (warning_table(engine, snap, the_year, public),)),
            Section(
                "重点任务",
                "Tasks",
                (),
                (task_table(plan, engine, min(date.today(), _month_end(month))),),
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
            Section("目标进展", "Targets", (summary,), (target_table(engine, snap, year, public),)),
            Section(
                "能源消费与碳排放",
                "Energy and CO2",
                (),
                charts=(totals_chart(snap, year),),
                tables=(
                    division_table(
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
            Section("预警", "Warnings", (), (warning_table(engine, snap, year, public),)),
            Section(
                "重点任务",
                "Tasks",
                (),
                (task_table(plan, engine, min(date.today(), date(year, 12, 31))),),
            ),
            Section(
                "考核",
                "Assessment",
                (
                    text("report.assessment_method", ZH),
                    text(
                        "report.named_units",
                        ZH,
                        units="，".join(result["named"]) or text("report.none", ZH),
                    ),
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
                        tuple(scorecard_rows(result, ZH)),
                    ),
                ),
            ),
        ]
        title = ("宁东能源化工基地碳达峰年度报告", "Ningdong carbon-peak annual report", str(year))
    del the_year
    if public:
        title = (
            text("report.public_edition_title", ZH, title=title[0]),
            text("report.public_edition_title", "en", title=title[1]),
            title[2],
        )
    note = text("report.synthetic_note", ZH) if snap.note else None
    return Report(title[0], title[1], title[2], tuple(sections), note, _lineage(snap), generated)


def totals_chart(snap: dashboard.Snapshot, year: int) -> Chart:
    """The base's energy and CO2 by full year to ``year`` (regional method); a partial year is
    named in the note, never drawn beside full years."""
    rows = [r for r in dashboard.base_totals(snap) if int(r["year"]) <= year]
    full = [r for r in rows if r["months"] == 12]
    partial = [r for r in rows if r["months"] < 12]
    note = None
    if partial:
        note = (
            "；".join(
                text("report.partial_year", ZH, year=r["year"], months=r["months"]) for r in partial
            )
            + "。"
        )
    return Chart(
        "能源消费总量与二氧化碳排放（区域核算）",
        "Energy consumption and CO2 (regional method)",
        "万tce · 万tCO2",
        tuple(str(r["year"]) for r in full),
        (
            Series(
                "能源消费量（万tce）",
                "energy, excl. feedstock (10^4 tce)",
                tuple(float(r["energy_consumption_tce"]) / WAN for r in full),
            ),
            Series(
                "二氧化碳净排放（万tCO2）",
                "net CO2 (10^4 t)",
                tuple(float(r["co2_net_t"]) / WAN for r in full),
            ),
        ),
        note,
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
        raise NotFound(message("error.no_enterprise", code=code))
    monthly = [
        in_wan(r)
        for r in dashboard.enterprise_accounts(snap, code, "month")
        if r["period"].startswith(str(year))
    ]
    yearly = [
        in_wan(r)
        for r in dashboard.enterprise_accounts(snap, code, "year")
        if int(r["period"]) in (year - 1, year)
    ]
    benchmark = [r for r in dashboard.enterprise_benchmark(snap, code) if r["year"] == year]
    total, submissions = dashboard.submission_list(engine, code, period=str(year), limit=500)
    columns = (Column("period", "期间", "Period"), *energy_columns())
    note = text(
        "report.enterprise_note",
        ZH,
        name=enterprise["name_zh"],
        credit_code=enterprise["credit_code"],
    )
    return Report(
        f"{enterprise['name_zh']} {year} 年度能源与碳排放报告",
        f"{enterprise.get('name_en') or code}: energy and carbon report {year}",
        str(year),
        (
            Section(
                "年度核算",
                "Annual accounts",
                (note, text("report.sector", ZH, sector=enterprise["sector"])),
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
                (text("report.submissions_count", ZH, year=year, count=total),),
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
        text("report.synthetic_note", ZH) if enterprise.get("synthetic") else None,
        _lineage(snap),
        _generated(),
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
    report, or an enterprise's annual one. InvalidInput (a ValueError) names a wrong request;
    NotFound (a KeyError) says there are no data for it. ``public`` asks for the base report's
    public edition."""
    if format not in ("pdf", "xlsx"):
        raise InvalidInput(message("error.format", expected="pdf, xlsx", found=format))
    if enterprise is not None:
        if year is None or month is not None:
            raise InvalidInput(message("error.enterprise_report_annual"))
        report = enterprise_report(engine, plan, enterprise, year, current)
        name = f"{enterprise}-{year}.{format}"
    else:
        if (year is None) == (month is None):
            raise InvalidInput(message("error.year_or_month"))
        report = base_report(engine, plan, year=year, month=month, current=current, public=public)
        name = f"ningdong-{year or month}{'-public' if public else ''}.{format}"
    return ReportFile(render(report, format), FORMATS[format], name)
