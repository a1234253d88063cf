"""Tables of the registry's life, its notices and evidence files (docs/registry.md).

Registered rows (enterprises, facilities, meters) live in ``storage/models.py``; here is what
happened to them (opened, changed, closed: never overwritten), the events that must reach a
person (a returned report, a reminder), and the evidence files, whose bytes are stored under
their SHA-256 in the data directory, not in these rows.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from carbonpeak.storage.models import Base

__all__ = ["EvidenceFileRow", "RegistryChangeRow", "RegistryEventRow"]


class RegistryChangeRow(Base):
    """One step in the life of an enterprise, facility or meter: opened, changed or closed,
    with the fields before and after. Rows are only ever added."""

    __tablename__ = "registry_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(20))  # enterprise, facility, meter
    key: Mapped[str] = mapped_column(String(160))  # code; enterprise/facility; meter id
    enterprise: Mapped[str] = mapped_column(String(80))
    event: Mapped[str] = mapped_column(String(10))  # opened, changed, closed
    effective_on: Mapped[date] = mapped_column(Date)
    before: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    after: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    reason: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class RegistryEventRow(Base):
    """Something a person must be told (a returned report, a reminder), stored for the notices
    to deliver (services/registry_events.py)."""

    __tablename__ = "registry_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # report_returned, report_reminder
    recipient_kind: Mapped[str] = mapped_column(String(20))  # enterprise, organisation
    recipient: Mapped[str] = mapped_column(String(80))
    subject_zh: Mapped[str] = mapped_column(String(300))
    subject_en: Mapped[str] = mapped_column(String(300))
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    actor: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class EvidenceFileRow(Base):
    """An evidence file attached to a report: its name, size, type and SHA-256; the bytes are in
    ``<data directory>/evidence/<sha256>``."""

    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attached_to: Mapped[str] = mapped_column(String(20))  # task_progress, indicator, submission
    attached_id: Mapped[int] = mapped_column(Integer)
    owner_organisation: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"))
    owner_enterprise: Mapped[str | None] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(120))
    uploaded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
