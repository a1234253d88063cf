"""Enterprise reports: ingest (validated whole, idempotent), amend with a reason, review, and
hand accepted data to accounting. Every change is written to the audit log in the same
transaction."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import pandas as pd
from sqlalchemy import ColumnElement, Engine, func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from carbonpeak.accounting import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from carbonpeak.datafile import DataFileError, Problem
from carbonpeak.errors import Conflict, InvalidInput, NotFound
from carbonpeak.messages import message
from carbonpeak.services.audit import AuditWriter
from carbonpeak.services.notices import notify_returned
from carbonpeak.services.registry import enterprise_ids
from carbonpeak.services.validation import check_accountable, check_registry, line_numbers
from carbonpeak.storage import ActivityRecordRow, EnterpriseRow, SubmissionRow

__all__ = [
    "IngestResult",
    "SubmissionConflict",
    "SubmissionError",
    "accept_all",
    "accepted_activity",
    "check_submissions",
    "ingest",
    "mark_accepted",
    "review",
    "submit_draft",
    "template_rows",
]

State = Literal["draft", "submitted"]


class SubmissionError(InvalidInput):
    """A review or state change that the workflow does not allow."""


class SubmissionNotFound(NotFound, SubmissionError):
    """No submission with that id."""


class SubmissionConflict(Conflict):
    """Another request stored the same enterprise-month (or changed the submission) at the same
    moment; nothing from this one was written. Trying again sees the other's result."""


@dataclass
class IngestResult:
    created: list[tuple[str, str, int]] = field(default_factory=list)  # enterprise, period, version
    amended: int = 0
    unchanged: int = 0


def _cells(raw: pd.DataFrame) -> list[dict[str, str]]:
    columns = [c for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in raw.columns]
    text = raw[columns].astype(object).where(raw[columns].notna(), "").astype(str)
    return [
        {str(k): str(v).strip() for k, v in row.items() if str(v).strip()}
        for row in text.to_dict("records")
    ]


def _fingerprint(rows: list[dict[str, str]]) -> str:
    canonical = sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows)
    return hashlib.sha256("\n".join(canonical).encode("utf-8")).hexdigest()


def _check_against_store(
    session: Session, cells: list[dict[str, str]], lines: list[int], source: str, today: date
) -> dict[str, int]:
    known = enterprise_ids(session)
    current = f"{today.year:04d}-{today.month:02d}"
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for line, row in zip(lines, cells, strict=True):
        if row["enterprise"] not in known:
            problems.append(
                Problem(
                    f"row {line}, column enterprise",
                    "unknown enterprise",
                    expected="a registered enterprise code",
                    found=row["enterprise"],
                )
            )
        if row["period"] >= current:
            problems.append(
                Problem(
                    f"row {line}, column period",
                    "the month has not ended yet",
                    expected=f"before {current}",
                    found=row["period"],
                )
            )
        key = json.dumps(row, ensure_ascii=False, sort_keys=True)
        if key in seen:
            problems.append(
                Problem(
                    f"row {line}",
                    "duplicate of an earlier row",
                    expected="each row once",
                    found=f"same as row {seen[key]}",
                )
            )
        seen.setdefault(key, line)
    problems += check_registry(session, cells, lines)
    if problems:
        raise DataFileError(source, problems[:50])
    return known


