"""The overview: every target with its status and trajectory, every goal, the base's totals."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from carbonpeak.services.accounts import has_users
from carbonpeak.web.access import page_principal
from carbonpeak.web.rendering import redirect
from carbonpeak.web.state import web_state
from carbonpeak.web.views import overview_page_response

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def overview_page(request: Request) -> Response:
    web = web_state(request)
    if not has_users(web.engine()):
        return redirect("/setup")
    principal = page_principal(request, "/")
    return overview_page_response(request, principal, web.snapshot())
