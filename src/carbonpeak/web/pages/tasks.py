"""The task board, and the forms a responsible unit (or the office) reports on: a task's
progress and an indicator's value."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from carbonpeak.errors import Forbidden, said
from carbonpeak.messages import message
from carbonpeak.services.accounts import Principal, Role
from carbonpeak.services.indicator_reports import (
    IndicatorReportError,
    report_indicator,
    reportable_indicators,
)
from carbonpeak.services.page_views import tasks_view
from carbonpeak.services.tasks import TaskProgressError, report_task_progress
from carbonpeak.web.access import form_principal, page_principal
from carbonpeak.web.rendering import language, redirect, render_page
from carbonpeak.web.state import web_state

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
REPORTERS = (Role.admin, Role.unit)


@router.get("/tasks", response_class=HTMLResponse)
def tasks_page(request: Request, message: str | None = None) -> Response:
    principal = page_principal(request, "/tasks")
    web = web_state(request)
    today = date.today()
    return render_page(
        request,
        "tasks.html",
        principal,
        snapshot=web.snapshot(),
        message=message,
        today=today.isoformat(),
        **tasks_view(web.engine(), web.plan, principal, today),
    )


def _reporting_unit(principal: Principal, form: dict[str, str]) -> str | None:
    """A unit reports as itself; the office names the unit it reports for."""
    return principal.organisation if principal.role is Role.unit else form.get("unit") or None


@router.post("/tasks/progress")
async def task_progress_form(request: Request) -> Response:
    principal, form = await form_principal(request, REPORTERS, "error.doing.report_progress")
    plan = web_state(request).plan
    task = form.get("task", "")
    # Unnamed by the office: the task's first responsible unit.
    unit = _reporting_unit(principal, form) or plan.task(task)[1].responsible_units[0]
    try:
        report_task_progress(
            web_state(request).engine(),
            plan,
            task,
            unit,
            date.today(),
            float(form.get("percent_complete", "")),
            form.get("summary", "").strip() or "—",
            principal.actor,
            form.get("next_milestone") or None,
            date.fromisoformat(form["milestone_due"]) if form.get("milestone_due") else None,
        )
    except Forbidden:
        raise  # a unit reporting on a task it does not share: the 403 page
    except (TaskProgressError, ValueError, KeyError) as exc:
        return redirect("/tasks", message=f"✗ {said(exc, language(request))}")
    return redirect("/tasks", message=f"✓ {task}")


@router.post("/indicators/report")
async def indicator_report_form(request: Request) -> Response:
    principal, form = await form_principal(request, REPORTERS, "error.doing.report_indicators")
    web = web_state(request)
    indicator = form.get("indicator", "")
    unit = _reporting_unit(principal, form)
    if unit is None or indicator not in reportable_indicators(web.plan, unit):
        raise Forbidden(message("error.tasks.not_reported_by_unit", indicator=indicator))
    try:
        report_indicator(
            web.engine(),
            web.plan,
            indicator,
            int(form.get("year", "")),
            float(form.get("value", "")),
            form.get("unit_of_value") or web.plan.indicator(indicator).unit,
            unit,
            principal.actor,
            reason=form.get("reason") or None,
        )
    except (IndicatorReportError, ValueError, KeyError) as exc:
        return redirect("/tasks", message=f"✗ {said(exc, language(request))}")
    return redirect("/tasks", message=f"✓ {indicator} {form.get('year')}")
