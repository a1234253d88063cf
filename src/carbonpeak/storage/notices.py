"""Notices (the in-app inbox and its e-mail), the addresses they are mailed to, and the frozen
publications of indicator values and target statuses that the public portal shows.

A notice is addressed to a recipient the plan or the registry names: a responsible unit (an
organisation id), an enterprise (its code) or the office. ``event`` names what caused it, and
(event, recipient) is unique, so fanning out the same event twice makes no second notice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from carbonpeak.storage.models import Base

__all__ = ["IndicatorPublicationRow", "NoticeContactRow", "NoticeRow"]


class NoticeRow(Base):
    """One notice to one recipient; read once any of the recipient's users has opened it."""

    __tablename__ = "notices"
    __table_args__ = (UniqueConstraint("event", "recipient_kind", "recipient"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # warning, returned, task_overdue, ...
    event: Mapped[str] = mapped_column(String(200))  # what caused it, e.g. returned:42
    recipient_kind: Mapped[str] = mapped_column(String(12))  # office, organisation, enterprise
    recipient: Mapped[str] = mapped_column(String(80))  # organisation id, enterprise code
    subject_zh: Mapped[str] = mapped_column(String(300))
    subject_en: Mapped[str] = mapped_column(String(300))
    body_zh: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(300))  # the page to act on it
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    read_by: Mapped[str | None] = mapped_column(String(120))
    # E-mail: none (no address or no SMTP), sent, or failed (with the error); the notice stays.
    mail_state: Mapped[str] = mapped_column(String(10), default="none")
    mail_error: Mapped[str | None] = mapped_column(Text)
    mailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class NoticeContactRow(Base):
    """The e-mail address a recipient's notices go to."""

    __tablename__ = "notice_contacts"
    __table_args__ = (UniqueConstraint("recipient_kind", "recipient"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient_kind: Mapped[str] = mapped_column(String(12))
    recipient: Mapped[str] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(254))


class IndicatorPublicationRow(Base):
    """A period's published indicator values and target statuses, as the public may see them,
    frozen: never updated, only superseded by a new version with a reason."""

    __tablename__ = "indicator_publications"
    __table_args__ = (UniqueConstraint("period", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[int] = mapped_column(Integer)  # the year published
    version: Mapped[int] = mapped_column(Integer)
    plan_version: Mapped[str] = mapped_column(String(80))
    data_version: Mapped[int] = mapped_column(Integer)  # the audit log's head when published
    as_of: Mapped[str] = mapped_column(String(10))  # the date the targets were judged on
    content: Mapped[dict[str, object]] = mapped_column(JSON)  # targets and indicator values
    content_sha256: Mapped[str] = mapped_column(String(64))
    synthetic: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str | None] = mapped_column(Text)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("indicator_publications.id"))
    published_by: Mapped[str] = mapped_column(String(120))
    published_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
