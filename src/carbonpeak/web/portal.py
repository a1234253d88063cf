"""The public portal (/portal): no account needed, and only what the office has published.

Pages: the home (the publication and its status counts), the targets with their statuses, the
indicator trends (one page per indicator, as open-sdg has), the plan and its clauses, and every
published version. Each page reads one published version (the latest by default; ``period`` and
``version`` choose another) and offers its rows as CSV and JSON (``/portal/<page>.csv``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from carbonpeak.api.errors import Refusal, refused
from carbonpeak.errors import NotFound, message_of
from carbonpeak.messages import message
from carbonpeak.plan import Plan
from carbonpeak.services.charts import line_figure
from carbonpeak.services.portal import published, published_versions
from carbonpeak.services.portal_tables import (
    csv_text,
    indicator_rows,
    plan_rows,
    summary_rows,
    target_rows,
)
from carbonpeak.web.access import session_principal
from carbonpeak.web.i18n import label
from carbonpeak.web.rendering import language, render_page, templates

__all__ = ["PORTAL_PAGES", "portal_pages"]

# Page name → its label; "home" is /portal itself.
PORTAL_PAGES = {
    "home": "portal_home",
    "targets": "portal_targets",
    "indicators": "portal_indicators",
    "plan": "portal_plan",
    "versions": "portal_versions",
}
Period = Query(default=None, ge=2000, le=2100)
Version = Query(default=None, ge=1, le=100_000)
Indicator = Query(default=None, max_length=80, pattern=r"^[a-z0-9_]+$")


def _unit(unit: str, lang: str) -> str:
    return {"percent": "%", "dimensionless": ""}.get(unit, unit)


def _source(source: str, plan: Plan, lang: str) -> str:
    """An indicator value's source in words: accounted, or reported by a unit (its name)."""
    if source.startswith("reported by "):
        name = source.removeprefix("reported by ")
        try:
            org = plan.organisation(name)
            name = org.name_en if lang == "en" else org.name_zh
        except (KeyError, ValueError):
            pass
        return f"{label('source_reported', lang)} {name}".strip()
    return label("source_accounted", lang)


templates.env.globals["portal_unit"] = _unit


