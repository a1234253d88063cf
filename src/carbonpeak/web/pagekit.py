"""What the inbox and portal pages need from a request: the language, the signed-in user (or
nobody), and rendering with the shared templates (the same context the other pages get)."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine

from carbonpeak.api.security import SESSION_COOKIE
from carbonpeak.services.accounts import ROLE_NAMES, Principal, principal_for_session
from carbonpeak.web.i18n import LANGUAGES, label

__all__ = ["form_principal", "language", "render", "session_principal"]

LANGUAGE_COOKIE = "cp_lang"


def language(request: Request) -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE, "zh")
    return chosen if chosen in LANGUAGES else "zh"


def session_principal(engine: Callable[[], Engine], request: Request) -> Principal | None:
    """The signed-in user (and the session's CSRF token kept on the request), or None."""
    key = request.cookies.get(SESSION_COOKIE)
    found = principal_for_session(engine(), key) if key else None
    if found is None:
        return None
    principal, csrf = found
    request.state.csrf_token = csrf
    return principal


async def form_principal(
    engine: Callable[[], Engine], request: Request
) -> tuple[Principal, dict[str, str]]:
    """The signed-in user of a form post, after checking the form's CSRF token."""
    principal = session_principal(engine, request)
    if principal is None:
        raise HTTPException(401, "sign in first")
    form = {k: str(v) for k, v in (await request.form()).items()}
    if not hmac.compare_digest(form.get("csrf_token", ""), request.state.csrf_token):
        raise HTTPException(403, "missing or wrong CSRF token")
    return principal, form


def render(
    templates: Jinja2Templates,
    request: Request,
    template: str,
    principal: Principal | None,
    pages: dict[str, Any],
    **context: Any,
) -> HTMLResponse:
    lang = language(request)
    return templates.TemplateResponse(
        request,
        template,
        {
            "lang": lang,
            "t": lambda key: label(key, lang),
            "user": principal,
            "role_names": ROLE_NAMES,
            "pages": pages,
            "csrf": getattr(request.state, "csrf_token", ""),
            "synthetic": context.pop("synthetic", False),
            "path": request.url.path,
            **context,
        },
    )
