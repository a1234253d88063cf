"""The carbon-peak implementation plan as data: targets, goals, actions, tasks, units, indicators.

The format is generic (``format: carbonpeak-plan/1``): another park's or city's plan is another
file. ``docs/plan-format.md`` documents every field.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from carbonpeak.errors import NotFound
from carbonpeak.messages import message

__all__ = [
    "Action",
    "ActionKind",
    "Comparator",
    "Direction",
    "Domain",
    "Goal",
    "GoalKind",
    "Indicator",
    "Measure",
    "Organisation",
    "OrganisationKind",
    "Plan",
    "PlanInfo",
    "Restatement",
    "Strength",
    "Target",
    "Task",
    "ValueSource",
]

CLAUSE_PATTERN = r"^[一二三四五六七八九十]+(\([一二三四五六七八九十]+\)\d*)?$"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Comparator(StrEnum):
    """How the observed value must relate to the target value (glossary: 以上/以下/超过/左右)."""

    gt = "gt"  # 超过: more than
    ge = "ge"  # 达到, 以上: at least
    le = "le"  # 以下, 以内, 不高于, 控制在: at most
    lt = "lt"  # 低于: below
    approx = "approx"  # 左右: approximately


class Strength(StrEnum):
    """How binding the target is worded."""

    strive = "strive"  # 力争
    ensure = "ensure"  # 确保
    plain = "plain"


class Measure(StrEnum):
    """What the target value measures."""

    level = "level"  # the indicator's own value in the target year
    reduction_from_baseline = "reduction_from_baseline"  # 较基准年下降 x %


class Direction(StrEnum):
    """Which way the indicator improves."""

    increase = "increase"
    decrease = "decrease"


class Domain(StrEnum):
    """The values an indicator can take: inputs outside it are refused, and no projection or
    extrapolation leaves it."""

    share = "share"  # a percentage in [0, 100]
    whole_number = "whole_number"  # a count: a non-negative whole number (家, 台, 个)
    non_negative = "non_negative"  # a quantity that cannot be negative (capacity, energy, CO2)
    real = "real"  # any finite number


class ValueSource(StrEnum):
    """Where an indicator's values come from."""

    accounted = "accounted"  # computed from accounted energy and emissions data
    reported = "reported"  # reported by the responsible unit


class OrganisationKind(StrEnum):
    department = "department"  # 管委会 bureaus and offices
    company = "company"  # base-owned and grid companies
    agency = "agency"  # stations, police and other agencies stationed in the base
    group = "group"  # a group of units named together, such as 委属企业


class ActionKind(StrEnum):
    action = "action"  # 三: the ten 碳达峰行动
    cooperation = "cooperation"  # 四: 开放合作
    policy = "policy"  # 五: 政策保障


class GoalKind(StrEnum):
    """Checkable qualitative goals."""

    peak_by = "peak_by"  # the indicator peaks no later than end_year
    decreasing = "decreasing"  # falls year on year over the period
    non_increasing = "non_increasing"  # 稳中有降: no year above the period's first
    no_increase = "no_increase"  # 严禁新增: never above its level at start_year
    rising = "rising"  # 持续提升: higher each year of the period than the year before
    higher_at_end = "higher_at_end"  # 显著提升, 进一步提高: higher at the end than at the start
    reaches_level = "reaches_level"  # 千万千瓦级: the indicator reaches threshold (by end_year)
    not_checkable = "not_checkable"  # a direction the plan sets that no data can check; why: note
    new_projects_at_benchmark = "new_projects_at_benchmark"  # new projects reach 标杆水平
    monitoring_coverage = "monitoring_coverage"  # units above a threshold are monitored online
    external_target = "external_target"  # a target set by a higher authority, entered later


class PlanInfo(_Frozen):
    id: str = Field(pattern=r"^[a-z0-9_-]+$")
    version: str
    title_zh: str
    title_en: str
    issuer_zh: str
    issuer_en: str
    issued: date
    base_year: int
    horizon_year: int
    source_document: str | None = None  # path relative to the plan file; quotes are checked in it
    note: str | None = None