def portal_pages(engine: Callable[[], Engine], plan: Plan) -> APIRouter:
    """The portal's routes, over the store ``engine()`` and the plan the app was made with."""
    router = APIRouter(include_in_schema=False)

    def chosen(period: int | None, version: int | None) -> dict[str, Any] | None:
        try:
            return published(engine(), period, version)
        except NotFound as exc:
            raise Refusal(404, str(exc), message_of(exc)) from exc

    def rows_of(
        page: str, publication: dict[str, Any] | None, indicator: str | None
    ) -> list[dict[str, Any]]:
        content = publication["content"] if publication else {}
        if page == "home":
            return summary_rows(content)
        if page == "targets":
            return target_rows(content)
        if page == "indicators":
            rows = indicator_rows(content)
            return [r for r in rows if indicator is None or r["indicator"] == indicator]
        if page == "plan":
            return plan_rows(plan)
        return published_versions(engine())

    def download(
        page: str, fmt: str, period: int | None, version: int | None, indicator: str | None
    ) -> Response:
        if page not in PORTAL_PAGES:
            raise refused(404, message("error.portal.no_page", page=repr(page)))
        publication = chosen(period, version)
        rows = rows_of(page, publication, indicator)
        name = f"carbonpeak-{page}"
        if publication and page != "plan" and page != "versions":
            name += f"-{publication['period']}v{publication['version']}"
        if fmt == "json":
            body = json.dumps(rows, ensure_ascii=False, indent=1)
            media = "application/json"
        else:
            body = csv_text(rows)
            media = "text/csv; charset=utf-8"
        return Response(
            body,
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
        )

    @router.get("/portal/{page}.csv")
    def download_csv(
        page: str,
        period: int | None = Period,
        version: int | None = Version,
        indicator: str | None = Indicator,
    ) -> Response:
        return download(page, "csv", period, version, indicator)

    @router.get("/portal/{page}.json")
    def download_json(
        page: str,
        period: int | None = Period,
        version: int | None = Version,
        indicator: str | None = Indicator,
    ) -> Response:
        return download(page, "json", period, version, indicator)

    def page_view(
        request: Request, page: str, period: int | None, version: int | None, indicator: str | None
    ) -> Response:
        if page not in PORTAL_PAGES:
            raise refused(404, message("error.portal.no_page", page=repr(page)))
        lang = language(request)
        publication = chosen(period, version)
        latest = chosen(publication["period"], None) if publication else None
        rows = rows_of(page, publication, indicator)
        query = {
            k: v
            for k, v in (
                ("period", period),
                ("version", version),
                ("indicator", indicator),
            )
            if v is not None
        }
        selection = {k: v for k, v in query.items() if k != "indicator"}
        context: dict[str, Any] = {
            "page": page,
            "portal_pages": PORTAL_PAGES,
            "publication": publication,
            "superseded": bool(
                publication and latest and latest["version"] != publication["version"]
            ),
            "rows": rows,
            "selection": ("?" + urlencode(selection)) if selection else "",
            "download_query": ("?" + urlencode(query)) if query else "",
            "plan": plan,
            "indicator": indicator,
            "source_text": lambda source: _source(source, plan, lang),
        }
        if page == "indicators":
            context.update(_indicator_view(plan, rows, indicator, publication, lang))
        # Anonymous or signed in, the portal shows the same; a session only adds the link back.
        found = session_principal(request)
        return render_page(
            request,
            f"portal/{page}.html",
            found[0] if found else None,
            synthetic=bool(publication and publication["synthetic"]),
            **context,
        )

    @router.get("/portal", response_class=HTMLResponse)
    def portal_home(
        request: Request, period: int | None = Period, version: int | None = Version
    ) -> Response:
        return page_view(request, "home", period, version, None)

    @router.get("/portal/{page}", response_class=HTMLResponse)
    def portal_page(
        request: Request,
        page: str,
        period: int | None = Period,
        version: int | None = Version,
        indicator: str | None = Indicator,
    ) -> Response:
        if page == "home":
            raise refused(404, message("error.portal.no_page", page="'home'"))
        return page_view(request, page, period, version, indicator)

    return router


def _indicator_view(
    plan: Plan,
    rows: list[dict[str, Any]],
    indicator: str | None,
    publication: dict[str, Any] | None,
    lang: str,
) -> dict[str, Any]:
    """The indicator list (latest value and trend of each, in the plan's order), or one
    indicator's chart."""
    order = {i.id: n for n, i in enumerate(plan.indicators)}
    order.update({r["indicator"]: len(order) for r in rows if r["indicator"] not in order})
    series: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = series.setdefault(
            row["indicator"],
            {
                "indicator": row["indicator"],
                "name": row["name_en"] if lang == "en" else row["name_zh"],
                "unit": row["unit"],
                "values": {},
            },
        )
        entry["values"][str(row["year"])] = row["value"]
    for entry in series.values():
        last = max(entry["values"], key=int)
        entry["latest_year"], entry["latest_value"] = last, entry["values"][last]
    view: dict[str, Any] = {"series": sorted(series.values(), key=lambda e: order[e["indicator"]])}
    if indicator is not None:
        if indicator not in series:
            raise refused(404, message("error.portal.no_values", indicator=repr(indicator)))
        entry = series[indicator]
        years = sorted(entry["values"], key=int)
        view["figure"] = line_figure(
            entry["name"],
            _unit(entry["unit"], lang),
            years,
            {entry["name"]: [entry["values"][y] for y in years]},
        )
        content = publication["content"] if publication else {}
        view["indicator_targets"] = [
            t for t in content.get("targets", []) if t["indicator"] == indicator
        ]
        view["entry"] = entry
    return view
