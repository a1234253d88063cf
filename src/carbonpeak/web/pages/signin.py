"""Signing in and out, and the first set-up: the office administrator and, on an empty store,
the demo base."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from carbonpeak.api.errors import refused
from carbonpeak.api.hardening import client_address
from carbonpeak.api.security import SESSION_COOKIE
from carbonpeak.errors import Forbidden
from carbonpeak.messages import message
from carbonpeak.services.accounts import (
    SESSION_LIFETIME,
    AccountError,
    LoginRefused,
    Role,
    add_user,
    authenticate,
    end_session,
    has_users,
    start_session,
)
from carbonpeak.web.access import LOGIN_CSRF_COOKIE, form_principal, local_path, login_form
from carbonpeak.web.rendering import redirect, render_page
from carbonpeak.web.state import web_state

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
OFFICE_NAME = "碳达峰办公室 Carbon-peak office"


def _with_login_csrf(request: Request, template: str, **context: Any) -> Response:
    """A sign-in or set-up form, with its own CSRF token (there is no session yet)."""
    token = secrets.token_urlsafe(24)
    response = render_page(request, template, None, login_csrf=token, **context)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict")
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/", error: str | None = None) -> Response:
    if not has_users(web_state(request).engine()):
        return redirect("/setup")
    return _with_login_csrf(request, "login.html", next=next, error=error)


@router.post("/login")
async def login(request: Request) -> Response:
    form = await login_form(request)
    web = web_state(request)
    address = client_address(request)
    wait = web.throttle.retry_after(address)
    if wait:
        raise refused(429, message("error.signin.throttled", wait=wait), {"Retry-After": str(wait)})
    next_page = local_path(form.get("next", "/"))
    try:
        principal = authenticate(
            web.engine(), form.get("username", ""), form.get("password", ""), address
        )
    except LoginRefused:
        web.throttle.failed(address)  # one answer for every refusal: names cannot be probed
        return redirect("/login", next=next_page, error="failed")
    web.throttle.succeeded(address)
    key, _csrf = start_session(web.engine(), principal.username)
    response = RedirectResponse(next_page, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        key,
        httponly=True,
        samesite="lax",
        max_age=int(SESSION_LIFETIME.total_seconds()),
        secure=request.url.scheme == "https",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request) -> RedirectResponse:
    await form_principal(request)
    end_session(web_state(request).engine(), request.cookies.get(SESSION_COOKIE, ""))
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/setup", response_class=HTMLResponse)
def setup_page(request: Request, error: str | None = None) -> Response:
    web = web_state(request)
    if has_users(web.engine()):
        return redirect("/login")
    return _with_login_csrf(
        request,
        "setup.html",
        error=error,
        can_load_demo=web.demo_loader is not None,
        empty=not web.snapshot().enterprises,
    )


@router.post("/setup")
async def setup(request: Request) -> Response:
    """The first administrator, and (offered on an empty store) the demo base."""
    web = web_state(request)
    if has_users(web.engine()):
        raise Forbidden(message("error.signin.setup_done"))
    form = await login_form(request)
    if form.get("load_demo") and web.demo_loader is not None and not web.snapshot().enterprises:
        web.demo_loader()
    try:
        add_user(
            web.engine(),
            form.get("username", ""),
            form.get("password", ""),
            Role.admin,
            display_name=OFFICE_NAME,
            actor="setup",
        )
    except AccountError as exc:
        return redirect("/setup", error=str(exc))
    return redirect("/login")
