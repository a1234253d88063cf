"""Task progress: responsible units report on their plan tasks; the board flags overdue and
stalled tasks."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from carbonpeak.errors import Forbidden, InvalidInput, not_found
from carbonpeak.messages import message
from carbonpeak.plan import Plan
from carbonpeak.services.audit import AuditWriter
from carbonpeak.services.indicator_reports import store_evidence
from carbonpeak.storage import TaskProgressRow
from carbonpeak.tracking.method import tracking_method
from carbonpeak.tracking.taskboard import ProgressReport
from carbonpeak.tracking.taskboard import task_board as board

__all__ = [
    "STALLED_AFTER_DAYS",
    "NotResponsibleForTask",
    "TaskProgressError",
    "progress_reports",
    "report_task_progress",
    "task_board",
]

# A task without a progress report for this long is stalled (data/methods/tracking.yaml).
STALLED_AFTER_DAYS = int(tracking_method().parameter("stalled_after_days"))


class TaskProgressError(InvalidInput):
    """A report by a unit not responsible for the task, or with impossible values."""


class NotResponsibleForTask(Forbidden, TaskProgressError):
    """The reporting unit is not one of the task's responsible units."""


def report_task_progress(
    engine: Engine,
    plan: Plan,
    task_id: str,
    unit: str,
    reported_on: date,
    percent_complete: float,
    summary: str,
    actor: str,
    next_milestone: str | None = None,
    milestone_due: date | None = None,
    evidence: Path | None = None,
    synthetic: bool = False,
) -> None:
    """Record a progress report; the unit must be one of the task's responsible units."""
    try:
        _, task = plan.task(task_id)
        organisation = plan.organisation(unit)
    except KeyError as exc:
        raise TaskProgressError(str(not_found(exc))) from exc
    owners = {plan.organisation(name).id for name in task.responsible_units}
    if organisation.id not in owners:
        raise NotResponsibleForTask(
            message("error.tasks.not_responsible", organisation=organisation.name_zh, task=task_id)
        )
    if not 0 <= percent_complete <= 100:
        raise TaskProgressError(message("error.tasks.percent", found=repr(percent_complete)))
    if reported_on > date.today():
        raise TaskProgressError(message("error.tasks.future", reported_on=reported_on))
    if not summary.strip():
        raise TaskProgressError(message("error.tasks.summary"))
    name, digest = store_evidence(evidence) if evidence is not None else (None, None)
    with Session(engine) as session, session.begin():
        session.add(
            TaskProgressRow(
                plan_version=plan.version,
                task=task_id,
                reporting_unit=organisation.id,
                reported_on=reported_on,
                percent_complete=percent_complete,
                summary=summary.strip(),
                next_milestone=next_milestone,
                milestone_due=milestone_due,
                evidence_sha256=digest,
                synthetic=synthetic,
            )
        )
        AuditWriter(session).append(
            actor,
            "progress",
            "task",
            task_id,
            {
                "unit": organisation.id,
                "reported_on": reported_on.isoformat(),
                "percent": percent_complete,
                "evidence": name,
                "evidence_sha256": digest,
            },
        )


def progress_reports(engine: Engine, plan: Plan) -> list[ProgressReport]:
    """Every progress report on the plan's tasks, in the order received."""
    with Session(engine) as session:
        rows = session.scalars(
            select(TaskProgressRow)
            .where(TaskProgressRow.plan_version == plan.version)
            .order_by(TaskProgressRow.reported_on, TaskProgressRow.id)
        ).all()
        return [
            ProgressReport(
                task=r.task,
                unit=r.reporting_unit,
                reported_on=r.reported_on,
                percent_complete=r.percent_complete,
                summary=r.summary,
                next_milestone=r.next_milestone,
                milestone_due=r.milestone_due,
                evidence_sha256=r.evidence_sha256,
            )
            for r in rows
        ]


def task_board(
    engine: Engine, plan: Plan, today: date, unit: str | None = None
) -> list[dict[str, Any]]:
    """Every task (or one unit's) with its progress as of ``today``, each unit's part, and its
    flags (:func:`carbonpeak.tracking.taskboard.task_board`)."""
    return board(plan, progress_reports(engine, plan), today, unit)
