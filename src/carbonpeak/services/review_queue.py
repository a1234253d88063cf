"""The office's review queue: the latest version of each enterprise-month report with its state
and sector, who has not reported a month by its deadline, accepting (one or many) and returning
with a note, and reminders to late reporters. A returned report and a reminder each store an
event for the notices (services/registry_events.py) in the same transaction."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from carbonpeak.messages import message
from carbonpeak.services.audit import AuditWriter
from carbonpeak.services.notice_events import enterprise_names
from carbonpeak.services.notices import Recipient
from carbonpeak.services.notices import notify as notice
from carbonpeak.services.registry_events import notify
from carbonpeak.services.registry_fields import registry_parameter
from carbonpeak.services.submissions import (
    SubmissionError,
    check_submissions,
    mark_accepted,
    review,
)
from carbonpeak.storage import EnterpriseRow, SubmissionRow

__all__ = [
    "accept_selected",
    "deadline",
    "late_reporters",
    "queue",
    "remind_late",
    "reporting_month",
    "return_report",
    "submission_enterprise",
]


def _deadline_day() -> int:
    return int(registry_parameter("report_deadline_day"))


def deadline(month: str) -> date:
    """The day a month's report is due: the reference data's day of the following month."""
    year, number = int(month[:4]), int(month[5:7])
    year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    return date(year, number, min(_deadline_day(), monthrange(year, number)[1]))


def reporting_month(today: date) -> str:
    """The month whose report is due next: the one before ``today``'s."""
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    return f"{year:04d}-{month:02d}"


def queue(
    engine: Engine,
    month: str | None = None,
    state: str | None = None,
    sector: str | None = None,
) -> list[dict[str, Any]]:
    """The latest version of every enterprise-month report, newest month first."""
    with Session(engine) as session:
        latest = (
            select(
                SubmissionRow.enterprise_id,
                SubmissionRow.period,
                func.max(SubmissionRow.version).label("version"),
            )
            .group_by(SubmissionRow.enterprise_id, SubmissionRow.period)
            .subquery()
        )
        query = (
            select(SubmissionRow, EnterpriseRow)
            .join(EnterpriseRow, EnterpriseRow.id == SubmissionRow.enterprise_id)
            .join(
                latest,
                (SubmissionRow.enterprise_id == latest.c.enterprise_id)
                & (SubmissionRow.period == latest.c.period)
                & (SubmissionRow.version == latest.c.version),
            )
        )
        if month:
            query = query.where(SubmissionRow.period == month)
        if state:
            query = query.where(SubmissionRow.state == state)
        if sector:
            query = query.where(EnterpriseRow.sector_code.startswith(sector))
        rows = session.execute(
            query.order_by(SubmissionRow.period.desc(), EnterpriseRow.code).limit(200)
        ).all()
        return [
            {
                "id": s.id,
                "enterprise": e.code,
                "name_zh": e.name_zh,
                "name_en": e.name_en or e.name_zh,
                "sector": e.sector_code,
                "period": s.period,
                "version": s.version,
                "state": s.state,
                "source": s.source,
                "reason": s.reason,
                "review_note": s.review_note,
                "created_by": s.created_by,
                "due": deadline(s.period).isoformat(),
                "late": s.created_at is not None and s.created_at.date() > deadline(s.period),
            }
            for s, e in rows
        ]


def late_reporters(engine: Engine, month: str, today: date) -> list[dict[str, Any]]:
    """Open enterprises registered before ``month`` ended with no report for it submitted or
    accepted; ``overdue`` once its deadline has passed."""
    last_day = date(int(month[:4]), int(month[5:7]), monthrange(int(month[:4]), int(month[5:7]))[1])
    with Session(engine) as session:
        reported = set(
            session.scalars(
                select(SubmissionRow.enterprise_id).where(
                    SubmissionRow.period == month,
                    SubmissionRow.state.in_(("submitted", "accepted")),
                )
            )
        )
        rows = session.scalars(select(EnterpriseRow).order_by(EnterpriseRow.code)).all()
        due = deadline(month)
        return [
            {
                "enterprise": e.code,
                "name_zh": e.name_zh,
                "name_en": e.name_en or e.name_zh,
                "sector": e.sector_code,
                "period": month,
                "due": due.isoformat(),
                "overdue": today > due,
            }
            for e in rows
            if e.id not in reported
            and e.closed_on is None
            and (e.opened_on is None or e.opened_on <= last_day)
        ]


