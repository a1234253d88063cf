"""The reports page and its downloads (the base's monthly and annual reports, an enterprise's
annual report), with the session cookie; the API serves the same files to tokens."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from carbonpeak.api.routers.reports import download
from carbonpeak.errors import Forbidden
from carbonpeak.messages import message
from carbonpeak.services.accounts import Role
from carbonpeak.services.page_views import reports_view
from carbonpeak.services.reports import report_file
from carbonpeak.services.scoped import check_enterprise
from carbonpeak.web.access import PageRedirect, page_principal, session_principal
from carbonpeak.web.rendering import render_page
from carbonpeak.web.state import web_state

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request) -> Response:
    principal = page_principal(request, "/reports")
    current = web_state(request).snapshot()
    view = reports_view(current)
    return render_page(request, "reports.html", principal, snapshot=current, **view)


@router.get("/reports/download")
def report_download(
    request: Request,
    format: str = "pdf",
    year: int | None = None,
    month: str | None = None,
    enterprise: str | None = None,
    public: bool = False,
) -> Response:
    """A report for the signed-in user: an enterprise's for the office and that enterprise, the
    base's for the office (a wrong request is InvalidInput, no data NotFound)."""
    found = session_principal(request)
    if found is None:
        raise PageRedirect("/login")
    principal = found[0]
    if enterprise is not None:
        check_enterprise(principal, enterprise)
    elif principal.role is not Role.admin:
        raise Forbidden(message("error.office_downloads_reports"))
    web = web_state(request)
    made = report_file(
        web.engine(),
        web.plan,
        format,
        year=year,
        month=month,
        enterprise=enterprise,
        current=web.snapshot(),
        public=public,
    )
    return download(made)
