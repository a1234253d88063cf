"""The forms that record what happens to projects after the review: progress on an annual work
plan (the office and units), the office's opinion on a review, a facility's closure and a
finished retrofit (the office; both release space into the budget pool). Each posts, then goes
back to its page with what was done, or why it was refused."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from carbonpeak.errors import Conflict, InvalidInput, NotFound, said
from carbonpeak.messages import message
from carbonpeak.services.projects import report_work_progress
from carbonpeak.services.projects_pool import release_closure
from carbonpeak.services.projects_retrofit import complete_retrofit
from carbonpeak.services.review import record_opinion
from carbonpeak.web.access import form_principal
from carbonpeak.web.navigation import A, U
from carbonpeak.web.rendering import language, redirect
from carbonpeak.web.state import web_state

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
REFUSED = (InvalidInput, NotFound, Conflict, ValueError)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text) if text else date.today()
    except ValueError as exc:
        raise InvalidInput(message("error.forms.date", found=repr(text))) from exc


def _number(text: str, field: str) -> float:
    try:
        return float(text)
    except ValueError as exc:
        raise InvalidInput(message("error.forms.number", field=field, found=repr(text))) from exc


def _back_to_project(fields: dict[str, str]) -> str:
    project = fields.get("project", "")
    return f"/projects/{project}" if project.replace("_", "").isalnum() else "/projects"


@router.post("/projects/progress", response_model=None)
async def work_plan_progress(request: Request) -> RedirectResponse:
    who, fields = await form_principal(request, (A, U), "error.doing.report_work_plan")
    back = _back_to_project(fields)
    try:
        plan = int(_number(fields.get("work_plan", ""), "work plan"))
        percent = _number(fields.get("percent", ""), "percent complete")
        engine = web_state(request).engine()
        report_work_progress(engine, plan, percent, _day(fields.get("on", "")), who.username)
    except REFUSED as exc:
        return redirect(back, error=said(exc, language(request)))
    return redirect(back, message=f"✓ {percent:g}%")


@router.post("/projects/opinion", response_model=None)
async def review_opinion(request: Request) -> RedirectResponse:
    who, fields = await form_principal(request, (A,), "error.doing.record_opinion")
    back = _back_to_project(fields)
    try:
        review_id = int(_number(fields.get("review", ""), "review"))
        approve = fields.get("approve") == "1"
        record_opinion(
            web_state(request).engine(),
            review_id,
            approve,
            fields.get("opinion", "").strip(),
            fields.get("document", "").strip(),
            who.username,
        )
    except REFUSED as exc:
        return redirect(back, error=said(exc, language(request)))
    return redirect(back, message="✓ " + fields.get("document", ""))


@router.post("/projects/closure", response_model=None)
async def facility_closure(request: Request) -> RedirectResponse:
    who, fields = await form_principal(request, (A,), "error.doing.record_closure")
    web = web_state(request)
    try:
        release_closure(
            web.engine(),
            web.plan,
            fields.get("enterprise", ""),
            fields.get("facility", ""),
            _day(fields.get("closed_on", "")),
            fields.get("document", "").strip() or _missing("document"),
            who.username,
        )
    except REFUSED as exc:
        return redirect("/projects/register", error=said(exc, language(request)))
    return redirect("/projects/register", message="✓ " + fields.get("document", ""))


@router.post("/projects/retrofit-done", response_model=None)
async def retrofit_done(request: Request) -> RedirectResponse:
    who, fields = await form_principal(request, (A,), "error.doing.record_retrofit")
    try:
        complete_retrofit(
            web_state(request).engine(),
            int(_number(fields.get("retrofit", ""), "retrofit plan")),
            _day(fields.get("done_on", "")),
            fields.get("document", "").strip() or _missing("document"),
            who.username,
        )
    except REFUSED as exc:
        return redirect("/projects/register", error=said(exc, language(request)))
    return redirect("/projects/register", message="✓ " + fields.get("document", ""))


def _missing(field: str) -> str:
    raise InvalidInput(message("error.forms.document_number", field=field))
