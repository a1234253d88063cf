"""Pages of the major-project library: the library and the budget pool, one project, the two-high
register with the retrofit plans, and the review form with its report (PDF).

Installed by ``install(app, engine, plan, pages)`` from ``web/app.py``: the pages reuse the
site's layout (``base.html``) and its sign-in session; they admit the roles of the API routes
they mirror (api/routers/projects.py)."""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine

from carbonpeak.accounting import items
from carbonpeak.api.security import SESSION_COOKIE
from carbonpeak.datafile import DataFileError
from carbonpeak.errors import Conflict, InvalidInput, NotFound
from carbonpeak.plan import Plan
from carbonpeak.projects import label as status_label
from carbonpeak.projects import parse_project, two_high_list
from carbonpeak.reports import format_value
from carbonpeak.services import dashboard
from carbonpeak.services.accounts import ROLE_NAMES, Principal, Role, principal_for_session
from carbonpeak.services.projects import list_projects, project_detail
from carbonpeak.services.projects_pool import budget_years, ledger, pool_years
from carbonpeak.services.projects_retrofit import retrofits, two_high_register
from carbonpeak.services.review import acceptance, review
from carbonpeak.services.review_report import review_report_file
from carbonpeak.web.i18n import label as site_label

__all__ = ["PROJECT_PAGES", "install"]

A, U, E = Role.admin, Role.unit, Role.enterprise
PROJECT_PAGES: dict[str, tuple[Role, ...]] = {
    "/projects": (A, U, E),
    "/projects/register": (A, U),
    "/projects/review": (A,),
    "/projects/{project_id}": (A, U, E),
}
_TEXT = {  # page texts (zh, en)
    "projects": ("重大项目库", "Major-project library"),
    "pool": ("用能与碳排放预算池", "Energy and carbon budget pool"),
    "ledger": ("预算池台账", "Pool ledger"),
    "register": ("两高项目清单与一企一策", "Two-high list and retrofit plans"),
    "review": ("节能审查与碳排放评价", "Energy and carbon review"),
    "project_file": ("项目文件（YAML）", "Project file (YAML)"),
    "run_review": ("审查", "Review"),
    "pdf": ("下载审查报告（PDF）", "Review report (PDF)"),
    "history": ("阶段记录", "Stage history"),
    "approvals": ("前期手续", "Preliminary approvals"),
    "energy": ("预计年用能（按品种）", "Expected annual energy by carrier"),
    "work_plans": ("年度工作计划", "Annual work plans"),
    "reviews": ("审查记录", "Reviews"),
    "acceptance": ("验收", "Acceptance"),
    "retrofits": ("一企一策改造方案", "One-enterprise-one-plan retrofits"),
    "two_high": ("两高项目清单（动态）", "Two-high register (from the accounts)"),
    "edition": ("清单版本", "List edition"),
}


def _templates() -> Jinja2Templates:
    folder = Path(str(resources.files("carbonpeak.web").joinpath("templates")))
    templates = Jinja2Templates(directory=str(folder))
    templates.env.globals.update(fmt=format_value)
    return templates


