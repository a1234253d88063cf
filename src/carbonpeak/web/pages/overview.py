"""The overview: every target with its status and trajectory, every goal, the base's totals."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from carbonpeak.services.accounts import has_users
from carbonpeak.services.page_views import overview_figure
from carbonpeak.services.scoped import base_totals_for, tracking_for
from carbonpeak.web.access import page_principal
from carbonpeak.web.rendering import language, redirect, render_page, translator
from carbonpeak.web.state import web_state

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def overview_page(request: Request) -> Response:
    web = web_state(request)
    if not has_users(web.engine()):
        return redirect("/setup")
    principal = page_principal(request, "/")
    current = web.snapshot()
    lang = language(request)
    figure = overview_figure(base_totals_for(principal, current), translator(lang), lang)
    return render_page(
        request,
        "overview.html",
        principal,
        snapshot=current,
        view=tracking_for(principal, current),
        figure=figure,
    )
