"""Who is signed in, and whether they may open a page or post a form: the session cookie for
pages, the session's CSRF token for forms, a separate cookie for the sign-in and set-up forms."""

from __future__ import annotations

import hmac
from urllib.parse import quote

from fastapi import Request

from carbonpeak.api.errors import refused, role_may_not
from carbonpeak.api.security import SESSION_COOKIE
from carbonpeak.errors import Forbidden
from carbonpeak.messages import message
from carbonpeak.services.accounts import Principal, Role, principal_for_session
from carbonpeak.web.navigation import ALL, PAGES
from carbonpeak.web.state import web_state

__all__ = [
    "LOGIN_CSRF_COOKIE",
    "PageRedirect",
    "form_principal",
    "local_path",
    "login_form",
    "page_principal",
    "session_principal",
]

LOGIN_CSRF_COOKIE = "cp_login_csrf"


class PageRedirect(Exception):
    """Answered with a 303 to ``location`` (web/errors.py): a page asked for without a session."""

    def __init__(self, location: str) -> None:
        self.location = location


def local_path(target: str) -> str:
    """``target`` if it is a path on this site, else ``/``: a sign-in never sends anyone away."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


def session_principal(request: Request) -> tuple[Principal, str] | None:
    """The signed-in user and the session's CSRF token, or None."""
    key = request.cookies.get(SESSION_COOKIE)
    return principal_for_session(web_state(request).engine(), key) if key else None


def page_principal(request: Request, page: str) -> Principal:
    """The signed-in user of ``page`` (a path of ``PAGES``) if its role may open it; without a
    session, to the sign-in."""
    found = session_principal(request)
    if found is None:
        raise PageRedirect("/login?next=" + quote(str(request.url.path)))
    principal, csrf = found
    request.state.csrf_token = csrf
    if principal.role not in PAGES[page]:
        raise Forbidden(
            message("error.role_may_not_open", role=message(f"role_name.{principal.role.value}"))
        )
    return principal


async def form_principal(
    request: Request, roles: tuple[Role, ...] = ALL, doing: str = "error.doing.this"
) -> tuple[Principal, dict[str, str]]:
    """The signed-in user of a form post, after checking the form's CSRF token and the role;
    ``doing`` is the catalogue key of what the form does (``error.doing.*``)."""
    found = session_principal(request)
    if found is None:
        raise refused(401, message("error.sign_in_first"))
    principal, csrf = found
    form = {k: str(v) for k, v in (await request.form()).items()}
    if not hmac.compare_digest(form.get("csrf_token", ""), csrf):
        raise Forbidden(message("error.csrf"))
    request.state.csrf_token = csrf
    if principal.role not in roles:
        raise Forbidden(role_may_not(principal.role.value, doing))
    return principal, form


async def login_form(request: Request) -> dict[str, str]:
    """The fields of the sign-in or set-up form, after checking its own CSRF cookie."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(form.get("csrf_token", ""), expected):
        raise Forbidden(message("error.csrf"))
    return form
