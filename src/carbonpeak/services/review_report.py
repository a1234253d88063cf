"""The review report (审查报告): a review as a report of the one renderer (``reports.render``:
PDF by WeasyPrint with the CJK font embedded, XLSX, HTML)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import Engine

from carbonpeak.factors import load_dataset
from carbonpeak.messages import has_text, moment, text
from carbonpeak.projects import Project, Review, label
from carbonpeak.reports import Column, Report, Section, Table, render
from carbonpeak.services.registry import enterprises

__all__ = ["enterprise_names", "review_report", "review_report_file"]

SYNTHETIC = text("report.synthetic_contains", "zh")


def review_report(
    project: Project, review: Review, names: Mapping[str, str] | None = None
) -> Report:
    """The review report (Chinese, bilingual headings); ``names`` are the enterprises' names by
    code, so the owner reads by name."""
    names = names or {}
    f = review.figures
    figures = Table(
        "项目能耗与碳排放（会计引擎）",
        "Energy and CO2 by the accounting engine",
        (
            Column("name_zh", "指标", "Figure"),
            Column("value", "数值", "Value", digits=0),
            Column("unit", "单位", "Unit", nowrap=True),
        ),
        tuple(
            {"name_zh": name, "value": value, "unit": unit}
            for name, value, unit in (
                ("综合能耗（含原料）", f.energy_gross_tce, "tce"),
                ("原料用能", f.feedstock_energy_tce, "tce"),
                ("能耗（扣除原料，计入预算）", f.energy_consumption_tce, "tce"),
                ("用电量", f.electricity_mwh, "MWh"),
                ("其中绿电", f.green_power_mwh, "MWh"),
                ("绿氢", f.green_hydrogen_t, "t"),
                ("燃烧排放", f.co2_combustion_t, "tCO2"),
                ("过程排放", f.co2_process_t, "tCO2"),
                ("间接排放（电、热）", f.co2_indirect_t, "tCO2"),
                ("CCUS 捕集", f.co2_captured_t, "tCO2"),
                ("净排放（计入预算）", f.co2_net_t, "tCO2"),
                ("单位产品综合能耗", f.unit_value, f.unit or ""),
                ("标杆水平", f.benchmark_level, f.unit or ""),
                ("基准水平", f.baseline_level, f.unit or ""),
            )
        ),
        note=text(
            "report.review_figures_note",
            "zh",
            factor_set=f.factor_set,
            year=f.year,
            levels=_levels_title(f.levels),
            status=_record_status(f.levels_status),
        ),
    )
    reasons = Table(
        "审查理由",
        "Reasons",
        (
            Column("severity", "性质", "Severity", nowrap=True),
            Column("clause", "依据条款", "Clause", nowrap=True),
            Column("text", "说明", "Reason"),
        ),
        tuple(
            {
                "severity": label("severity", r.severity),
                "clause": r.clause,
                "text": r.text("zh_CN"),
            }
            for r in review.reasons
        ),
    )
    pools = Table(
        "预算池（占用前）",
        "Budget pool before the draw",
        (
            Column("year", "年度", "Year", nowrap=True),
            Column("kind", "预算", "Budget", nowrap=True),
            Column("budget", "基地预算", "Budget", digits=0),
            Column("existing_load", "现有用量", "Existing load", digits=0),
            Column("drawn", "已占用", "Drawn", digits=0),
            Column("released", "已释放", "Released", digits=0),
            Column("headroom", "剩余空间", "Headroom", digits=0),
            Column("unit", "单位", "Unit", nowrap=True),
        ),
        tuple(
            {**p.as_dict(), "kind": label("budget_kind", p.kind), "year": str(p.year)}
            for p in review.pools
        ),
    )
    sections = [
        Section(
            "审查结论",
            "Recommendation",
            (
                f"{project.name_zh}：{label('recommendation', review.recommendation)}",
                f"建设单位 {names.get(project.owner, project.owner)}；"
                f"实施主体 {names.get(project.implementing_entity, project.implementing_entity)}；"
                f"产能 {project.capacity:g} {project.capacity_unit}；"
                f"投资 {project.investment_yi:g} 亿元",
            ),
            (reasons,),
        ),
        Section("节能审查", "Energy review", (), (figures,)),
        Section("用能与碳排放预算", "Energy and carbon budgets", (), (pools,)),
    ]
    effect = review.effect
    if effect is not None:
        sections.append(
            Section(
                "对目标与达峰的影响",
                "Effect on the targets and the peak",
                (
                    f"情景 {effect.scenario}（{effect.version}），{effect.draws} 次抽样，种子 "
                    f"{effect.seed}，基准年 {effect.base_year}",
                    f"2030 年前达峰概率 {effect.p_peak_by_2030_before:.1%} → "
                    f"{effect.p_peak_by_2030_after:.1%}",
                ),
                (
                    Table(
                        "2025、2030 年目标实现概率",
                        "Probability of each 2025 and 2030 target",
                        (
                            Column("target", "目标", "Target"),
                            Column("year", "年份", "Year", nowrap=True),
                            Column("before", "不含项目", "Without", digits=3),
                            Column("after", "含项目", "With", digits=3),
                            Column("median_after", "含项目中位数", "Median with", digits=2),
                            Column("unit", "单位", "Unit", nowrap=True),
                        ),
                        tuple(
                            {
                                "target": t.name_zh,
                                "year": str(t.year),
                                "before": t.before,
                                "after": t.after,
                                "median_after": t.median_after,
                                "unit": t.unit,
                            }
                            for t in effect.targets
                        ),
                    ),
                ),
            )
        )
    return Report(
        title_zh="固定资产投资项目节能审查与碳排放评价报告",
        title_en="Energy and carbon review of a fixed-asset investment project",
        period=project.name_zh,
        sections=tuple(sections),
        synthetic_note=SYNTHETIC
        if project.synthetic or project.owner.startswith("demo_")
        else None,
        lineage=tuple(
            _levels_title(line) if "@" in line and " " not in line else line
            for line in review.lineage_zh or review.lineage
        ),
        generated_at=moment(datetime.now(UTC), "zh"),
    )


def _levels_title(levels: str | None) -> str:
    """An efficiency-level record (``dataset@edition:key``) by its dataset's title and edition."""
    if not levels:
        return text("report.none", "zh")
    version = levels.split(":", 1)[0]
    dataset_id, _, edition = version.partition("@")
    try:
        title = load_dataset(dataset_id, edition or None).title_zh or dataset_id
    except KeyError:
        return levels
    return text("report.lineage.dataset", "zh", title=title, edition=edition)


def _record_status(status: str | None) -> str:
    key = f"report.record_status.{status}"
    return text(key, "zh") if status and has_text(key) else (status or "—")


def review_report_file(
    project: Project, review: Review, fmt: str = "pdf", engine: Engine | None = None
) -> bytes:
    """The review report as a file; with ``engine``, enterprises are named as registered."""
    names = enterprise_names(engine) if engine is not None else {}
    return render(review_report(project, review, names), fmt)


def enterprise_names(engine: Engine) -> dict[str, str]:
    """Each registered enterprise's Chinese name by its code."""
    listed = enterprises(engine)
    return dict(zip(listed["code"], listed["name_zh"], strict=True))