def install(
    app: FastAPI,
    engine: Callable[[], Engine],
    plan: Plan,
    pages: Mapping[str, tuple[Role, ...]],
) -> None:
    """Add the project pages to ``app``."""
    templates = _templates()
    all_pages = {**pages, **PROJECT_PAGES}

    def language(request: Request) -> str:
        chosen = request.cookies.get("cp_lang", "zh")
        return chosen if chosen in ("zh", "en") else "zh"

    def principal(request: Request, path: str) -> Principal:
        key = request.cookies.get(SESSION_COOKIE)
        found = principal_for_session(engine(), key) if key else None
        if found is None:
            raise _Redirect("/login?next=" + quote(str(request.url.path)))
        who, csrf = found
        request.state.csrf_token = csrf
        if who.role not in PROJECT_PAGES[path]:
            raise HTTPException(403, f"the {who.role.value} role may not open this page")
        return who

    async def form(request: Request, path: str) -> tuple[Principal, dict[str, str]]:
        who = principal(request, path)
        fields = {k: str(v) for k, v in (await request.form()).items()}
        if not hmac.compare_digest(fields.get("csrf_token", ""), request.state.csrf_token):
            raise HTTPException(403, "missing or wrong CSRF token")
        return who, fields

    def names(lang: str) -> dict[str, Callable[[str | None], str]]:
        """Readable names for the identifiers a page shows: products, enterprises, groups."""
        catalogue = items()
        enterprises = dashboard.snapshot(engine(), plan).enterprises
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
                found = plan.organisation(name or "")
            except NotFound:
                return name or ""
            return found.name_zh if zh else found.name_en

        return {"item": item, "enterprise": enterprise, "group": group, "unit": unit}

    def page(request: Request, template: str, who: Principal, **context: Any) -> HTMLResponse:
        lang = language(request)
        locale = "zh_CN" if lang == "zh" else "en"
        return templates.TemplateResponse(
            request,
            f"projects/{template}",
            {
                "lang": lang,
                "t": lambda key: site_label(key, lang),
                "p": lambda key: _TEXT[key][0 if lang == "zh" else 1],
                "status": lambda group, key: status_label(group, key, locale),
                "locale": locale,
                **names(lang),
                "user": who,
                "role_names": ROLE_NAMES,
                "pages": all_pages,
                "csrf": getattr(request.state, "csrf_token", ""),
                "synthetic": True,
                "path": request.url.path,
                **context,
            },
        )

    class _Redirect(Exception):
        def __init__(self, location: str) -> None:
            self.location = location

    @app.exception_handler(_Redirect)
    async def _redirect(_request: Request, exc: _Redirect) -> RedirectResponse:
        return RedirectResponse(exc.location, status_code=303)

    @app.get("/projects", include_in_schema=False, response_class=HTMLResponse)
    def projects_page(request: Request) -> HTMLResponse:
        who = principal(request, "/projects")
        rows = list_projects(engine())
        if who.role is E:
            rows = [r for r in rows if r["owner"] == who.enterprise]
        pools: list[dict[str, Any]] = []
        entries: list[dict[str, Any]] = []
        years = budget_years(engine())
        if who.role is not E and years:
            snap = dashboard.snapshot(engine(), plan)
            pools = [p.as_dict() for p in pool_years(engine(), plan, years[0], snap)]
            entries = [e.as_dict() for e in ledger(engine())]
        return page(
            request,
            "list.html",
            who,
            projects=rows,
            pools=pools,
            entries=entries,
            project_names={r["id"]: r["name_zh"] for r in rows},
        )

    @app.get("/projects/register", include_in_schema=False, response_class=HTMLResponse)
    def register_page(request: Request) -> HTMLResponse:
        who = principal(request, "/projects/register")
        return page(
            request,
            "register.html",
            who,
            register=two_high_register(engine(), plan, date.today()),
            plans=retrofits(engine(), date.today()),
            lists=two_high_list(),
        )

    @app.get("/projects/review", include_in_schema=False, response_class=HTMLResponse)
    def review_form(request: Request) -> HTMLResponse:
        who = principal(request, "/projects/review")
        return page(request, "review.html", who, text="", result=None, error=None)

    @app.post("/projects/review", include_in_schema=False, response_model=None)
    async def review_post(request: Request) -> Response:
        who, fields = await form(request, "/projects/review")
        text = fields.get("project", "")
        try:
            project = parse_project(yaml.safe_load(text), "project file")
            draws = min(max(int(fields.get("draws") or 1000), 100), 5000)
            result = review(engine(), plan, project, draws=draws)
        except (DataFileError, InvalidInput, NotFound, Conflict, yaml.YAMLError, ValueError) as exc:
            return page(request, "review.html", who, text=text, result=None, error=str(exc))
        if fields.get("pdf"):
            return Response(
                review_report_file(project, result),
                media_type="application/pdf",
                headers={"Content-Disposition": f'attachment; filename="review-{project.id}.pdf"'},
            )
        return page(
            request, "review.html", who, text=text, result=result, project=project, error=None
        )

    @app.get("/projects/{project_id}", include_in_schema=False, response_class=HTMLResponse)
    def project_page(request: Request, project_id: str) -> HTMLResponse:
        who = principal(request, "/projects/{project_id}")
        try:
            detail = project_detail(engine(), project_id)
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from None
        project = detail["project"]
        if who.role is E and project.owner != who.enterprise:
            raise HTTPException(403, "an enterprise sees only its own projects")
        accepted = None
        if project.facility and detail["approved_energy_tce"] is not None:
            try:
                accepted = acceptance(engine(), plan, project_id)
            except (Conflict, InvalidInput, NotFound):
                accepted = None
        return page(request, "detail.html", who, project=project, detail=detail, accepted=accepted)