class Organisation(_Frozen):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name_zh: str
    name_en: str
    kind: OrganisationKind
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    note: str | None = None

    def names(self) -> tuple[str, ...]:
        return (self.id, self.name_zh, self.name_en, *self.aliases)


class Indicator(_Frozen):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name_zh: str
    name_en: str
    unit: str
    direction: Direction
    value_source: ValueSource
    domain: Domain = Domain.non_negative
    description: str | None = None


class Task(_Frozen):
    id: str = Field(pattern=CLAUSE_PATTERN)
    title_zh: str
    title_en: str
    responsible_units: tuple[str, ...] = Field(min_length=1)  # as written; the first leads


class Action(_Frozen):
    id: str = Field(pattern=CLAUSE_PATTERN)
    kind: ActionKind
    title_zh: str
    title_en: str
    tasks: tuple[Task, ...] = Field(min_length=1)


class Restatement(_Frozen):
    clause: str = Field(pattern=CLAUSE_PATTERN)
    quote: str


class Target(_Frozen):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    indicator: str
    year: int
    measure: Measure = Measure.level
    comparator: Comparator
    value: float
    unit: str
    baseline_year: int | None = None
    baseline_stated: bool = True  # False where the clause gives no baseline and one is assumed
    strength: Strength = Strength.plain
    clause: str = Field(pattern=CLAUSE_PATTERN)
    quote: str  # the clause's own words
    stated: str  # the figure as the clause writes it ("700万千瓦", "百万吨", "全部", "标杆水平")
    value_reference: str | None = None  # "dataset@edition:record.field" when stated is a level
    task: str | None = None  # the task whose responsible units own the target
    responsible_units: tuple[str, ...] = ()  # only where no task owns it
    restated_in: tuple[Restatement, ...] = ()
    note: str | None = None


class Goal(_Frozen):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    kind: GoalKind
    indicator: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    threshold: float | None = None
    threshold_unit: str | None = None
    clause: str = Field(pattern=CLAUSE_PATTERN)
    quote: str
    description_en: str
    task: str | None = None
    responsible_units: tuple[str, ...] = ()
    note: str | None = None  # for a not_checkable goal: why no data can check it


class Plan(_Frozen):
    format: Literal["carbonpeak-plan/1"]
    plan: PlanInfo
    organisations: tuple[Organisation, ...]
    indicators: tuple[Indicator, ...]
    actions: tuple[Action, ...]
    targets: tuple[Target, ...]
    goals: tuple[Goal, ...] = ()

    @property
    def version(self) -> str:
        return f"{self.plan.id}@{self.plan.version}"

    def tasks(self) -> tuple[tuple[Action, Task], ...]:
        return tuple((action, task) for action in self.actions for task in action.tasks)

    def task(self, task_id: str) -> tuple[Action, Task]:
        for action, task in self.tasks():
            if task.id == task_id:
                return action, task
        raise NotFound(message("error.plan.no_task", task=repr(task_id), version=self.version))

    def indicator(self, indicator_id: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise NotFound(
            message("error.plan.no_indicator", indicator=repr(indicator_id), version=self.version)
        )

    def organisation(self, name: str) -> Organisation:
        """The organisation known by ``name``: its id, Chinese or English name, or an alias."""
        wanted = name.strip().casefold()
        for organisation in self.organisations:
            if wanted in (n.casefold() for n in organisation.names()):
                return organisation
        raise NotFound(message("error.plan.no_organisation", name=repr(name), version=self.version))

    def responsible_units(self, owner: Target | Goal) -> tuple[Organisation, ...]:
        """Who owns a target or goal, the lead first: its task's units, else its own list."""
        names = (
            self.task(owner.task)[1].responsible_units if owner.task else owner.responsible_units
        )
        return tuple(self.organisation(name) for name in names)

    def tasks_of(self, name: str) -> tuple[tuple[Action, Task, bool], ...]:
        """Tasks a unit is responsible for, with whether it leads them."""
        unit = self.organisation(name)
        found = []
        for action, task in self.tasks():
            ids = [self.organisation(n).id for n in task.responsible_units]
            if unit.id in ids:
                found.append((action, task, ids[0] == unit.id))
        return tuple(found)
