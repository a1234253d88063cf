"""The major-project library (重大项目库, 六(三)) as data: a project with its owner, stage,
preliminary approvals, expected energy by carrier, capture, and the plan tasks it serves.

A project file (YAML) is one :class:`Project`; ``load_project`` reports every problem with its
location, and nothing of a file with a problem is used.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from carbonpeak.datafile import DataFileError, Problem, problems_from_validation
from carbonpeak.units import UnitError, is_compatible, to_magnitude

__all__ = [
    "STAGE_ORDER",
    "Approval",
    "ApprovalKind",
    "ApprovalStatus",
    "EnergyLine",
    "Project",
    "ProjectKind",
    "Stage",
    "StageDate",
    "WorkPlan",
    "load_project",
    "parse_project",
]


class Stage(StrEnum):
    """谋划 → 开工 → 投产 → 达效 (六(三))."""

    planned = "planned"  # 谋划
    under_construction = "under_construction"  # 开工
    in_operation = "in_operation"  # 投产
    at_design_performance = "at_design_performance"  # 达效


STAGE_ORDER = tuple(Stage)


class ProjectKind(StrEnum):
    new = "new"  # 新建
    expansion = "expansion"  # 扩建 (adds capacity)
    retrofit = "retrofit"  # 改造 (no new capacity)


class ApprovalKind(StrEnum):
    """The preliminary work 六(三) names: land (用地), environment (环评), energy review (能评)."""

    land = "land"
    environment = "environment"
    energy = "energy"


class ApprovalStatus(StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    obtained = "obtained"
    refused = "refused"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Approval(_Strict):
    kind: ApprovalKind
    status: ApprovalStatus = ApprovalStatus.not_started
    document: str | None = None
    on: date | None = None


class StageDate(_Strict):
    stage: Stage
    planned: date | None = None
    actual: date | None = None


class EnergyLine(_Strict):
    """One carrier of the project's expected annual energy use, as an activity row states it:
    an item of the accounting catalogue, its quantity and unit, and its purpose (fuel,
    feedstock 原料用能 kept apart, or conversion)."""

    item: str
    quantity: float = Field(ge=0)
    unit: str
    purpose: str = "fuel"
    ncv: float | None = Field(default=None, gt=0)
    ncv_unit: str | None = None
    green_certificate: bool = False

    @model_validator(mode="after")
    def _purpose(self) -> EnergyLine:
        if self.purpose not in {"fuel", "feedstock", "conversion"}:
            raise ValueError("purpose: expected fuel, feedstock or conversion")
        return self


class WorkPlan(_Strict):
    """A year's work plan for the project (年度工作计划): the unit, its measures, a milestone."""

    year: int = Field(ge=2000, le=2100)
    unit: str
    measures: str
    milestone: str = ""
    due: date | None = None


class Project(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$", max_length=80)
    name_zh: str = Field(min_length=1)
    name_en: str = ""
    kind: ProjectKind = ProjectKind.new
    owner: str  # the owning enterprise (code, or its name when not yet registered)
    implementing_entity: str  # 实施主体
    responsible_unit: str  # 责任单位: an organisation id of the plan
    sector: str = Field(pattern=r"^\d{2,4}$")  # GB/T 4754-2017
    product: str  # an item of the accounting catalogue (olefins, clinker, …)
    capacity: float = Field(ge=0)
    capacity_unit: str = "万t/年"
    output_t: float | None = Field(default=None, ge=0)  # annual output; capacity if absent
    # Sector-method parameters of the product row (clinker: cao, mgo; aluminium: anode_*).
    product_parameters: dict[str, float] = Field(default_factory=dict)
    investment_yi: float = Field(default=0.0, ge=0)  # 亿元
    stage: Stage = Stage.planned
    stages: tuple[StageDate, ...] = ()
    approvals: tuple[Approval, ...] = ()
    energy: tuple[EnergyLine, ...] = ()
    co2_captured_t: float = Field(default=0.0, ge=0)  # per year, CCUS
    co2_capture_use: str = "stored"  # stored or utilised
    tasks: tuple[str, ...] = ()  # plan tasks served, e.g. 三(三)2
    targets: tuple[str, ...] = ()  # plan targets served
    facility: str | None = None  # the facility once it runs (for acceptance)
    work_plans: tuple[WorkPlan, ...] = ()
    synthetic: bool = False

    @field_validator("capacity_unit")
    @classmethod
    def _mass_per_year(cls, unit: str) -> str:
        try:
            compatible = is_compatible(unit, "t/年")
        except UnitError as exc:
            raise ValueError(f"expected a mass per year such as 万t/年 ({exc})") from None
        if not compatible:
            raise ValueError(f"expected a mass per year such as 万t/年, found {unit}")
        return unit

    @field_validator("co2_capture_use")
    @classmethod
    def _capture_use(cls, use: str) -> str:
        if use not in {"stored", "utilised"}:
            raise ValueError("expected stored or utilised")
        return use

    @property
    def capacity_t(self) -> float:
        """Capacity in t per year (the file states it in 万t/年 or any mass per year)."""
        return to_magnitude(self.capacity, self.capacity_unit, "t/年")

    @property
    def annual_output_t(self) -> float:
        return self.capacity_t if self.output_t is None else self.output_t

    @property
    def division(self) -> str:
        return self.sector[:2]

    def stage_date(self, stage: Stage) -> StageDate | None:
        return next((s for s in self.stages if s.stage == stage), None)

    def commissioning_year(self) -> int | None:
        """The year it enters operation (投产): actual, else planned."""
        entry = self.stage_date(Stage.in_operation)
        when = None if entry is None else entry.actual or entry.planned
        return None if when is None else when.year

    def approval(self, kind: ApprovalKind) -> Approval:
        return next((a for a in self.approvals if a.kind == kind), Approval(kind=kind))

    @property
    def green_power_mwh(self) -> float:
        return (
            sum(
                to_magnitude(e.quantity, e.unit, "MWh")
                for e in self.energy
                if e.item == "renewable_electricity"
            )
            + 0.0
        )

    @property
    def green_hydrogen_t(self) -> float:
        return (
            sum(
                to_magnitude(e.quantity, e.unit, "t")
                for e in self.energy
                if e.item == "green_hydrogen"
            )
            + 0.0
        )


def parse_project(raw: Any, name: str = "<project>") -> Project:
    """Validate a mapping as a project; every problem named with its location."""
    if not isinstance(raw, dict):
        raise DataFileError(
            name, [Problem("file", "not a mapping", "a YAML mapping", type(raw).__name__)]
        )
    try:
        return Project.model_validate(raw)
    except ValidationError as exc:
        raise DataFileError(name, problems_from_validation(exc)) from None


def load_project(path: str | Path) -> Project:
    """Read a project file (YAML)."""
    file = Path(path)
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataFileError(str(file), [Problem("file", f"not valid YAML: {exc}")]) from None
    except OSError as exc:
        raise DataFileError(
            str(file), [Problem("file", f"cannot be read: {exc.strerror}")]
        ) from None
    return parse_project(raw, str(file))
