"""Notices due on a day: reporting deadlines and overdue reports (to the enterprises the registry
names, and the list of late reporters to the office), overdue task milestones (to the unit whose
part it is, as the plan names it), budget warnings (to the recipients the forecast names) and
target warnings (to the target's responsible units and the office).

Each event has a stable name, so running this again for the same day, or the next day while
nothing changed, makes no second notice (services.notices.notify).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from carbonpeak.messages import text
from carbonpeak.plan import Plan
from carbonpeak.services import dashboard
from carbonpeak.services.names import scope_name
from carbonpeak.services.notices import OFFICE, Recipient, notice_rules, notify, retry_mail
from carbonpeak.services.tasks import task_board
from carbonpeak.services.warnings import budget_warnings
from carbonpeak.storage import EnterpriseRow, SubmissionRow
from carbonpeak.tracking.method import tracking_method

__all__ = ["report_deadline", "send_due"]

REPORTED_STATES = ("submitted", "accepted")


def report_deadline(period: str) -> date:
    """The day the monthly report of ``period`` (YYYY-MM) is due (data/methods/notices.yaml)."""
    year, month = int(period[:4]), int(period[5:7])
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return date(year, month, int(notice_rules()["values"]["report_due_day"]))


def _previous_month(day: date) -> str:
    last = day.replace(day=1) - timedelta(days=1)
    return f"{last.year:04d}-{last.month:02d}"


def _month_bounds(period: str) -> tuple[date, date]:
    first = date(int(period[:4]), int(period[5:7]), 1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def not_reported(engine: Engine, period: str) -> list[tuple[str, str]]:
    """(code, name) of the enterprises that owe ``period``'s report and have not submitted it:
    those the registry shows operating in the month (a facility commissioned by its end and not
    retired before it starts; one with no facility registered yet owes it too)."""
    first, last = _month_bounds(period)
    with Session(engine) as session:
        reported = set(
            session.scalars(
                select(SubmissionRow.enterprise_id).where(
                    SubmissionRow.period == period, SubmissionRow.state.in_(REPORTED_STATES)
                )
            ).all()
        )
        late = []
        for enterprise in session.scalars(select(EnterpriseRow).order_by(EnterpriseRow.code)):
            operating = not enterprise.facilities or any(
                (f.commissioned_on is None or f.commissioned_on <= last)
                and (f.retired_on is None or f.retired_on >= first)
                for f in enterprise.facilities
            )
            if operating and enterprise.id not in reported:
                late.append((enterprise.code, enterprise.name_zh))
        return late


def _listed(names: list[str], shown: int = 20) -> str:
    """Names joined the Chinese way; a long list ends with how many more (等 N 家)."""
    text = "、".join(names[:shown])
    return text + (f" 等{len(names)}家" if len(names) > shown else "")


def enterprise_names(engine: Engine) -> dict[str, str]:
    with Session(engine) as session:
        return {e.code: e.name_zh for e in session.scalars(select(EnterpriseRow))}


def _deadlines(engine: Engine, day: date) -> int:
    period = _previous_month(day)
    due = report_deadline(period)
    remind_from = due - timedelta(days=int(notice_rules()["values"]["remind_days_before"]))
    if day < remind_from:
        return 0
    late = not_reported(engine, period)
    kind = "report_due" if day <= due else "report_overdue"
    made = 0
    for code, name in late:
        made += len(
            notify(
                engine,
                kind,
                f"{kind}:{code}:{period}",
                [Recipient("enterprise", code)],
                {"enterprise": name, "period": period, "due": due.isoformat()},
                link=f"/enterprises/{code}",
            )
        )
    if kind == "report_overdue" and late:
        made += len(
            notify(
                engine,
                "late_reporters",
                f"late_reporters:{period}:{len(late)}",
                [Recipient(*OFFICE)],
                {
                    "period": period,
                    "due": due.isoformat(),
                    "day": day.isoformat(),
                    "count": len(late),
                    "enterprises": _listed([name for _code, name in late]),
                },
                link="/enterprises",
            )
        )
    return made


def _overdue_tasks(engine: Engine, plan: Plan, day: date) -> int:
    by_name = {o.name_zh: o for o in plan.organisations}
    made = 0
    for row in task_board(engine, plan, day):
        if "overdue" not in row["flags"]:
            continue
        for part in row["parts"]:
            due = part["milestone_due"]
            if due is None or date.fromisoformat(due) >= day or part["percent_complete"] >= 100:
                continue
            unit = by_name[part["unit"]]
            made += len(
                notify(
                    engine,
                    "task_overdue",
                    f"task_overdue:{row['task']}:{unit.id}:{due}",
                    [Recipient("organisation", unit.id)],
                    {
                        "task": row["task"],
                        "title_zh": row["title_zh"],
                        "title_en": row["title_en"],
                        "unit": unit.name_zh,
                        "unit_en": unit.name_en,
                        "milestone": part["next_milestone"] or "",
                        "due": due,
                        "percent": f"{part['percent_complete']:g}",
                    },
                    link="/tasks",
                )
            )
    return made


def _budget_warnings(engine: Engine, plan: Plan, snap: dashboard.Snapshot) -> int:
    rules = notice_rules()
    by_name = {o.name_zh: o for o in plan.organisations}
    made = 0
    for row in budget_warnings(engine, plan, None, snap.accounts):
        if row["level"] not in rules["values"]["warned_budget_levels"]:
            continue
        recipients = [
            Recipient("organisation", by_name[name].id)
            if name in by_name
            else Recipient("enterprise", name)
            for name in row["recipients"]
        ]
        fields: dict[str, object] = {
            "year": row["year"],
            "share": f"{row['forecast_share'] * 100:.0f}",
        }
        for language in ("zh", "en"):
            fields |= {
                f"scope_{language}": scope_name(snap.enterprises, row["scope"], language),
                f"kind_{language}": text(f"notice.kind.{row['kind']}", language),
                f"level_{language}": text(f"notice.level.{row['level']}", language),
            }
        event = f"budget_warning:{row['scope']}:{row['year']}:{row['kind']}:{row['level']}"
        # The forecast is the enterprise's own figure (a cell of one enterprise): the enterprise
        # is told it; a unit is told who and how serious, as its warnings page shows it.
        own = [r for r in recipients if r.kind == "enterprise"]
        units = [r for r in recipients if r.kind != "enterprise"]
        made += len(notify(engine, "budget_warning", event, own, fields, link="/warnings"))
        made += len(notify(engine, "budget_level", event, units, fields, link="/warnings"))
    return made


def _target_warnings(plan: Plan, engine: Engine, snap: dashboard.Snapshot) -> int:
    """The overview's statuses (the snapshot's: one answer), not statuses computed again."""
    warned = notice_rules()["values"]["warned_target_statuses"]
    statuses = tracking_method().statuses
    made = 0
    for row in snap.targets:
        if row["status"] not in warned:
            continue
        target = next(t for t in plan.targets if t.id == row["id"])
        indicator = plan.indicator(target.indicator)
        recipients = [Recipient("organisation", o.id) for o in plan.responsible_units(target)]
        made += len(
            notify(
                engine,
                "target_warning",
                f"target_warning:{target.id}:{row['status']}",
                [*recipients, Recipient(*OFFICE)],
                {
                    "indicator_zh": indicator.name_zh,
                    "indicator_en": indicator.name_en,
                    "year": target.year,
                    "clause": target.clause,
                    "quote": target.quote,
                    "status_zh": statuses[row["status"]].zh,
                    "status_en": statuses[row["status"]].en,
                },
                link="/",
            )
        )
    return made


def send_due(engine: Engine, plan: Plan, day: date) -> dict[str, Any]:
    """Every notice due on ``day`` that has not been made yet, and failed mails tried again;
    how many of each were made."""
    snap = dashboard.snapshot(engine, plan)
    return {
        "day": day.isoformat(),
        "deadlines": _deadlines(engine, day),
        "overdue_tasks": _overdue_tasks(engine, plan, day),
        "budget_warnings": _budget_warnings(engine, plan, snap),
        "target_warnings": _target_warnings(plan, engine, snap),
        "mail_retried": retry_mail(engine),
    }
