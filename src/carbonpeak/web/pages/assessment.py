"""The office's follow-up: budget warnings and the annual assessment's scorecards."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from carbonpeak.services.names import unit_ids
from carbonpeak.services.page_views import assessment_years, warning_rows
from carbonpeak.services.scoped import assessment_for, warnings_for
from carbonpeak.web.access import page_principal
from carbonpeak.web.rendering import render_page
from carbonpeak.web.state import web_state

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/warnings", response_class=HTMLResponse)
def warnings_page(request: Request) -> Response:
    principal = page_principal(request, "/warnings")
    web = web_state(request)
    current = web.snapshot()
    rows = warning_rows(
        warnings_for(principal, web.engine(), web.plan, current, None), principal, web.plan, current
    )
    return render_page(request, "warnings.html", principal, snapshot=current, rows=rows)


@router.get("/assessment", response_class=HTMLResponse)
def assessment_page(request: Request, year: int | None = None) -> Response:
    principal = page_principal(request, "/assessment")
    web = web_state(request)
    current = web.snapshot()
    years, chosen = assessment_years(current, year, date.today())
    result = assessment_for(principal, web.engine(), web.plan, current, chosen)
    return render_page(
        request,
        "assessment.html",
        principal,
        snapshot=current,
        result=result,
        cards=result["scorecards"],
        year=chosen,
        years=years,
        unit_ids=unit_ids(web.plan),
    )
