"""The energy and carbon review of a project (节能审查 + 碳评价, 三(二)1; 三(三)2-5): every reason
with its clause, figures and lineage, and the recommendation they add up to.

- a ban on new capacity (三(三)3 electrolytic aluminium, 三(三)4 clinker) refuses;
- new modern coal-chemical capacity short of the benchmark level refuses (三(三)2); for another
  two-high product, worse than the baseline level refuses, between the levels is a condition;
- a draw the budget pool cannot take, in any year from commissioning, refuses (三(二)1);
- a target moved from likely to unlikely, green hydrogen or CCUS the figures rely on, and
  preliminary approvals not yet obtained are conditions;
- no refusal and no condition: pass.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from carbonpeak.messages import text
from carbonpeak.projects.energy import ProjectFigures
from carbonpeak.projects.model import ApprovalKind, ApprovalStatus, Project, ProjectKind
from carbonpeak.projects.pool import PoolYear
from carbonpeak.projects.reference import ReviewRules, TwoHighList, label

__all__ = [
    "Reason",
    "Review",
    "ScenarioEffect",
    "TargetEffect",
    "decide",
    "review_project",
]

REFUSE, CONDITION, NOTE = "refuse", "condition", "note"


@dataclass(frozen=True)
class Reason:
    code: str  # a reason id: its label is the catalogue's ``project.reason.<code>``
    severity: str  # refuse, condition, note
    clause: str  # the plan clause it rests on
    detail_zh: str
    detail_en: str
    figures: dict[str, Any] = field(default_factory=dict)
    lineage: tuple[str, ...] = ()

    def text(self, locale: str = "zh_CN") -> str:
        detail = self.detail_zh if locale == "zh_CN" else self.detail_en
        return (
            f"{label('reason', self.code, locale)}：{detail}"
            if locale == "zh_CN"
            else (f"{label('reason', self.code, locale)}: {detail}")
        )


@dataclass(frozen=True)
class TargetEffect:
    target: str
    name_zh: str  # the indicator's name in the plan
    name_en: str
    year: int
    before: float  # probability without the project
    after: float  # with it
    median_before: float
    median_after: float
    unit: str


@dataclass(frozen=True)
class ScenarioEffect:
    """The scenario run without and with the project (same scenario, draws and seed)."""

    scenario: str
    version: str
    draws: int
    seed: int
    base_year: int
    peak_year_before: int | None  # the central path's peak (None: no peak by the horizon)
    peak_year_after: int | None
    peak_year_median_before: int | None  # median over the draws
    peak_year_median_after: int | None
    p_peak_by_2030_before: float
    p_peak_by_2030_after: float
    targets: tuple[TargetEffect, ...] = ()

    @property
    def p_shift(self) -> float:
        return self.p_peak_by_2030_after - self.p_peak_by_2030_before


@dataclass(frozen=True)
class Review:
    project: str
    recommendation: str
    reasons: tuple[Reason, ...]
    figures: ProjectFigures
    pools: tuple[PoolYear, ...]
    effect: ScenarioEffect | None
    two_high: str | None  # the two-high sector group, if any
    lineage: tuple[str, ...]  # English (the API's); the same lines in Chinese below
    lineage_zh: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["pools"] = [p.as_dict() for p in self.pools]
        return data


def decide(reasons: tuple[Reason, ...] | list[Reason]) -> str:
    if any(r.severity == REFUSE for r in reasons):
        return "refuse"
    if any(r.severity == CONDITION for r in reasons):
        return "pass_with_conditions"
    return "pass"


def _adds_capacity(project: Project) -> bool:
    return project.kind in (ProjectKind.new, ProjectKind.expansion) and project.capacity > 0


def _technical(project: Project, figures: ProjectFigures, lists: TwoHighList) -> list[Reason]:
    reasons: list[Reason] = []
    source = lists.reference
    ban = lists.ban_on(project.product)
    if ban is not None and _adds_capacity(project):
        reasons.append(
            Reason(
                "ban",
                REFUSE,
                ban.clause,
                f"{ban.text_zh}；本项目新增产能 {project.capacity:g} {project.capacity_unit}",
                f"the plan bans new {project.product} capacity; this project adds "
                f"{project.capacity:g} {project.capacity_unit}",
                {"product": project.product, "capacity": project.capacity},
                (source, f"plan {ban.clause}"),
            )
        )
    sector = lists.sector_of(project.sector)
    if figures.position is None:
        if sector is not None:
            reasons.append(
                Reason(
                    "no_levels",
                    NOTE,
                    "三(三)5",
                    "产品无能效标杆/基准水平，按总量和预算审查",
                    "no efficiency levels for the product: judged on totals and the budget",
                )
            )
        return reasons
    lineage = (
        f"efficiency levels {figures.levels} ({figures.levels_status})",
        "accounting: " + figures.methods.get("energy", ""),
    )
    values = {
        "unit_value": round(figures.unit_value or 0.0, 1),
        "unit": figures.unit,
        "benchmark_level": figures.benchmark_level,
        "baseline_level": figures.baseline_level,
    }
    shown = (
        f"{figures.unit_value:.0f} {figures.unit}"
        f"（标杆 {figures.benchmark_level:g}，基准 {figures.baseline_level:g}）"
    )
    shown_en = (
        f"{figures.unit_value:.0f} {figures.unit} (benchmark {figures.benchmark_level:g}, "
        f"baseline {figures.baseline_level:g})"
    )
    required = project.product in lists.benchmark_required.products and _adds_capacity(project)
    if figures.position == "at_benchmark":
        reasons.append(
            Reason(
                "at_benchmark",
                NOTE,
                lists.benchmark_required.clause,
                shown,
                shown_en,
                values,
                lineage,
            )
        )
    elif required:
        reasons.append(
            Reason(
                "below_benchmark",
                REFUSE,
                lists.benchmark_required.clause,
                f"新建现代煤化工项目能效水平必须达到标杆水平；本项目 {shown}",
                f"new modern coal-chemical capacity must be at the benchmark; {shown_en}",
                values,
                lineage,
            )
        )
    elif figures.position == "worse_than_baseline":
        reasons.append(
            Reason("worse_than_baseline", REFUSE, "三(三)5", shown, shown_en, values, lineage)
        )
    else:
        reasons.append(
            Reason(
                "between_levels",
                CONDITION,
                "三(三)5",
                f"{shown}；须在投产前提出达到标杆水平的措施",
                f"{shown_en}; measures to reach the benchmark before operation",
                values,
                lineage,
            )
        )
    return reasons


def _supply(project: Project, figures: ProjectFigures) -> list[Reason]:
    reasons: list[Reason] = []
    if project.green_hydrogen_t > 0:
        reasons.append(
            Reason(
                "green_hydrogen",
                CONDITION,
                "三(三)2",
                f"审查结果依赖绿氢 {project.green_hydrogen_t:,.0f} t/年，"
                "供应协议须在投产前落实并在验收时核实",
                f"the figures rely on {project.green_hydrogen_t:,.0f} t/a of green hydrogen: "
                "supply contracted before operation, checked at acceptance",
                {"green_hydrogen_t": project.green_hydrogen_t},
            )
        )
    if project.co2_captured_t > 0:
        reasons.append(
            Reason(
                "ccus",
                CONDITION,
                "三(三)2",
                f"审查结果扣除 CCUS 捕集 {project.co2_captured_t:,.0f} tCO2/年，须与装置同步投运",
                f"the figures deduct {project.co2_captured_t:,.0f} tCO2/a captured: CCUS to run "
                "from the line's first day, checked at acceptance",
                {"co2_captured_t": project.co2_captured_t},
                (figures.methods.get("capture", ""),),
            )
        )
    pending = [
        a
        for a in ApprovalKind
        if project.approval(a).status != ApprovalStatus.obtained and a != ApprovalKind.energy
    ]
    if pending:
        names_zh = "、".join(label("approval", a.value) for a in pending)
        names_en = ", ".join(label("approval", a.value, "en") for a in pending)
        reasons.append(
            Reason(
                "approvals_pending",
                CONDITION,
                "六(三)",
                f"{names_zh}尚未取得，开工前须取得",
                f"{names_en} to be obtained before construction",
                {"pending": [a.value for a in pending]},
            )
        )
    return reasons


def _pools(figures: ProjectFigures, pools: tuple[PoolYear, ...]) -> list[Reason]:
    reasons: list[Reason] = []
    draws = {"energy": figures.energy_consumption_tce, "carbon": figures.co2_net_t}
    for pool in pools:
        amount = draws[pool.kind]
        lineage = (
            f"budget base/{pool.year}/{pool.kind}",
            f"existing load: accounted {pool.load_year}",
            "pool ledger (draws and releases with their documents)",
        )
        values = {
            "year": pool.year,
            "kind": pool.kind,
            "draw": amount,
            "headroom": pool.headroom,
            "unit": pool.unit,
        }
        if pool.headroom is None:
            reasons.append(
                Reason(
                    "no_budget",
                    REFUSE,
                    "三(二)1",
                    f"{pool.year} 年无基地{label('budget_kind', pool.kind)}",
                    f"no base {pool.kind} budget for {pool.year}",
                    values,
                    lineage,
                )
            )
        elif not pool.allows(amount):
            code = f"{pool.kind}_headroom"
            reasons.append(
                Reason(
                    code,
                    REFUSE,
                    "三(二)1",
                    f"{pool.year} 年需占用 {amount:,.0f} {pool.unit}，"
                    f"剩余空间 {pool.headroom:,.0f} {pool.unit}",
                    f"{pool.year}: draw {amount:,.0f} {pool.unit}, "
                    f"headroom {pool.headroom:,.0f} {pool.unit}",
                    values,
                    lineage,
                )
            )
    if pools and not reasons:
        first = pools[0]
        reasons.append(
            Reason(
                "headroom_ok",
                NOTE,
                "三(二)1",
                f"自 {first.year} 年起各年度预算空间可容纳本项目",
                f"every budget year from {first.year} can take the project",
                {"years": sorted({p.year for p in pools})},
            )
        )
    return reasons


def _year(year: int | None, locale: str) -> str:
    if year is None:
        return "期内未达峰" if locale == "zh_CN" else "no peak by the horizon"
    return str(year)


def _targets(effect: ScenarioEffect, likely: float) -> list[Reason]:
    lineage = (
        f"scenario {effect.scenario} v{effect.version}, {effect.draws} draws, seed "
        f"{effect.seed}, base year {effect.base_year}",
    )
    reasons = [
        Reason(
            "peak_effect",
            NOTE,
            "二",
            f"达峰年份（中心路径）{_year(effect.peak_year_before, 'zh_CN')} → "
            f"{_year(effect.peak_year_after, 'zh_CN')}，"
            f"2030 年前达峰概率 {effect.p_peak_by_2030_before:.1%} → "
            f"{effect.p_peak_by_2030_after:.1%}",
            f"peak year (central path) {_year(effect.peak_year_before, 'en')} → "
            f"{_year(effect.peak_year_after, 'en')}; "
            f"P(peak ≤ 2030) {effect.p_peak_by_2030_before:.1%} → "
            f"{effect.p_peak_by_2030_after:.1%}",
            {"p_shift": effect.p_shift},
            lineage,
        )
    ]
    for target in effect.targets:
        if target.before >= likely > target.after:
            reasons.append(
                Reason(
                    "target_at_risk",
                    CONDITION,
                    "二",
                    f"{target.name_zh}（{target.year}）："
                    f"实现概率 {target.before:.0%} → {target.after:.0%}，"
                    "须在预算池中抵消或调整方案",
                    f"{target.name_en} ({target.year}): "
                    f"probability {target.before:.0%} → {target.after:.0%}; "
                    "offset in the pool or change the design",
                    asdict(target),
                    lineage,
                )
            )
    return reasons


def review_project(
    project: Project,
    figures: ProjectFigures,
    pools: tuple[PoolYear, ...],
    effect: ScenarioEffect | None,
    lists: TwoHighList,
    rules: ReviewRules,
) -> Review:
    """The review of ``project`` from its accounted figures, the pool years it would draw on and
    the scenario effect; the recommendation is :func:`decide` over the reasons."""
    reasons = [
        *_technical(project, figures, lists),
        *_pools(figures, pools),
        *_supply(project, figures),
    ]
    if effect is not None:
        reasons.extend(_targets(effect, rules.target_probability_likely))
    sector = lists.sector_of(project.sector)
    return Review(
        project=project.id,
        recommendation=decide(reasons),
        reasons=tuple(reasons),
        figures=figures,
        pools=pools,
        effect=effect,
        two_high=None if sector is None else sector.key,
        lineage=_lineage(figures, lists.reference, rules.edition, "en"),
        lineage_zh=_lineage(figures, lists.reference, rules.edition, "zh"),
    )


def _lineage(
    figures: ProjectFigures, reference: str, edition: str, language: str
) -> tuple[str, ...]:
    """Where the review's figures come from: the engine and factors, the lists, the rules."""
    return (
        text("review.lineage.engine", language, factor_set=figures.factor_set, year=figures.year),
        reference,
        text("review.lineage.rules", language, edition=edition),
    )
