"""Evidence files of task, indicator and monthly reports: the type checked by name and by the
file's first bytes, the size within the upload limit, the SHA-256 recorded; the bytes stored in
``<data directory>/evidence/<sha256>`` (as ``store_evidence`` does), never in the rows. A
download is checked against the recorded hash, and admitted to the office and the owner only."""

from __future__ import annotations

import hashlib
import tempfile
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from carbonpeak.errors import Forbidden, InvalidInput, NotFound
from carbonpeak.messages import message
from carbonpeak.plan import Plan
from carbonpeak.services.accounts import Principal, Role
from carbonpeak.services.audit import AuditWriter
from carbonpeak.services.indicator_reports import report_indicator
from carbonpeak.services.tasks import report_task_progress
from carbonpeak.settings import settings
from carbonpeak.storage import EvidenceFileRow, TaskProgressRow, data_directory

__all__ = [
    "EVIDENCE_TYPES",
    "EvidenceError",
    "attach_evidence",
    "download_headers",
    "evidence_list",
    "read_evidence",
    "report_indicator_with_evidence",
    "report_task_with_evidence",
]

# Accepted types: suffix → (media type, the first bytes it must start with; None: UTF-8 text).
EVIDENCE_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".csv": ("text/csv", None),
    ".txt": ("text/plain", None),
}
ATTACHABLE = ("task_progress", "indicator", "submission")


class EvidenceError(InvalidInput):
    """An evidence file of a type not accepted, empty, too large, or not what its name says."""


class EvidenceNotFound(NotFound, EvidenceError):
    """No evidence file with that id, or its bytes are missing or altered."""


def _folder() -> Path:
    return data_directory() / "evidence"


def check_evidence(content: bytes, filename: str) -> tuple[str, str]:
    """(media type, sha256) of an acceptable evidence file; raises :class:`EvidenceError`."""
    name = Path(filename).name
    suffix = Path(name).suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        raise EvidenceError(
            message(
                "error.evidence.file_type",
                name=name,
                suffix=suffix or "(none)",
                expected=", ".join(EVIDENCE_TYPES),
            )
        )
    if not content:
        raise EvidenceError(message("error.evidence.empty", name=name))
    limit = settings().max_upload_bytes
    if len(content) > limit:
        raise EvidenceError(
            message("error.evidence.too_large", name=name, size=len(content), limit=limit)
        )
    media_type, magic = EVIDENCE_TYPES[suffix]
    if magic is None:
        try:
            content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise EvidenceError(
                message("error.evidence.not_utf8", name=name, suffix=suffix)
            ) from None
    elif not content.startswith(magic):
        raise EvidenceError(message("error.evidence.content", name=name, suffix=suffix))
    return media_type, hashlib.sha256(content).hexdigest()


def attach_evidence(
    engine: Engine,
    content: bytes,
    filename: str,
    attached_to: str,
    attached_id: int,
    actor: str,
    organisation: str | None = None,
    enterprise: str | None = None,
) -> dict[str, Any]:
    """Check and store an evidence file for a report; the owner (an organisation or an
    enterprise) and the office may download it."""
    if attached_to not in ATTACHABLE:
        raise EvidenceError(
            message(
                "error.evidence.attaches_to", attachable=str(ATTACHABLE), found=repr(attached_to)
            )
        )
    media_type, digest = check_evidence(content, filename)
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / digest
    if not target.exists():
        partial = folder / f".{digest}.part"
        partial.write_bytes(content)
        partial.replace(target)  # atomic: a reader never sees half a file
    with Session(engine) as session, session.begin():
        row = EvidenceFileRow(
            attached_to=attached_to,
            attached_id=attached_id,
            owner_organisation=organisation,
            owner_enterprise=enterprise,
            name=Path(filename).name[:300],
            media_type=media_type,
            size=len(content),
            sha256=digest,
            uploaded_by=actor,
        )
        session.add(row)
        session.flush()
        AuditWriter(session).append(
            actor,
            "evidence",
            attached_to,
            str(attached_id),
            {"file": row.name, "sha256": digest, "size": row.size, "evidence_id": row.id},
        )
        return _as_dict(row)


def _as_dict(row: EvidenceFileRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "attached_to": row.attached_to,
        "attached_id": row.attached_id,
        "organisation": row.owner_organisation,
        "enterprise": row.owner_enterprise,
        "name": row.name,
        "media_type": row.media_type,
        "size": row.size,
        "sha256": row.sha256,
        "uploaded_by": row.uploaded_by,
    }


