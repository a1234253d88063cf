"""The inbox page: the signed-in user's notices (its unit's, its enterprise's, the office's),
newest first, read with one click; the unread count beside the navigation's inbox link."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine

from carbonpeak.errors import NotFound
from carbonpeak.services.accounts import Principal, Role
from carbonpeak.services.notices import mark_read, notices_for, unread_count
from carbonpeak.web.pagekit import form_principal, render, session_principal

__all__ = ["INBOX_ROLES", "inbox_pages"]

INBOX_ROLES = (Role.admin, Role.unit, Role.enterprise)


def inbox_pages(
    engine: Callable[[], Engine], templates: Jinja2Templates, pages: dict[str, Any]
) -> APIRouter:
    """The inbox's routes; registers ``unread_notices(user)`` for the navigation."""
    router = APIRouter(include_in_schema=False)

    def unread_notices(user: Principal | None) -> int:
        return unread_count(engine(), user) if user and user.role in INBOX_ROLES else 0

    templates.env.globals["unread_notices"] = unread_notices
    templates.env.globals["inbox_roles"] = INBOX_ROLES

    @router.get("/inbox", response_class=HTMLResponse)
    def inbox_page(request: Request, unread: bool = False) -> Response:
        principal = session_principal(engine, request)
        if principal is None:
            return RedirectResponse("/login?next=" + quote("/inbox"), status_code=303)
        if principal.role not in INBOX_ROLES:
            raise HTTPException(403, f"the {principal.role.value} role has no inbox")
        return render(
            templates,
            request,
            "inbox/inbox.html",
            principal,
            pages,
            notices=notices_for(engine(), principal, unread_only=unread),
            unread_only=unread,
        )

    @router.post("/inbox/{notice_id}/read")
    async def read_notice(request: Request, notice_id: int) -> Response:
        principal, _form = await form_principal(engine, request)
        try:
            notice = mark_read(engine(), principal, notice_id)
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        target = _form.get("next") or "/inbox"
        if target == "link" and notice["link"]:
            target = notice["link"]
        return RedirectResponse(target if target.startswith("/") else "/inbox", status_code=303)

    return router
