"""Relational schema: organisations, enterprises, facilities and plan versions.

Changes to this file need an Alembic revision in ``migrations/versions``; a test compares the two.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names, so migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class OrganisationRow(Base):
    """A department, company or agency that owns tasks and targets."""

    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(120), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)


class EnterpriseRow(Base):
    """An enterprise in the base: reports energy data, and may stream meter readings."""

    __tablename__ = "enterprises"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)  # the id reports and meters use
    # 统一社会信用代码: 18 characters, the national identifier of a legal entity.
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(300))
    sector_code: Mapped[str] = mapped_column(String(8))  # GB/T 4754 industry class
    key_energy_unit: Mapped[bool] = mapped_column(Boolean, default=False)  # 重点用能单位
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)  # demo data, labelled as such
    opened_on: Mapped[date | None] = mapped_column(Date)  # registry life: storage/registry.py
    closed_on: Mapped[date | None] = mapped_column(Date)
    facilities: Mapped[list[FacilityRow]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan"
    )


class FacilityRow(Base):
    """A production unit of an enterprise (a boiler-turbine unit, an MTO plant, a potline)."""

    __tablename__ = "facilities"
    __table_args__ = (UniqueConstraint("enterprise_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    name_zh: Mapped[str] = mapped_column(String(200))
    product: Mapped[str | None] = mapped_column(String(60))
    capacity_value: Mapped[float | None] = mapped_column(Float)
    capacity_unit: Mapped[str | None] = mapped_column(String(40))
    commissioned_on: Mapped[date | None] = mapped_column(Date)
    retired_on: Mapped[date | None] = mapped_column(Date)
    sector_code: Mapped[str | None] = mapped_column(String(8))  # GB/T 4754 class of the unit
    enterprise: Mapped[EnterpriseRow] = relationship(back_populates="facilities")


class PlanVersionRow(Base):
    """One registered version of a plan, stored whole so past assessments stay reproducible."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[str] = mapped_column(String(80))
    version: Mapped[str] = mapped_column(String(40))
    title_zh: Mapped[str] = mapped_column(String(300))
    issued: Mapped[date] = mapped_column(Date)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)  # the plan as canonical JSON
    registered_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class AccountPublicationRow(Base):
    """A published set of accounts, frozen: never updated, only superseded by a restatement."""

    __tablename__ = "account_publications"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(Integer)
    factor_set: Mapped[str] = mapped_column(String(80))
    datasets: Mapped[list[str]] = mapped_column(JSON)
    factor_values: Mapped[list[dict[str, object]]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(500))
    activity_sha256: Mapped[str] = mapped_column(String(64))
    results: Mapped[list[dict[str, object]]] = mapped_column(JSON)  # enterprise-month totals
    reason: Mapped[str | None] = mapped_column(Text)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("account_publications.id"))
    published_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class SubmissionRow(Base):
    """One enterprise's monthly report, one version of it: draft → submitted → accepted/returned."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("enterprise_id", "period", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"))
    period: Mapped[str] = mapped_column(String(7))
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12))
    content_sha256: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(500))
    reason: Mapped[str | None] = mapped_column(Text)  # required for an amendment
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    review_note: Mapped[str | None] = mapped_column(Text)
    rows: Mapped[list[ActivityRecordRow]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", order_by="ActivityRecordRow.line"
    )


class ActivityRecordRow(Base):
    """One row of a submission, kept as received (text cells); parsed by the one activity parser."""

    __tablename__ = "activity_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    line: Mapped[int] = mapped_column(Integer)
    cells: Mapped[dict[str, str]] = mapped_column(JSON)
    submission: Mapped[SubmissionRow] = relationship(back_populates="rows")


class AuditEntryRow(Base):
    """Append-only, hash-chained log of every change: each hash covers the entry and the previous
    hash, so altering or removing any entry breaks the chain from there on."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[str] = mapped_column(String(40))  # ISO 8601 text, hashed as written
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(80))
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class IndicatorReportRow(Base):
    """A value a responsible unit reports for a plan indicator (or a statistic such as GDP), with
    its evidence file's hash. A correction is a new row with a reason; earlier rows stay."""

    __tablename__ = "indicator_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator: Mapped[str] = mapped_column(String(80))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40))
    reporting_unit: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    evidence_name: Mapped[str | None] = mapped_column(String(300))
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class MeterRow(Base):
    """A meter of the online monitoring system (计量器具), with its calibration date."""

    __tablename__ = "meters"

    meter: Mapped[str] = mapped_column(String(80), primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"))
    item: Mapped[str] = mapped_column(String(40))
    interval_minutes: Mapped[int] = mapped_column(Integer, default=15)
    max_interval_value: Mapped[float] = mapped_column(Float)
    calibration_due: Mapped[date] = mapped_column(Date)
    installed_on: Mapped[date | None] = mapped_column(Date)  # readings before it are refused
    channel: Mapped[str | None] = mapped_column(String(80))  # the endpoint's collection point
    removed_on: Mapped[date | None] = mapped_column(Date)


class BudgetRow(Base):
    """An annual energy (用能预算) or carbon (碳排放预算) budget, of an enterprise or the base."""

    __tablename__ = "budgets"
    __table_args__ = (UniqueConstraint("scope", "year", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(80))  # an enterprise code, or "base"
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))  # energy (tce) or carbon (tCO2)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20))


class TaskProgressRow(Base):
    """A responsible unit's progress report on a plan task, with evidence and its next milestone."""

    __tablename__ = "task_progress"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_version: Mapped[str] = mapped_column(String(80))
    task: Mapped[str] = mapped_column(String(20))
    reporting_unit: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    reported_on: Mapped[date] = mapped_column(Date)
    percent_complete: Mapped[float] = mapped_column(Float)
    summary: Mapped[str] = mapped_column(Text)
    next_milestone: Mapped[str | None] = mapped_column(Text)
    milestone_due: Mapped[date | None] = mapped_column(Date)
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)


class UserRow(Base):
    """A person or machine that signs in: office administrator, a responsible unit (department or
    company), an enterprise, or a viewer of published data."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # admin, unit, enterprise, viewer
    organisation_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"))
    enterprise_code: Mapped[str | None] = mapped_column(ForeignKey("enterprises.code"))
    password_hash: Mapped[str] = mapped_column(String(200))  # Argon2id, PHC string
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ApiTokenRow(Base):
    """A per-client API token (an enterprise gateway, another government system). Only its SHA-256
    is stored; the token is shown once, when it is made."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    client: Mapped[str] = mapped_column(String(120))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # shown in lists, to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class WebSessionRow(Base):
    """A signed-in browser session; the cookie holds a random key whose SHA-256 is stored here,
    with the session's CSRF token."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
