"""What each role's workspace home shows, computed by the same functions the other pages use:
an enterprise's month (report, deadline, returns with the office's note, notices, warnings,
monitoring completeness, benchmark position) and a responsible unit's own targets and tasks."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from carbonpeak.plan import Plan
from carbonpeak.services import dashboard
from carbonpeak.services.accounts import Principal, Role
from carbonpeak.services.evidence import evidence_list
from carbonpeak.services.indicator_reports import reportable_indicators
from carbonpeak.services.registry_events import events
from carbonpeak.services.review_queue import deadline, reporting_month
from carbonpeak.services.scoped import tracking_for, warnings_for
from carbonpeak.services.tasks import task_board
from carbonpeak.storage import TaskProgressRow, TelemetryStore

__all__ = ["enterprise_home", "unit_home"]


def enterprise_home(
    engine: Engine,
    store: TelemetryStore,
    plan: Plan,
    snap: dashboard.Snapshot,
    principal: Principal,
    today: date,
) -> dict[str, Any]:
    """An enterprise's home: its report due now and its deadline, its recent reports (the
    returned ones with the office's note), its notices, warnings, monitoring and benchmark."""
    code = principal.enterprise or ""
    month = reporting_month(today)
    _total, reports = dashboard.submission_list(engine, code, limit=24)
    latest: dict[str, dict[str, Any]] = {}
    for report in reports:  # newest version first within a period
        latest.setdefault(report["period"], report)
    this_month = latest.get(month)
    quality = sorted(dashboard.quality(engine, store, code), key=lambda r: str(r["month"]))
    benchmark = sorted(
        dashboard.enterprise_benchmark(snap, code), key=lambda b: str(b.get("year", ""))
    )
    due = deadline(month)
    return {
        "enterprise": snap.enterprises.get(code, {"code": code, "name_zh": code}),
        "month": month,
        "due": due.isoformat(),
        "overdue": today > due and (this_month is None or this_month["state"] == "draft"),
        "this_month": this_month,
        "reports": reports,
        "returned": [r for r in latest.values() if r["state"] == "returned"],
        "drafts": [r for r in latest.values() if r["state"] == "draft"],
        "notices": events(engine, "enterprise", code)[:10],
        "warnings": warnings_for(principal, engine, plan, snap, None),
        "monitoring": quality[-1] if quality else None,
        "benchmark": benchmark[-3:],
        "evidence": evidence_list(engine, principal, "submission"),
    }


def unit_home(
    engine: Engine, plan: Plan, snap: dashboard.Snapshot, principal: Principal, today: date
) -> dict[str, Any]:
    """A responsible unit's home: the targets it answers for with their status, its tasks
    (overdue and stalled flagged), the indicators it reports, its reports and their evidence."""
    unit = principal.organisation if principal.role is Role.unit else None
    view = tracking_for(principal, snap)
    if unit is None:
        targets = view["targets"]
        tasks = task_board(engine, plan, today)
        indicators = reportable_indicators(plan)
    else:
        organisation = plan.organisation(unit)
        owned = {
            t.id
            for t in plan.targets
            if organisation.id in {o.id for o in plan.responsible_units(t)}
        }
        targets = [t for t in view["targets"] if t["id"] in owned]
        tasks = task_board(engine, plan, today, unit)
        indicators = reportable_indicators(plan, unit)
    with Session(engine) as session:
        query = select(TaskProgressRow).order_by(TaskProgressRow.id.desc()).limit(20)
        if unit is not None:
            query = query.where(TaskProgressRow.reporting_unit == plan.organisation(unit).id)
        progress: list[dict[str, Any]] = [
            {
                "id": r.id,
                "task": r.task,
                "unit": r.reporting_unit,
                "reported_on": r.reported_on.isoformat(),
                "percent_complete": r.percent_complete,
                "summary": r.summary,
                "evidence_sha256": r.evidence_sha256,
            }
            for r in session.scalars(query)
        ]
    files = evidence_list(engine, principal, "task_progress")
    by_report: dict[int, list[dict[str, Any]]] = {}
    for file in files:
        by_report.setdefault(int(file["attached_id"]), []).append(file)
    for report in progress:
        report["evidence"] = by_report.get(int(str(report["id"])), [])
    named = plan.organisation(unit) if unit is not None else None
    return {
        "organisation": (named.name_zh, named.name_en) if named else ("", ""),
        "targets": targets,
        "tasks": tasks,
        "overdue": [t for t in tasks if "overdue" in t.get("flags", [])],
        "indicators": [plan.indicator(i) for i in indicators],
        "progress": progress,
        "evidence": evidence_list(engine, principal),
    }
