"""The stored data against the audit log: what the log says was stored must be what is stored.

For every report (submission) the log holds the SHA-256 of its rows when it was stored and every
change of its state. ``check_submissions`` recomputes each stored report's hash from its rows and
compares it with the row's ``content_sha256`` and with the hash in the log, and replays the
state changes: an edited report row, an edited hash, a report deleted or added behind the log's
back, or a state changed without an entry, each names the report.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from carbonpeak.datafile import Problem
from carbonpeak.services.submissions import _fingerprint
from carbonpeak.storage import ActivityRecordRow, AuditEntryRow, EnterpriseRow, SubmissionRow

__all__ = ["check_submissions"]

CREATING = {"draft", "submitted", "amend"}


def _payload(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def check_submissions(session: Session) -> list[Problem]:
    created: dict[str, dict[str, Any]] = {}
    state: dict[str, str] = {}
    for entry in session.scalars(
        select(AuditEntryRow)
        .where(AuditEntryRow.entity == "submission")
        .order_by(AuditEntryRow.seq)
    ):
        payload = _payload(entry.payload)
        if entry.action in CREATING:
            created[entry.entity_id] = {**payload, "seq": entry.seq}
            state[entry.entity_id] = str(payload.get("state", entry.action))
        elif "to" in payload:
            state[entry.entity_id] = str(payload["to"])
    cells: dict[int, list[dict[str, str]]] = defaultdict(list)
    for submission_id, row in session.execute(
        select(ActivityRecordRow.submission_id, ActivityRecordRow.cells).order_by(
            ActivityRecordRow.submission_id, ActivityRecordRow.line
        )
    ):
        cells[submission_id].append(row)
    codes: dict[int, str] = dict(
        session.execute(select(EnterpriseRow.id, EnterpriseRow.code)).all()
    )
    problems: list[Problem] = []
    stored: set[str] = set()
    for submission in session.scalars(select(SubmissionRow).order_by(SubmissionRow.id)):
        key = str(submission.id)
        stored.add(key)
        where = (
            f"submission {submission.id} ({codes.get(submission.enterprise_id, '?')}, "
            f"{submission.period}, version {submission.version})"
        )
        recomputed = _fingerprint(cells.get(submission.id, []))
        if recomputed != submission.content_sha256:
            problems.append(
                Problem(
                    where,
                    "its stored rows do not match its content hash (rows edited)",
                    expected=submission.content_sha256[:16],
                    found=recomputed[:16],
                )
            )
        logged = created.get(key)
        if logged is None:
            problems.append(Problem(where, "stored without an audit entry"))
            continue
        if logged.get("sha256") != submission.content_sha256:
            problems.append(
                Problem(
                    where,
                    f"content hash differs from the one in audit entry {logged['seq']}",
                    expected=str(logged.get("sha256"))[:16],
                    found=submission.content_sha256[:16],
                )
            )
        if (logged.get("period"), logged.get("version")) != (
            submission.period,
            submission.version,
        ):
            problems.append(
                Problem(
                    where,
                    f"period or version differs from audit entry {logged['seq']}",
                    expected=f"{logged.get('period')} version {logged.get('version')}",
                    found=f"{submission.period} version {submission.version}",
                )
            )
        if state.get(key) != submission.state:
            problems.append(
                Problem(
                    where,
                    "state differs from the last state the audit log recorded",
                    expected=state.get(key),
                    found=submission.state,
                )
            )
    for key in sorted(set(created) - stored, key=int):
        logged = created[key]
        problems.append(
            Problem(
                f"submission {key} ({logged.get('enterprise')}, {logged.get('period')}, "
                f"version {logged.get('version')})",
                f"in audit entry {logged['seq']} but missing from the store (deleted)",
            )
        )
    return problems
