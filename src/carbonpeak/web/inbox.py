"""The inbox page: the signed-in user's notices (its unit's, its enterprise's, the office's),
newest first, read with one click. The unread count beside the navigation's inbox link is
``unread_notices`` of web/rendering.py; the roles with an inbox are ``PAGES["/inbox"]``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from carbonpeak.services.notices import mark_read, notices_for
from carbonpeak.web.access import form_principal, local_path, page_principal
from carbonpeak.web.navigation import PAGES
from carbonpeak.web.rendering import render_page
from carbonpeak.web.state import web_state

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/inbox", response_class=HTMLResponse)
def inbox_page(request: Request, unread: bool = False) -> Response:
    principal = page_principal(request, "/inbox")
    return render_page(
        request,
        "inbox/inbox.html",
        principal,
        snapshot=web_state(request).snapshot(),  # the synthetic-data banner, as on every page
        notices=notices_for(web_state(request).engine(), principal, unread_only=unread),
        unread_only=unread,
    )


@router.post("/inbox/{notice_id}/read")
async def read_notice(request: Request, notice_id: int) -> Response:
    principal, form = await form_principal(request, PAGES["/inbox"], "error.doing.read_notices")
    notice = mark_read(web_state(request).engine(), principal, notice_id)
    target = form.get("next") or "/inbox"
    if target == "link" and notice["link"]:
        target = notice["link"]
    # Only a path on this site; anything else back to the inbox.
    return RedirectResponse(target if local_path(target) == target else "/inbox", status_code=303)
