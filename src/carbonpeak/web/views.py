"""Rendered views kept with the snapshot they show (``services.snapshots.memoized``): computed
once per data version, language and role, sparklines included, and dropped with the snapshot
when the data change. Only what a role sees goes in.

The overview page is kept whole the same way, rendered once with stand-ins for what belongs to
the user (the name, the inbox badge, the CSRF token); a request substitutes its own into the
kept text, and the finished bytes are answered again to the same caller
(api/response_cache.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape

from carbonpeak.api.response_cache import remember
from carbonpeak.services.accounts import Principal, Role
from carbonpeak.services.page_views import overview_figure
from carbonpeak.services.scoped import base_totals_for, tracking_for
from carbonpeak.services.snapshots import Snapshot, memoized
from carbonpeak.web.navigation import PAGES
from carbonpeak.web.rendering import language, render_page, templates, translator, unread_notices

__all__ = ["overview_main", "overview_page_response"]

# Stand-ins no page contains, of characters escaping leaves alone.
NAME_STAND_IN = "cpstandinname0d7e"
CSRF_STAND_IN = "cpstandincsrf0d7e"
UNREAD_STAND_IN = "cpstandinunread0d7e"
HTML = "text/html; charset=utf-8"


def overview_main(principal: Principal, snap: Snapshot, lang: str) -> Markup:
    """The overview's content as ``principal``'s role sees it in ``lang``. The key holds the
    role (what ``tracking_for`` and ``base_totals_for`` hide depends on it, and nothing else
    about the user does) and the language; the snapshot holds the data version."""

    def render() -> Markup:
        t = translator(lang)
        return Markup(  # rendered by the autoescaping page templates
            templates.get_template("overview_main.html").render(
                lang=lang,
                t=t,
                view=tracking_for(principal, snap),
                figure=overview_figure(base_totals_for(principal, snap), t, lang),
                office=principal.role is Role.admin,
            )
        )

    return memoized(snap, ("overview_main", principal.role, lang), render)


class _Unread(str):
    """The badge's stand-in: a non-empty text, so the template shows the badge around it."""


def _overview_shell(
    request: Request, principal: Principal, snap: Snapshot, lang: str
) -> tuple[str, str, str] | None:
    """The whole overview page for the role and language, split around the inbox badge:
    (before, the badge with the count's stand-in, after); None if the badge is not where it is
    expected (then each page is rendered in full)."""

    def render() -> tuple[str, str, str] | None:
        stand_in = replace(principal, display_name=NAME_STAND_IN)
        context: dict[str, Any] = {
            "request": request,
            "lang": lang,
            "t": translator(lang),
            "user": stand_in,
            "csrf": CSRF_STAND_IN,
            "synthetic": snap.synthetic,
            "path": "/",
            "main": overview_main(principal, snap, lang),
            "unread_notices": lambda _request, user: (
                _Unread(UNREAD_STAND_IN) if user.role in PAGES["/inbox"] else 0
            ),
        }
        text = templates.get_template("overview.html").render(context)
        first = text.find(UNREAD_STAND_IN)
        if first < 0:
            return text, "", ""  # a role without an inbox: no badge
        start = text.rfind("<span", 0, first)
        end = text.find("</span>", first)
        if start < 0 or end < 0 or text.count(UNREAD_STAND_IN, end) or "<" in text[first:end]:
            return None
        end += len("</span>")
        return text[:start], text[start:end], text[end:]

    return memoized(snap, ("overview_page", principal.role, lang), render)


def overview_page_response(request: Request, principal: Principal, snap: Snapshot) -> Response:
    """The overview page for ``principal``: the role's kept page with the user's name, unread
    count and CSRF token put in; answered again to the same caller until a write."""
    lang = language(request)
    shell = _overview_shell(request, principal, snap, lang)
    if shell is None:
        return render_page(
            request,
            "overview.html",
            principal,
            snapshot=snap,
            main=overview_main(principal, snap, lang),
        )
    before, badge, after = shell
    unread = unread_notices(request, principal) if badge else 0
    text = before + (badge.replace(UNREAD_STAND_IN, str(unread)) if unread else "") + after
    csrf = getattr(request.state, "csrf_token", "")
    text = text.replace(NAME_STAND_IN, str(escape(principal.display_name))).replace(
        CSRF_STAND_IN, str(escape(csrf))
    )
    body = text.encode()
    remember(request, body, HTML)
    return HTMLResponse(body, media_type="text/html")
