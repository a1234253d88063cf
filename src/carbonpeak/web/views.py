"""Rendered views kept with the snapshot they show (``services.snapshots.memoized``): computed
once per data version, language and role, sparklines included, and dropped with the snapshot
when the data change. Only what a role sees goes in: the page around the view (the user's name,
the CSRF token) is rendered per request."""

from __future__ import annotations

from markupsafe import Markup

from carbonpeak.services.accounts import Principal, Role
from carbonpeak.services.page_views import overview_figure
from carbonpeak.services.scoped import base_totals_for, tracking_for
from carbonpeak.services.snapshots import Snapshot, memoized
from carbonpeak.web.rendering import templates, translator

__all__ = ["overview_main"]


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
