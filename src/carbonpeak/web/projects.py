"""Pages of the major-project library: the library and the budget pool, one project, the two-high
register with the retrofit plans, and the review form with its report (PDF).

One ``router``, included by ``web/app.py``; the pages admit the roles ``navigation.PAGES`` gives
them, those of the API routes they mirror (api/routers/projects.py), and an enterprise sees only
its own projects."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from carbonpeak.accounting import items
from carbonpeak.datafile import DataFileError
from carbonpeak.errors import Conflict, Forbidden, InvalidInput, NotFound, said
from carbonpeak.messages import message, text
from carbonpeak.projects import label as status_label
from carbonpeak.projects import parse_project, two_high_list
from carbonpeak.services.accounts import Principal, Role
from carbonpeak.services.projects import list_projects, project_detail
from carbonpeak.services.projects_pool import budget_years, ledger, pool_years
from carbonpeak.services.projects_retrofit import retrofits, two_high_register
from carbonpeak.services.review import acceptance, review
from carbonpeak.services.review_report import review_report_file
from carbonpeak.web.access import form_principal, page_principal
from carbonpeak.web.navigation import PAGES
from carbonpeak.web.rendering import language, render_page
from carbonpeak.web.state import WebState, web_state

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
E = Role.enterprise


def _names(web: WebState, lang: str) -> dict[str, Callable[[str | None], str]]:
    """Readable names for the identifiers a page shows: products, enterprises, groups, units."""
    catalogue = items()
    enterprises = web.snapshot().enterprises
    groups = {g.key: g for g in two_high_list().sectors}
    zh = lang == "zh"

    def item(key: str | None) -> str:
        found = catalogue.get(key or "")
        return (found.name_zh if zh else found.name_en) if found else (key or "")

    def enterprise(code: str | None) -> str:
        found = enterprises.get(code or "")
        return str(found["name_zh" if zh else "name_en"]) if found else (code or "")

    def group(key: str | None) -> str:
        found = groups.get(key or "")
        return (found.name_zh if zh else found.name_en) if found else (key or "")

    def unit(name: str | None) -> str:
        try:
            found = web.plan.organisation(name or "")
        except NotFound:
            return name or ""
        return found.name_zh if zh else found.name_en

    return {"item": item, "enterprise": enterprise, "group": group, "unit": unit}


def _page(request: Request, template: str, who: Principal, **context: Any) -> HTMLResponse:
    """A project page in the site's layout, with the project texts (``p``), the status names
    (``status``) and the readable names of ``_names``."""
    web = web_state(request)
    lang = language(request)
    locale = "zh_CN" if lang == "zh" else "en"
    view: dict[str, Any] = {**_names(web, lang), **context}
    return render_page(
        request,
        f"projects/{template}",
        who,
        snapshot=web.snapshot(),
        p=lambda key: text(f"projects.{key}", lang),
        status=lambda group, key: status_label(group, key, locale),
        locale=locale,
        **view,
    )


@router.get("/projects", response_class=HTMLResponse)
def projects_page(request: Request) -> HTMLResponse:
    who = page_principal(request, "/projects")
    web = web_state(request)
    rows = list_projects(web.engine())
    if who.role is E:
        rows = [r for r in rows if r["owner"] == who.enterprise]
    pools: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    years = budget_years(web.engine())
    if who.role is not E and years:
        pools = [p.as_dict() for p in pool_years(web.engine(), web.plan, years[0], web.snapshot())]
        entries = [e.as_dict() for e in ledger(web.engine())]
    return _page(
        request,
        "list.html",
        who,
        projects=rows,
        pools=pools,
        entries=entries,
        project_names={
            r["id"]: r["name_zh"] if language(request) == "zh" else r.get("name_en") or r["name_zh"]
            for r in rows
        },
    )


@router.get("/projects/register", response_class=HTMLResponse)
def register_page(request: Request) -> HTMLResponse:
    who = page_principal(request, "/projects/register")
    web = web_state(request)
    return _page(
        request,
        "register.html",
        who,
        register=two_high_register(web.engine(), web.plan, date.today()),
        plans=retrofits(web.engine(), date.today()),
        lists=two_high_list(),
        message=request.query_params.get("message"),
        error=request.query_params.get("error"),
    )


@router.get("/projects/review", response_class=HTMLResponse)
def review_form(request: Request) -> HTMLResponse:
    who = page_principal(request, "/projects/review")
    return _page(request, "review.html", who, text="", result=None, error=None)


@router.post("/projects/review", response_model=None)
async def review_post(request: Request) -> Response:
    who, fields = await form_principal(
        request, PAGES["/projects/review"], "error.doing.review_projects"
    )
    web = web_state(request)
    text = fields.get("project", "")
    try:
        project = parse_project(yaml.safe_load(text), "project file")
        draws = min(max(int(fields.get("draws") or 1000), 100), 5000)
        result = review(web.engine(), web.plan, project, draws=draws)
    except (DataFileError, InvalidInput, NotFound, Conflict, yaml.YAMLError, ValueError) as exc:
        return _page(
            request, "review.html", who, text=text, result=None, error=said(exc, language(request))
        )
    if fields.get("pdf"):
        return Response(
            review_report_file(project, result, engine=web.engine()),
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="review-{project.id}.pdf"'},
        )
    return _page(request, "review.html", who, text=text, result=result, project=project, error=None)


@router.get("/projects/{project_id}", response_class=HTMLResponse)
def project_page(request: Request, project_id: str) -> HTMLResponse:
    who = page_principal(request, "/projects/{project_id}")
    web = web_state(request)
    detail = project_detail(web.engine(), project_id)  # NotFound: the 404 page
    project = detail["project"]
    if who.role is E and project.owner != who.enterprise:
        raise Forbidden(message("error.projects.own_only"))
    accepted = None
    if project.facility and detail["approved_energy_tce"] is not None:
        try:
            accepted = acceptance(web.engine(), web.plan, project_id)
        except (Conflict, InvalidInput, NotFound):
            accepted = None
    return _page(
        request,
        "detail.html",
        who,
        project=project,
        detail=detail,
        accepted=accepted,
        message=request.query_params.get("message"),
        error=request.query_params.get("error"),
    )
