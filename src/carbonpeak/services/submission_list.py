"""Submissions one page at a time, newest first."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from carbonpeak.storage import EnterpriseRow, SubmissionRow

__all__ = ["submission_list"]


def submission_list(
    engine: Engine,
    enterprise: str | None = None,
    state: str | None = None,
    period: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[int, list[dict[str, Any]]]:
    """Submissions, newest first: (total matching, one page)."""
    with Session(engine) as session:
        query = select(SubmissionRow, EnterpriseRow.code).join(
            EnterpriseRow, EnterpriseRow.id == SubmissionRow.enterprise_id
        )
        if enterprise is not None:
            query = query.where(EnterpriseRow.code == enterprise)
        if state is not None:
            query = query.where(SubmissionRow.state == state)
        if period is not None:
            query = query.where(SubmissionRow.period.startswith(period))
        total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
        page = session.execute(
            query.order_by(SubmissionRow.period.desc(), SubmissionRow.id.desc())
            .offset(offset)
            .limit(limit)
        ).all()
        return total, [
            {
                "id": row.id,
                "enterprise": code,
                "period": row.period,
                "version": row.version,
                "state": row.state,
                "source": row.source,
                "content_sha256": row.content_sha256,
                "created_by": row.created_by,
                "created_at": row.created_at.isoformat(timespec="seconds")
                if row.created_at
                else None,
                "reason": row.reason,
                "review_note": row.review_note,
            }
            for row, code in page
        ]
