"""The task board as a pure function of the plan, the units' progress reports and a date.

Progress is kept per (task, responsible unit): each unit reports its own part. The task's
progress is the lead unit's latest report (the lead answers for the whole task, 牵头负责); the
co-responsible units' parts are listed beside it and never replace it. Without a lead report, the
mean of the parts reported stands in, and ``lead_reported`` is false. A task is ``overdue`` when
any unit's own milestone has passed with its part unfinished, and ``stalled`` when no unit has
reported for a quarter. Only reports dated on or before the board's date count, so an assessment
of a past year sees what was known then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from carbonpeak.plan import Plan
from carbonpeak.tracking.method import tracking_method

__all__ = ["ProgressReport", "task_board"]


@dataclass(frozen=True)
class ProgressReport:
    task: str
    unit: str  # organisation id
    reported_on: date
    percent_complete: float
    summary: str = ""
    next_milestone: str | None = None
    milestone_due: date | None = None
    evidence_sha256: str | None = None


def task_board(
    plan: Plan, reports: list[ProgressReport], as_of: date, unit: str | None = None
) -> list[dict[str, Any]]:
    """Every task (or those of ``unit``) as of ``as_of``: the task's progress, each unit's part
    and the flags. ``reports`` in the order received."""
    stalled_after = timedelta(days=int(tracking_method().parameter("stalled_after_days")))
    latest: dict[tuple[str, str], ProgressReport] = {}
    for report in sorted(reports, key=lambda r: r.reported_on):
        if report.reported_on <= as_of:
            latest[(report.task, report.unit)] = report
    selected = [(a, t) for a, t, _ in plan.tasks_of(unit)] if unit else plan.tasks()
    rows = []
    for action, task in selected:
        units = [plan.organisation(name) for name in task.responsible_units]
        parts = [latest[(task.id, u.id)] for u in units if (task.id, u.id) in latest]
        lead = latest.get((task.id, units[0].id))
        flags = []
        if not parts:
            flags.append("no_report")
            percent = None
        elif lead is not None:
            percent = lead.percent_complete
        else:
            percent = round(sum(p.percent_complete for p in parts) / len(parts), 1)
        newest = max((p.reported_on for p in parts), default=None)
        if newest is not None and newest < as_of - stalled_after:
            flags.append("stalled")
        if any(
            p.milestone_due is not None and p.milestone_due < as_of and p.percent_complete < 100
            for p in parts
        ):
            flags.append("overdue")
        shown = lead or (max(parts, key=lambda p: p.reported_on) if parts else None)
        rows.append(
            {
                "task": task.id,
                "title_zh": task.title_zh,
                "title_en": task.title_en,
                "action": action.id,
                "lead_unit": units[0].name_zh,
                "percent_complete": percent,
                "lead_reported": lead is not None,
                "reported_on": newest.isoformat() if newest else None,
                "next_milestone": shown.next_milestone if shown else None,
                "milestone_due": shown.milestone_due.isoformat()
                if shown and shown.milestone_due
                else None,
                "evidence_sha256": shown.evidence_sha256 if shown else None,
                "parts": [
                    {
                        "unit": plan.organisation(p.unit).name_zh,
                        "lead": p.unit == units[0].id,
                        "percent_complete": p.percent_complete,
                        "reported_on": p.reported_on.isoformat(),
                        "summary": p.summary,
                        "next_milestone": p.next_milestone,
                        "milestone_due": p.milestone_due.isoformat() if p.milestone_due else None,
                        "evidence_sha256": p.evidence_sha256,
                    }
                    for p in parts
                ],
                "flags": flags,
            }
        )
    return rows
