"""The seam between the registry's workflows and the notices: every returned report and every
reminder is stored here as an event through one function, :func:`notify`, in the same
transaction as the change that causes it. The notices (inbox, e-mail) read and deliver them;
``delivered`` marks an event handed over, so none is sent twice and none is lost."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from carbonpeak.errors import InvalidInput
from carbonpeak.messages import message
from carbonpeak.storage import RegistryEventRow

__all__ = ["EVENT_KINDS", "RECIPIENT_KINDS", "delivered", "events", "notify", "pending"]

EVENT_KINDS = ("report_returned", "report_reminder")
RECIPIENT_KINDS = ("enterprise", "organisation")


def notify(
    session: Session,
    kind: str,
    recipient_kind: str,
    recipient: str,
    subject: tuple[str, str],
    detail: dict[str, Any],
    actor: str,
) -> RegistryEventRow:
    """Store one event for ``recipient`` (an enterprise code or an organisation id) in the
    caller's transaction; ``subject`` is (Chinese, English)."""
    if kind not in EVENT_KINDS:
        raise InvalidInput(
            message("error.registry_events.kind", found=repr(kind), kinds=EVENT_KINDS)
        )
    if recipient_kind not in RECIPIENT_KINDS:
        raise InvalidInput(message("error.registry_events.recipient", found=repr(recipient_kind)))
    row = RegistryEventRow(
        kind=kind,
        recipient_kind=recipient_kind,
        recipient=recipient,
        subject_zh=subject[0],
        subject_en=subject[1],
        detail=detail,
        actor=actor,
    )
    session.add(row)
    session.flush()
    return row


def _as_dict(row: RegistryEventRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "recipient_kind": row.recipient_kind,
        "recipient": row.recipient,
        "subject_zh": row.subject_zh,
        "subject_en": row.subject_en,
        "detail": dict(row.detail),
        "actor": row.actor,
        "created_at": row.created_at.isoformat(timespec="seconds") if row.created_at else None,
        "delivered_at": row.delivered_at.isoformat(timespec="seconds")
        if row.delivered_at
        else None,
    }


def events(
    engine: Engine, recipient_kind: str | None = None, recipient: str | None = None
) -> list[dict[str, Any]]:
    """Events, newest first; one recipient's when named."""
    with Session(engine) as session:
        query = select(RegistryEventRow).order_by(RegistryEventRow.id.desc())
        if recipient_kind is not None:
            query = query.where(RegistryEventRow.recipient_kind == recipient_kind)
        if recipient is not None:
            query = query.where(RegistryEventRow.recipient == recipient)
        return [_as_dict(r) for r in session.scalars(query)]


def pending(engine: Engine) -> list[dict[str, Any]]:
    """Events not yet handed to the notices, oldest first."""
    with Session(engine) as session:
        rows = session.scalars(
            select(RegistryEventRow)
            .where(RegistryEventRow.delivered_at.is_(None))
            .order_by(RegistryEventRow.id)
        )
        return [_as_dict(r) for r in rows]


def delivered(engine: Engine, event_id: int) -> None:
    """Mark an event handed over to the notices."""
    with Session(engine) as session, session.begin():
        row = session.get(RegistryEventRow, event_id)
        if row is not None and row.delivered_at is None:
            row.delivered_at = datetime.now(UTC)
