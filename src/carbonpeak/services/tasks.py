"""Task progress: responsible units report on their plan tasks; the board flags overdue and
stalled tasks."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from carbonpeak.plan import Plan
from carbonpeak.services.audit import AuditWriter
from carbonpeak.services.indicator_reports import store_evidence
from carbonpeak.storage import TaskProgressRow

__all__ = ["STALLED_AFTER_DAYS", "TaskProgressError", "report_task_progress", "task_board"]

# A task without a progress report for this long is stalled (a quarter: the office's cadence of
# 调度 reviews is assumed quarterly).
STALLED_AFTER_DAYS = 92


class TaskProgressError(ValueError):
    """A report by a unit not responsible for the task, or with impossible values."""


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
        raise TaskProgressError(str(exc).strip('"')) from exc
    owners = {plan.organisation(name).id for name in task.responsible_units}
    if organisation.id not in owners:
        raise TaskProgressError(f"{organisation.name_zh} is not responsible for {task_id}")
    if not 0 <= percent_complete <= 100:
        raise TaskProgressError("percent complete must lie in 0-100")
    if not summary.strip():
        raise TaskProgressError("a progress report needs a summary")
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


def task_board(
    engine: Engine, plan: Plan, today: date, unit: str | None = None
) -> list[dict[str, Any]]:
    """Every task (or one unit's) with its latest report and its flags."""
    with Session(engine) as session:
        reports = session.scalars(
            select(TaskProgressRow)
            .where(TaskProgressRow.plan_version == plan.version)
            .order_by(TaskProgressRow.reported_on, TaskProgressRow.id)
        ).all()
        session.expunge_all()
    latest = {r.task: r for r in reports}
    selected = [(a, t) for a, t, _ in plan.tasks_of(unit)] if unit else plan.tasks()
    rows = []
    for action, task in selected:
        report = latest.get(task.id)
        flags = []
        if report is None:
            flags.append("no_report")
        else:
            if report.reported_on < today - timedelta(days=STALLED_AFTER_DAYS):
                flags.append("stalled")
            if (
                report.milestone_due is not None
                and report.milestone_due < today
                and report.percent_complete < 100
            ):
                flags.append("overdue")
        rows.append(
            {
                "task": task.id,
                "title_zh": task.title_zh,
                "title_en": task.title_en,
                "action": action.id,
                "lead_unit": plan.organisation(task.responsible_units[0]).name_zh,
                "percent_complete": report.percent_complete if report else None,
                "reported_on": report.reported_on.isoformat() if report else None,
                "next_milestone": report.next_milestone if report else None,
                "milestone_due": report.milestone_due.isoformat()
                if report and report.milestone_due
                else None,
                "evidence_sha256": report.evidence_sha256 if report else None,
                "flags": flags,
            }
        )
    return rows