def ingest(
    engine: Engine,
    raw: pd.DataFrame,
    source: str,
    actor: str,
    reason: str | None = None,
    state: State = "submitted",
    today: date | None = None,
) -> IngestResult:
    """Store a report file as one submission per enterprise and month.

    The file is validated whole first (``parse_activity``, the accounting and its
    reconciliation, and the registry); any problem raises :class:`DataFileError` and nothing is
    written. Content identical to the latest version is unchanged; different content is an
    amendment and needs ``reason``. A concurrent write of the same enterprise-month raises
    :class:`SubmissionConflict`.
    """
    if raw.empty:
        raise DataFileError(
            source,
            [
                Problem(
                    "file",
                    "no rows to ingest",
                    expected="at least one data row under the header",
                    found="0 rows",
                )
            ],
        )
    check_accountable(raw, source)
    cells = _cells(raw)
    lines = line_numbers(raw)
    groups: dict[tuple[str, str], list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for line, row in zip(lines, cells, strict=True):
        groups[(row["enterprise"], row["period"])].append((line, row))
    try:
        return _store(engine, groups, cells, lines, source, actor, reason, state, today)
    except (IntegrityError, OperationalError) as exc:
        # PostgreSQL: the other version's row violates the unique key. SQLite: this transaction
        # read before the other committed and may not write on a stale snapshot ("locked").
        if isinstance(exc, OperationalError) and "locked" not in str(exc):
            raise
        raise SubmissionConflict(message("error.submissions.same_moment", source=source)) from exc


def _store(
    engine: Engine,
    groups: dict[tuple[str, str], list[tuple[int, dict[str, str]]]],
    cells: list[dict[str, str]],
    all_lines: list[int],
    source: str,
    actor: str,
    reason: str | None,
    state: State,
    today: date | None,
) -> IngestResult:
    result = IngestResult()
    with Session(engine) as session, session.begin():
        known = _check_against_store(session, cells, all_lines, source, today or date.today())
        audit = AuditWriter(session)
        needs_reason: list[Problem] = []
        for (enterprise, period), lines in groups.items():
            enterprise_id = known[enterprise]
            digest = _fingerprint([row for _, row in lines])
            latest = session.scalars(
                select(SubmissionRow)
                .where(SubmissionRow.enterprise_id == enterprise_id, SubmissionRow.period == period)
                .order_by(SubmissionRow.version.desc())
                .limit(1)
            ).one_or_none()
            if latest is not None and latest.content_sha256 == digest:
                result.unchanged += 1
                continue
            if latest is not None and not (reason and reason.strip()):
                needs_reason.append(
                    Problem(
                        f"rows {lines[0][0]}–{lines[-1][0]} ({enterprise}, {period})",
                        "changes a report already stored: an amendment needs a reason",
                        expected="--reason",
                        found=None,
                    )
                )
                continue
            submission = SubmissionRow(
                enterprise_id=enterprise_id,
                period=period,
                version=latest.version + 1 if latest else 1,
                state=state,
                content_sha256=digest,
                source=source,
                reason=reason.strip() if latest and reason else None,
                supersedes_id=latest.id if latest else None,
                created_by=actor,
                rows=[ActivityRecordRow(line=line, cells=row) for line, row in lines],
            )
            session.add(submission)
            session.flush()
            audit.append(
                actor,
                "amend" if latest else state,
                "submission",
                str(submission.id),
                {
                    "enterprise": enterprise,
                    "period": period,
                    "version": submission.version,
                    "state": state,
                    "sha256": digest,
                    "rows": len(lines),
                    "source": source,
                    "reason": submission.reason,
                    "supersedes_version": latest.version if latest else None,
                },
            )
            result.amended += latest is not None
            result.created.append((enterprise, period, submission.version))
        if needs_reason:
            raise DataFileError(source, needs_reason)
    return result


def _transition(
    engine: Engine, submission_id: int, allowed: str, new_state: str, actor: str, note: str | None
) -> SubmissionRow:
    with Session(engine) as session, session.begin():
        submission = session.get(SubmissionRow, submission_id)
        if submission is None:
            raise SubmissionNotFound(
                message("error.registry.no_submission", submission=submission_id)
            )
        if submission.state != allowed:
            raise SubmissionError(
                message(
                    "error.submissions.state",
                    submission=submission_id,
                    state=submission.state,
                    allowed=allowed,
                    new_state=new_state,
                )
            )
        submission.state = new_state
        submission.review_note = note
        AuditWriter(session).append(
            actor,
            new_state,
            "submission",
            str(submission_id),
            {"from": allowed, "to": new_state, "note": note},
        )
        session.flush()
        session.expunge(submission)
        return submission


def submit_draft(engine: Engine, submission_id: int, actor: str) -> SubmissionRow:
    return _transition(engine, submission_id, "draft", "submitted", actor, None)


def review(
    engine: Engine, submission_id: int, accept: bool, actor: str, note: str | None = None
) -> SubmissionRow:
    """The office accepts a submitted report, or returns it with a note. A report is accepted
    only if it still accounts and reconciles (``check_accountable``), so an accepted report can
    never break the base's accounts."""
    if not accept and not (note and note.strip()):
        raise SubmissionError(message("error.submissions.return_note"))
    if accept:
        check_submissions(engine, SubmissionRow.id == submission_id, f"submission {submission_id}")
    reviewed = _transition(
        engine, submission_id, "submitted", "accepted" if accept else "returned", actor, note
    )
    if not accept:
        notify_returned(engine, reviewed)  # the enterprise's inbox, and its e-mail
    return reviewed


def check_submissions(engine: Engine, chosen: ColumnElement[bool], name: str) -> None:
    """Account the stored rows of the chosen submissions, as review would accept them."""
    with Session(engine) as session:
        stored = session.execute(
            select(ActivityRecordRow.cells, ActivityRecordRow.line)
            .join(SubmissionRow, ActivityRecordRow.submission_id == SubmissionRow.id)
            .where(chosen)
            .order_by(SubmissionRow.id, ActivityRecordRow.line)
        ).all()
    if not stored:
        return
    frame = pd.DataFrame.from_records([cells for cells, _line in stored]).fillna("")
    frame.attrs["rows"] = [line for _cells, line in stored]  # as stored: the file's rows
    check_accountable(frame, name)


def accept_all(engine: Engine, actor: str, note: str | None = None) -> int:
    """Accept every submitted report (the demo's office does this); returns how many. All are
    accounted together first; any problem accepts none."""
    with Session(engine) as session:
        last = session.scalar(
            select(func.max(SubmissionRow.id)).where(SubmissionRow.state == "submitted")
        )
    if last is None:
        return 0
    pending_up_to_last = (SubmissionRow.state == "submitted") & (SubmissionRow.id <= last)
    check_submissions(engine, pending_up_to_last, "the submitted reports")
    with Session(engine) as session, session.begin():
        pending = session.scalars(
            select(SubmissionRow).where(pending_up_to_last).order_by(SubmissionRow.id)
        ).all()
        audit = AuditWriter(session)
        for submission in pending:
            mark_accepted(audit, submission, actor, note)
        return len(pending)


def mark_accepted(
    audit: AuditWriter, submission: SubmissionRow, actor: str, note: str | None
) -> None:
    """Accept one submitted report in the caller's transaction, with its audit entry."""
    submission.state = "accepted"
    submission.review_note = note
    audit.append(
        actor,
        "accepted",
        "submission",
        str(submission.id),
        {"from": "submitted", "to": "accepted", "note": note},
    )


def accepted_activity(engine: Engine) -> pd.DataFrame:
    """Rows of the latest accepted version of every enterprise-month, as received."""
    with Session(engine) as session:
        accepted = (
            select(
                SubmissionRow.enterprise_id,
                SubmissionRow.period,
                func.max(SubmissionRow.version).label("version"),
            )
            .where(SubmissionRow.state == "accepted")
            .group_by(SubmissionRow.enterprise_id, SubmissionRow.period)
            .subquery()
        )
        query = (
            select(ActivityRecordRow.cells)
            .join(SubmissionRow, ActivityRecordRow.submission_id == SubmissionRow.id)
            .join(
                accepted,
                (SubmissionRow.enterprise_id == accepted.c.enterprise_id)
                & (SubmissionRow.period == accepted.c.period)
                & (SubmissionRow.version == accepted.c.version),
            )
            .order_by(SubmissionRow.id, ActivityRecordRow.line)
        )
        cells = session.scalars(query).all()
    frame = pd.DataFrame.from_records(list(cells)).fillna("")
    if frame.empty:
        frame = pd.DataFrame(columns=list(REQUIRED_COLUMNS))
    return frame


def template_rows(engine: Engine, enterprise: str) -> tuple[EnterpriseRow, pd.DataFrame]:
    """The enterprise and the rows of its latest stored report (facility, item, role, purpose,
    unit), to pre-fill its template."""
    with Session(engine) as session:
        row = session.scalars(
            select(EnterpriseRow).where(EnterpriseRow.code == enterprise)
        ).one_or_none()
        if row is None:
            raise SubmissionError(
                message("error.submissions.unknown_enterprise", enterprise=repr(enterprise))
            )
        latest = session.scalars(
            select(SubmissionRow)
            .where(SubmissionRow.enterprise_id == row.id)
            .order_by(SubmissionRow.period.desc(), SubmissionRow.version.desc())
            .limit(1)
        ).one_or_none()
        cells = [r.cells for r in latest.rows] if latest is not None else []
        session.expunge(row)
    columns = ["facility", "item", "role", "purpose", "unit"]
    frame = pd.DataFrame.from_records(cells).reindex(columns=columns).fillna("")
    return row, frame.drop_duplicates()
