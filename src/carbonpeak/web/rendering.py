"""Rendering a page: the templates, the page's language and the context every page shares
(the signed-in user, the navigation, the CSRF token, the synthetic-data banner)."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

from carbonpeak.reports import format_value
from carbonpeak.services.accounts import ROLE_NAMES, Principal
from carbonpeak.services.lineage import lineage_href
from carbonpeak.services.notices import unread_count
from carbonpeak.services.period_labels import year_label
from carbonpeak.services.snapshots import Snapshot
from carbonpeak.units import WAN
from carbonpeak.web.charts import sparkline
from carbonpeak.web.i18n import LANGUAGES, label, status_text
from carbonpeak.web.navigation import NAV, NAV_ROLES, PAGES
from carbonpeak.web.state import web_state

__all__ = [
    "LANGUAGE_COOKIE",
    "language",
    "package_path",
    "redirect",
    "render_page",
    "templates",
    "translator",
]

LANGUAGE_COOKIE = "cp_lang"


def package_path(*parts: str) -> Path:
    return Path(str(resources.files("carbonpeak.web").joinpath(*parts)))


templates = Jinja2Templates(directory=str(package_path("templates")))
# What every template may call or read, besides its page's context.
template_globals = templates.env.globals


@pass_context
def page_format(context: Context, value: object, digits: int = 1) -> str:
    """``fmt(value, digits)`` in a template: the one cell format, in the page's language."""
    return format_value(value, digits, str(context.get("lang", "zh")))


template_globals.update(fmt=page_format, sparkline=sparkline, label=label, status_text=status_text)
template_globals.update(lineage_href=lineage_href, wan=WAN, role_names=ROLE_NAMES)
template_globals.update(nav=NAV, nav_roles=NAV_ROLES, pages=PAGES)
template_globals.update(year_label=year_label)


def unread_notices(request: Request, user: Principal | None) -> int:
    """The unread notices of ``user``'s inbox (the badge beside the bar's inbox link); 0 for a
    role without an inbox."""
    if user is None or user.role not in PAGES["/inbox"]:
        return 0
    return unread_count(web_state(request).engine(), user)


template_globals.update(unread_notices=unread_notices)


def language(request: Request) -> str:
    """The language the visitor chose (the ``cp_lang`` cookie), Chinese by default."""
    chosen = request.cookies.get(LANGUAGE_COOKIE, "zh")
    return chosen if chosen in LANGUAGES else "zh"


def translator(lang: str) -> Callable[[str], str]:
    """A label key → its text in ``lang``."""
    return lambda key: label(key, lang)


def page_context(
    request: Request, principal: Principal | None, snapshot: Snapshot | None = None
) -> dict[str, Any]:
    lang = language(request)
    return {
        "lang": lang,
        "t": translator(lang),
        "user": principal,
        "csrf": getattr(request.state, "csrf_token", ""),
        "synthetic": snapshot.synthetic if snapshot else False,
        "path": request.url.path,
    }


def render_page(
    request: Request,
    template: str,
    principal: Principal | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """``template`` in the page layout; a ``snapshot`` in the context shows its synthetic-data
    banner."""
    current = context.pop("snapshot", None)
    return templates.TemplateResponse(
        request,
        template,
        {**page_context(request, principal, current), **context},
        status_code=status_code,
    )


def redirect(path: str, **query: str) -> RedirectResponse:
    """A 303 to ``path`` (after a form post), with ``query`` (a message, an error)."""
    return RedirectResponse(path + ("?" + urlencode(query) if query else ""), status_code=303)
