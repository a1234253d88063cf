"""The project library, reviews, work plans, the budget-pool ledger and retrofit plans (issue 17).

A project's declaration (energy by carrier, approvals, stage dates, tasks served) is kept whole
as the validated project file (JSON); the columns are what lists filter and sort on.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from carbonpeak.storage.models import Base

__all__ = [
    "PoolEntryRow",
    "ProjectReviewRow",
    "ProjectRow",
    "ProjectStageRow",
    "ProjectWorkPlanRow",
    "RetrofitPlanRow",
]


class ProjectRow(Base):
    """A project of the major-project library (重大项目库)."""

    __tablename__ = "projects"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(200))
    responsible_unit: Mapped[str] = mapped_column(String(80))
    sector: Mapped[str] = mapped_column(String(10))
    product: Mapped[str] = mapped_column(String(80))
    stage: Mapped[str] = mapped_column(String(30))
    declaration: Mapped[dict[str, object]] = mapped_column(JSON)  # the validated project file
    approved_energy_tce: Mapped[float | None] = mapped_column(Float)  # from the review passed
    approved_co2_t: Mapped[float | None] = mapped_column(Float)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ProjectStageRow(Base):
    """A stage reached (谋划/开工/投产/达效): the history of a project."""

    __tablename__ = "project_stages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project: Mapped[str] = mapped_column(ForeignKey("projects.id"))
    stage: Mapped[str] = mapped_column(String(30))
    reached_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ProjectReviewRow(Base):
    """An energy and carbon review (节能审查 + 碳评价) and the opinion recorded on it (审查意见)."""

    __tablename__ = "project_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project: Mapped[str] = mapped_column(ForeignKey("projects.id"))
    recommendation: Mapped[str] = mapped_column(String(30))
    result: Mapped[dict[str, object]] = mapped_column(JSON)
    opinion: Mapped[str | None] = mapped_column(Text)
    opinion_document: Mapped[str | None] = mapped_column(String(200))
    actor: Mapped[str] = mapped_column(String(120))
    reviewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ProjectWorkPlanRow(Base):
    """A year's work plan of a project (年度工作计划) and the progress reported against it."""

    __tablename__ = "project_work_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project: Mapped[str] = mapped_column(ForeignKey("projects.id"))
    year: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(80))
    measures: Mapped[str] = mapped_column(Text)
    milestone: Mapped[str] = mapped_column(Text, default="")
    due: Mapped[date | None] = mapped_column(Date)
    percent_complete: Mapped[float] = mapped_column(Float, default=0.0)
    reported_on: Mapped[date | None] = mapped_column(Date)


class PoolEntryRow(Base):
    """A movement of the budget pool: a draw or a release, with its document."""

    __tablename__ = "budget_pool_ledger"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))  # energy, carbon
    entry: Mapped[str] = mapped_column(String(20))  # draw, release, closure, retrofit
    amount: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20))
    document: Mapped[str] = mapped_column(String(200))
    project: Mapped[str | None] = mapped_column(String(80))
    enterprise: Mapped[str | None] = mapped_column(String(80))
    facility: Mapped[str | None] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RetrofitPlanRow(Base):
    """A one-enterprise-one-plan retrofit (一企一策) with its milestones (JSON)."""

    __tablename__ = "retrofit_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise: Mapped[str] = mapped_column(String(80))
    facility: Mapped[str] = mapped_column(String(80))
    product: Mapped[str] = mapped_column(String(80))
    unit_value_before: Mapped[float] = mapped_column(Float)
    unit_value_target: Mapped[float] = mapped_column(Float)
    annual_output_t: Mapped[float] = mapped_column(Float)
    deadline: Mapped[date] = mapped_column(Date)
    milestones: Mapped[list[dict[str, object]]] = mapped_column(JSON)
    done_on: Mapped[date | None] = mapped_column(Date)
    document: Mapped[str] = mapped_column(String(200), default="")
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