def return_report(engine: Engine, submission_id: int, note: str, actor: str) -> dict[str, Any]:
    """Return a submitted report with the office's note, by the workflow's own review (the
    state, its audit entry, the enterprise's notice and e-mail), then the registry's event."""
    returned = review(engine, submission_id, False, actor, note.strip())
    note = returned.review_note or ""
    with Session(engine) as session, session.begin():
        code = str(
            session.scalar(
                select(EnterpriseRow.code).where(EnterpriseRow.id == returned.enterprise_id)
            )
        )
        notify(
            session,
            "report_returned",
            "enterprise",
            code,
            (f"{returned.period} 月报被退回：{note}", f"Report {returned.period} returned: {note}"),
            {
                "submission": returned.id,
                "period": returned.period,
                "version": returned.version,
                "note": note,
            },
            actor,
        )
    return {
        "id": returned.id,
        "state": returned.state,
        "period": returned.period,
        "enterprise": code,
    }


def accept_selected(engine: Engine, ids: list[int], actor: str, note: str | None = None) -> int:
    """Accept the chosen submitted reports together: all are accounted as one (as review
    would), and any problem accepts none. Returns how many were accepted."""
    chosen = sorted(set(ids))
    if not chosen:
        return 0
    with Session(engine) as session:
        states = dict(
            session.execute(
                select(SubmissionRow.id, SubmissionRow.state).where(SubmissionRow.id.in_(chosen))
            ).all()
        )
        not_pending = [i for i in chosen if states.get(i) != "submitted"]
        if not_pending:
            raise SubmissionError(
                message("error.review_queue.not_pending", not_pending=str(not_pending))
            )
    check_submissions(engine, SubmissionRow.id.in_(chosen), "the chosen reports")
    with Session(engine) as session, session.begin():
        audit = AuditWriter(session)
        for submission in session.scalars(
            select(SubmissionRow).where(SubmissionRow.id.in_(chosen)).with_for_update()
        ):
            if submission.state != "submitted":
                raise SubmissionError(
                    message("error.review_queue.changed", submission=submission.id)
                )
            mark_accepted(audit, submission, actor, note)
    return len(chosen)


def remind_late(engine: Engine, month: str, today: date, actor: str) -> list[str]:
    """Store a reminder for every enterprise overdue with ``month``; returns their codes."""
    late = [r for r in late_reporters(engine, month, today) if r["overdue"]]
    with Session(engine) as session, session.begin():
        for row in late:
            notify(
                session,
                "report_reminder",
                "enterprise",
                row["enterprise"],
                (
                    f"{month} 月报已逾期（截止 {row['due']}），请尽快报送",
                    f"Report {month} is overdue (due {row['due']}): please submit it",
                ),
                {"period": month, "due": row["due"]},
                actor,
            )
        if late:
            AuditWriter(session).append(
                actor, "remind", "period", month, {"enterprises": [r["enterprise"] for r in late]}
            )
    names = enterprise_names(engine)
    for row in late:  # the same notice the daily deadline run makes: one per enterprise and month
        code = row["enterprise"]
        notice(
            engine,
            "report_overdue",
            f"report_overdue:{code}:{month}",
            [Recipient("enterprise", code)],
            {"enterprise": names.get(code, code), "period": month, "due": row["due"]},
            link=f"/enterprises/{code}",
        )
    return [r["enterprise"] for r in late]


def submission_enterprise(engine: Engine, submission_id: int) -> str | None:
    """The enterprise code of a submission (None if there is no such submission)."""
    with Session(engine) as session:
        found = session.scalar(
            select(EnterpriseRow.code)
            .join(SubmissionRow, SubmissionRow.enterprise_id == EnterpriseRow.id)
            .where(SubmissionRow.id == submission_id)
        )
        return None if found is None else str(found)