def _allowed(principal: Principal, row: EvidenceFileRow) -> bool:
    if principal.role is Role.admin:
        return True
    if principal.role is Role.unit:
        return row.owner_organisation is not None and row.owner_organisation == (
            principal.organisation
        )
    if principal.role is Role.enterprise:
        return row.owner_enterprise is not None and row.owner_enterprise == principal.enterprise
    return False


def evidence_list(
    engine: Engine,
    principal: Principal,
    attached_to: str | None = None,
    attached_id: int | None = None,
) -> list[dict[str, Any]]:
    """The evidence files ``principal`` may download, newest first."""
    with Session(engine) as session:
        query = select(EvidenceFileRow).order_by(EvidenceFileRow.id.desc())
        if attached_to is not None:
            query = query.where(EvidenceFileRow.attached_to == attached_to)
        if attached_id is not None:
            query = query.where(EvidenceFileRow.attached_id == attached_id)
        return [_as_dict(r) for r in session.scalars(query.limit(500)) if _allowed(principal, r)]


def read_evidence(
    engine: Engine, principal: Principal, evidence_id: int
) -> tuple[dict[str, Any], bytes]:
    """An evidence file and its bytes, checked against the recorded SHA-256."""
    with Session(engine) as session:
        row = session.get(EvidenceFileRow, evidence_id)
        if row is None:
            raise EvidenceNotFound(message("error.evidence.none", evidence=evidence_id))
        if not _allowed(principal, row):
            raise Forbidden(message("error.evidence.download"))
        found = _as_dict(row)
    path = _folder() / found["sha256"]
    if not path.exists():
        raise EvidenceNotFound(message("error.evidence.missing", evidence=evidence_id))
    content = path.read_bytes()
    if hashlib.sha256(content).hexdigest() != found["sha256"]:
        raise EvidenceNotFound(message("error.evidence.altered", evidence=evidence_id))
    return found, content


def download_headers(found: dict[str, Any]) -> dict[str, str]:
    """The HTTP headers of an evidence download (API and pages alike): the file's own name, and
    the SHA-256 its bytes were checked against."""
    return {
        "Content-Disposition": "attachment; filename*=UTF-8''" + quote(found["name"]),
        "X-Content-SHA256": found["sha256"],
    }


def report_task_with_evidence(
    engine: Engine,
    plan: Plan,
    task: str,
    unit: str,
    percent_complete: float,
    summary: str,
    actor: str,
    files: list[tuple[str, bytes]],
    next_milestone: str | None = None,
    milestone_due: date | None = None,
) -> tuple[int, list[dict[str, Any]]]:
    """A task progress report with its evidence files: every file is checked before anything
    is written. Returns the report's id and the files stored."""
    for name, content in files:
        check_evidence(content, name)
    first = files[0] if files else None
    with tempfile.TemporaryDirectory() as folder:
        path = None
        if first is not None:
            path = Path(folder) / Path(first[0]).name
            path.write_bytes(first[1])
        report_task_progress(
            engine,
            plan,
            task,
            unit,
            date.today(),
            percent_complete,
            summary,
            actor,
            next_milestone,
            milestone_due,
            evidence=path,
        )
    organisation = plan.organisation(unit).id
    with Session(engine) as session:
        report_id = int(
            session.scalar(
                select(func.max(TaskProgressRow.id)).where(
                    TaskProgressRow.task == task, TaskProgressRow.reporting_unit == organisation
                )
            )
            or 0
        )
    stored = [
        attach_evidence(
            engine, content, name, "task_progress", report_id, actor, organisation=organisation
        )
        for name, content in files
    ]
    return report_id, stored


def report_indicator_with_evidence(
    engine: Engine,
    plan: Plan,
    indicator: str,
    year: int,
    value: float,
    value_unit: str,
    unit: str,
    actor: str,
    files: list[tuple[str, bytes]],
    reason: str | None = None,
) -> tuple[int, list[dict[str, Any]]]:
    """An indicator report with its evidence files, checked before anything is written."""
    for name, content in files:
        check_evidence(content, name)
    row = report_indicator(
        engine, plan, indicator, year, value, value_unit, unit, actor, reason=reason
    )
    organisation = plan.organisation(unit).id
    stored = [
        attach_evidence(
            engine, content, name, "indicator", row.id, actor, organisation=organisation
        )
        for name, content in files
    ]
    return row.id, stored
