"""The inbox: notices to the recipient the plan or the registry names (a responsible unit, an
enterprise, the office), stored first and then mailed where SMTP is configured.

One notice per event per recipient: ``notify`` skips recipients that already have the event's
notice, so fanning out the same event again (a second ``send-due`` on the same day, a retried
return) makes nothing twice and mails nobody twice. A mail that fails is recorded on its notice
and tried again by ``retry_mail``; the notice itself is never lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from carbonpeak.errors import InvalidInput, NotFound
from carbonpeak.messages import message, text
from carbonpeak.services.accounts import Principal, Role
from carbonpeak.services.audit import AuditWriter
from carbonpeak.services.mailer import Mail, SmtpSettings, send_mail, smtp_settings
from carbonpeak.services.write_generation import UntilWritten
from carbonpeak.settings import settings as app_settings
from carbonpeak.storage import EnterpriseRow, NoticeContactRow, NoticeRow, SubmissionRow

__all__ = [
    "KINDS",
    "NOTICE_FILE",
    "OFFICE",
    "RECIPIENT_KINDS",
    "Recipient",
    "list_notices",
    "mark_read",
    "notice_rules",
    "notices_for",
    "notify",
    "notify_returned",
    "recipients_of",
    "retry_mail",
    "set_contact",
    "unread_count",
]

NOTICE_FILE = "data/methods/notices.yaml"
KINDS = (
    "returned",
    "report_due",
    "report_overdue",
    "late_reporters",
    "task_overdue",
    "budget_warning",
    "budget_level",
    "target_warning",
)
RECIPIENT_KINDS = ("office", "organisation", "enterprise")
OFFICE = ("office", "office")


@dataclass(frozen=True)
class Recipient:
    kind: str  # office, organisation, enterprise
    id: str  # "office", an organisation id, an enterprise code


@cache
def notice_rules() -> dict[str, Any]:
    """The packaged notices file: its parameters (``values``: values only). The notices' texts are
    the message catalogue's ``notice.<kind>.subject`` and ``.body``."""
    raw = resources.files("carbonpeak").joinpath(NOTICE_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(raw)
    data["values"] = {k: v["value"] for k, v in data["parameters"].items()}
    return data


def _texts(kind: str, fields: Mapping[str, object]) -> tuple[str, str, str, str]:
    """The subject and body in Chinese, then in English: the catalogue's ``notice.<kind>.*``; a
    field ``name_zh`` / ``name_en`` fills ``{name}`` in its language."""
    shown = []
    for language in ("zh", "en"):
        suffix = f"_{language}"
        values = {
            **fields,
            **{k[: -len(suffix)]: v for k, v in fields.items() if k.endswith(suffix)},
        }
        shown += [text(f"notice.{kind}.{part}", language, **values) for part in ("subject", "body")]
    return shown[0], shown[1], shown[2], shown[3]


def recipients_of(principal: Principal) -> list[Recipient]:
    """Whose notices a signed-in user reads: the office's, a unit's, an enterprise's."""
    if principal.role is Role.admin:
        return [Recipient(*OFFICE)]
    if principal.role is Role.unit and principal.organisation:
        return [Recipient("organisation", principal.organisation)]
    if principal.role is Role.enterprise and principal.enterprise:
        return [Recipient("enterprise", principal.enterprise)]
    return []


def _addressed_to(recipients: Iterable[Recipient]) -> Any:
    clauses = [
        (NoticeRow.recipient_kind == r.kind) & (NoticeRow.recipient == r.id) for r in recipients
    ]
    return or_(*clauses) if clauses else NoticeRow.id.is_(None)


def _as_dict(row: NoticeRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "event": row.event,
        "recipient_kind": row.recipient_kind,
        "recipient": row.recipient,
        "subject_zh": row.subject_zh,
        "subject_en": row.subject_en,
        "body_zh": row.body_zh,
        "body_en": row.body_en,
        "link": row.link,
        "created_at": row.created_at.isoformat(timespec="seconds") if row.created_at else None,
        "read": row.read_at is not None,
        "read_at": row.read_at.isoformat(timespec="seconds") if row.read_at else None,
        "mail_state": row.mail_state,
    }


def list_notices(
    engine: Engine,
    recipients: list[Recipient] | None = None,
    unread_only: bool = False,
    limit: int = 200,
) -> list[dict[str, Any]]:
    """Notices to ``recipients`` (every notice when None), newest first."""
    query = select(NoticeRow)
    if recipients is not None:
        query = query.where(_addressed_to(recipients))
    if unread_only:
        query = query.where(NoticeRow.read_at.is_(None))
    with Session(engine) as session:
        rows = session.scalars(query.order_by(NoticeRow.id.desc()).limit(limit)).all()
        return [_as_dict(r) for r in rows]


def notices_for(
    engine: Engine, principal: Principal, unread_only: bool = False, limit: int = 200
) -> list[dict[str, Any]]:
    """The caller's notices, newest first."""
    return list_notices(engine, recipients_of(principal), unread_only, limit)


# Every page's badge: remembered until this process next commits (a notice created or read
# here), or a few seconds for another process's (services/write_generation.py).
_unread: UntilWritten[tuple[str, tuple[Recipient, ...]], int] = UntilWritten(
    lambda: app_settings().session_cache_seconds
)


def unread_count(engine: Engine, principal: Principal) -> int:
    recipients = tuple(recipients_of(principal))
    if not recipients:
        return 0
    return _unread.get(
        (engine.url.render_as_string(hide_password=True), recipients),
        lambda: _count_unread(engine, recipients),
    )


def _count_unread(engine: Engine, recipients: tuple[Recipient, ...]) -> int:
    with Session(engine) as session:
        return int(
            session.scalar(
                select(func.count(NoticeRow.id)).where(
                    _addressed_to(recipients), NoticeRow.read_at.is_(None)
                )
            )
            or 0
        )


def mark_read(engine: Engine, principal: Principal, notice_id: int) -> dict[str, Any]:
    """Mark one of the caller's notices read (a notice of someone else's is not found)."""
    with Session(engine) as session, session.begin():
        row = session.scalars(
            select(NoticeRow).where(
                NoticeRow.id == notice_id, _addressed_to(recipients_of(principal))
            )
        ).one_or_none()
        if row is None:
            raise NotFound(
                message("error.notices.no_notice", notice=notice_id, user=principal.username)
            )
        if row.read_at is None:
            row.read_at = datetime.now(UTC)
            row.read_by = principal.actor
        session.flush()
        return _as_dict(row)


def set_contact(engine: Engine, recipient: Recipient, address: str, actor: str) -> None:
    """The e-mail address a recipient's notices go to (an empty address removes it)."""
    if recipient.kind not in RECIPIENT_KINDS:
        raise InvalidInput(
            message(
                "error.notices.recipient_kind",
                kinds=RECIPIENT_KINDS,
                found=repr(recipient.kind),
            )
        )
    address = address.strip()
    if address and ("@" not in address or any(c.isspace() for c in address)):
        raise InvalidInput(message("error.notices.email", found=repr(address)))
    with Session(engine) as session, session.begin():
        row = session.scalars(
            select(NoticeContactRow).where(
                NoticeContactRow.recipient_kind == recipient.kind,
                NoticeContactRow.recipient == recipient.id,
            )
        ).one_or_none()
        if not address:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(
                NoticeContactRow(
                    recipient_kind=recipient.kind, recipient=recipient.id, address=address
                )
            )
        else:
            row.address = address
        AuditWriter(session).append(
            actor,
            "set" if address else "remove",
            "notice_contact",
            f"{recipient.kind}:{recipient.id}",
            {"address": address or None},
        )


def _settings() -> SmtpSettings | str | None:
    """The SMTP settings, or the error of a malformed one (recorded, never raised: the notice
    is already stored and the change that caused it done)."""
    try:
        return smtp_settings()
    except ValueError as exc:
        return str(exc)


def _mail(session: Session, rows: list[NoticeRow], settings: SmtpSettings | str | None) -> None:
    """Mail ``rows`` where the recipient has an address; record each outcome on its notice."""
    if settings is None or not rows:
        return
    contacts = {
        (c.recipient_kind, c.recipient): c.address
        for c in session.scalars(select(NoticeContactRow)).all()
    }
    for row in rows:
        address = contacts.get((row.recipient_kind, row.recipient))
        if address is None:
            continue
        body = f"{row.body_zh}\n\n{row.body_en}\n"
        if row.link:
            body += f"\n{row.link}\n"
        mail = Mail(address, f"{row.subject_zh} / {row.subject_en}", body)
        error = settings if isinstance(settings, str) else send_mail(settings, mail)
        row.mail_state = "failed" if error else "sent"
        row.mail_error = error
        row.mailed_at = datetime.now(UTC)


def notify(
    engine: Engine,
    kind: str,
    event: str,
    recipients: Iterable[Recipient],
    fields: Mapping[str, object],
    link: str | None = None,
) -> list[int]:
    """The event's notice to each recipient that has none yet, then mailed; the new ids."""
    if kind not in KINDS:
        raise InvalidInput(message("error.notices.kind", kinds=KINDS, found=repr(kind)))
    subject_zh, body_zh, subject_en, body_en = _texts(kind, fields)
    wanted = list(dict.fromkeys(recipients))
    with Session(engine) as session, session.begin():
        have = {
            (r.recipient_kind, r.recipient)
            for r in session.scalars(select(NoticeRow).where(NoticeRow.event == event)).all()
        }
        created = [
            NoticeRow(
                kind=kind,
                event=event,
                recipient_kind=r.kind,
                recipient=r.id,
                subject_zh=subject_zh,
                subject_en=subject_en,
                body_zh=body_zh,
                body_en=body_en,
                link=link,
                mail_state="none",
            )
            for r in wanted
            if (r.kind, r.id) not in have
        ]
        session.add_all(created)
        session.flush()
        ids = [row.id for row in created]
    # Mailed after the notices are committed: a mail server that hangs or fails loses nothing.
    with Session(engine) as session, session.begin():
        rows = list(session.scalars(select(NoticeRow).where(NoticeRow.id.in_(ids))).all())
        _mail(session, rows, _settings())
    return ids


def retry_mail(engine: Engine) -> int:
    """Mail again every notice whose mail failed; how many are now sent."""
    with Session(engine) as session, session.begin():
        rows = list(
            session.scalars(select(NoticeRow).where(NoticeRow.mail_state == "failed")).all()
        )
        _mail(session, rows, _settings())
        return sum(r.mail_state == "sent" for r in rows)


def notify_returned(engine: Engine, submission: SubmissionRow) -> list[int]:
    """A returned report's notice to its enterprise, with the office's note."""
    with Session(engine) as session:
        enterprise = session.get(EnterpriseRow, submission.enterprise_id)
        code = enterprise.code if enterprise else str(submission.enterprise_id)
        name = enterprise.name_zh if enterprise else code
    return notify(
        engine,
        "returned",
        f"returned:{submission.id}",
        [Recipient("enterprise", code)],
        {
            "enterprise": name,
            "period": submission.period,
            "version": submission.version,
            "note": submission.review_note or "",
        },
        link=f"/enterprises/{code}",
    )
