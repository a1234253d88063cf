"""The office's user administration: accounts, API tokens, activation."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from carbonpeak.errors import said
from carbonpeak.services.accounts import (
    AccountError,
    Principal,
    Role,
    add_user,
    create_token,
    set_active,
    tokens,
    users,
)
from carbonpeak.web.access import form_principal, page_principal
from carbonpeak.web.rendering import language, redirect, render_page
from carbonpeak.web.state import web_state

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
OFFICE = (Role.admin,)
DOING = "error.doing.administer_accounts"


def _admin_page(
    request: Request, principal: Principal, message: str | None, token: str | None
) -> HTMLResponse:
    web = web_state(request)
    current = web.snapshot()
    return render_page(
        request,
        "admin.html",
        principal,
        snapshot=current,
        users=users(web.engine()),
        tokens=tokens(web.engine()),
        organisations=web.plan.organisations,
        enterprises=list(current.enterprises),
        enterprise_names={
            code: (e["name_zh"], e.get("name_en") or e["name_zh"])
            for code, e in current.enterprises.items()
        },
        roles=list(Role),
        message=message,
        new_token=token,
    )


@router.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request, message: str | None = None) -> Response:
    return _admin_page(request, page_principal(request, "/admin"), message, None)


@router.post("/admin/users")
async def admin_add_user(request: Request) -> Response:
    principal, form = await form_principal(request, OFFICE, DOING)
    try:
        add_user(
            web_state(request).engine(),
            form.get("username", ""),
            form.get("password", ""),
            form.get("role", ""),
            display_name=form.get("display_name") or None,
            organisation=form.get("organisation") or None,
            enterprise=form.get("enterprise") or None,
            actor=principal.actor,
        )
    except (AccountError, ValueError) as exc:
        return redirect("/admin", message=f"✗ {said(exc, language(request))}")
    return redirect("/admin", message=f"✓ {form.get('username')}")


@router.post("/admin/tokens")
async def admin_add_token(request: Request) -> Response:
    principal, form = await form_principal(request, OFFICE, DOING)
    try:
        made = create_token(
            web_state(request).engine(),
            form.get("username", ""),
            form.get("client", ""),
            principal.actor,
        )
    except AccountError as exc:
        return redirect("/admin", message=f"✗ {said(exc, language(request))}")
    # Shown once, in this response: never in a URL, where logs and history would keep it.
    return _admin_page(request, principal, None, made)


@router.post("/admin/active")
async def admin_set_active(request: Request) -> Response:
    principal, form = await form_principal(request, OFFICE, DOING)
    username = form.get("username", "")
    if username == principal.username:
        return redirect("/admin", message="✗ cannot deactivate yourself")
    try:
        set_active(
            web_state(request).engine(), username, form.get("active") == "true", principal.actor
        )
    except AccountError as exc:
        return redirect("/admin", message=f"✗ {said(exc, language(request))}")
    return redirect("/admin", message=f"✓ {username}")
