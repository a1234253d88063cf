"""The control room: the office's large-screen page (services/control_room.py builds it)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from carbonpeak.services.control_room import control_room_view
from carbonpeak.web.access import page_principal
from carbonpeak.web.rendering import language, render_page, translator
from carbonpeak.web.state import web_state

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/control-room", response_class=HTMLResponse)
def control_room_page(request: Request) -> Response:
    principal = page_principal(request, "/control-room")
    web = web_state(request)
    current = web.snapshot()
    lang = language(request)
    view = control_room_view(
        web.engine(), web.plan, current, principal, date.today(), translator(lang), lang
    )
    return render_page(request, "control_room.html", principal, snapshot=current, view=view)
