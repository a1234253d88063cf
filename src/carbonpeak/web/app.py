"""The web application: the API (/api/v1) plus server-rendered pages, every asset served from
the package (no CDN). Pages admit the same roles as the API routes they mirror."""

from __future__ import annotations

import hmac
import inspect
import secrets
from collections.abc import Callable
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from carbonpeak.api import create_app as create_api
from carbonpeak.api.hardening import client_address
from carbonpeak.api.security import SESSION_COOKIE, LoginThrottle
from carbonpeak.plan import Plan, load_plan
from carbonpeak.reports import format_value
from carbonpeak.scenarios import NO_PEAK, scenario_ids
from carbonpeak.services import dashboard
from carbonpeak.services.accounts import (
    ROLE_NAMES,
    SESSION_LIFETIME,
    AccountError,
    LoginRefused,
    Principal,
    Role,
    add_user,
    authenticate,
    create_token,
    end_session,
    has_users,
    principal_for_session,
    set_active,
    start_session,
    tokens,
    users,
)
from carbonpeak.services.indicator_reports import (
    IndicatorReportError,
    report_indicator,
    reportable_indicators,
)
from carbonpeak.services.reports import report_file
from carbonpeak.services.scenarios import compare as compare_scenarios
from carbonpeak.services.scenarios import summary_for as scenario_summary_for
from carbonpeak.services.scoped import (
    Forbidden,
    assessment_for,
    base_totals_for,
    check_enterprise,
    comparison_for,
    energy_carbon_for,
    intensities_for,
    lineage_for,
    scenario_for,
    tracking_for,
    warnings_for,
)
from carbonpeak.services.tasks import TaskProgressError, report_task_progress, task_board
from carbonpeak.storage import TelemetryStore
from carbonpeak.units import WAN
from carbonpeak.web.charts import bar_figure, fan_figure, in_wan, line_figure, sparkline
from carbonpeak.web.i18n import LANGUAGES, STATUS, label
from carbonpeak.web.registry import REGISTRY_PAGES
from carbonpeak.web.registry import install as install_registry_pages

__all__ = ["PAGES", "create_app"]

LANGUAGE_COOKIE = "cp_lang"
LOGIN_CSRF_COOKIE = "cp_login_csrf"
A, U, E, V = Role.admin, Role.unit, Role.enterprise, Role.viewer
ALL = (A, U, E, V)
# Each page and the roles it admits; tests/web/test_authorisation.py walks this table.
PAGES: dict[str, tuple[Role, ...]] = {
    "/": ALL,
    "/energy": ALL,
    "/enterprises": (A, E),
    "/enterprises/{code}": (A, E),
    "/quality": (A, E),
    "/tasks": ALL,
    "/warnings": (A, U, E),
    "/assessment": (A, U),
    "/lineage": ALL,
    "/scenarios": ALL,
    "/reports": (A,),
    "/admin": (A,),
    **REGISTRY_PAGES,  # web/registry.py, web/workspace.py
}
DemoLoader = Callable[[], dict[str, int]]


class PageRedirect(Exception):
    def __init__(self, location: str) -> None:
        self.location = location


def _package_path(*parts: str) -> Path:
    return Path(str(resources.files("carbonpeak.web").joinpath(*parts)))


def _plotly_js() -> Path:
    return Path(str(resources.files("plotly").joinpath("package_data", "plotly.min.js")))


def create_app(
    engine: Callable[[], Engine],
    store: Callable[[], TelemetryStore],
    plan: Plan | None = None,
    demo_loader: DemoLoader | None = None,
) -> FastAPI:
    """The whole application. ``demo_loader`` lets the set-up page load the demo base."""
    the_plan = plan or load_plan().plan
    app = create_api(engine, store, the_plan)
    throttle = LoginThrottle()
    app.state.throttle = throttle
    templates = Jinja2Templates(directory=str(_package_path("templates")))
    environment = templates.env
    environment.globals.update(fmt=format_value, sparkline=sparkline, STATUS=STATUS, label=label)

    def snap() -> dashboard.Snapshot:
        return dashboard.snapshot(engine(), the_plan)

    def language(request: Request) -> str:
        chosen = request.cookies.get(LANGUAGE_COOKIE, "zh")
        return chosen if chosen in LANGUAGES else "zh"

    def session_principal(request: Request) -> tuple[Principal, str] | None:
        key = request.cookies.get(SESSION_COOKIE)
        return principal_for_session(engine(), key) if key else None

    def page_principal(request: Request, path: str) -> Principal:
        found = session_principal(request)
        if found is None:
            raise PageRedirect("/login?next=" + quote(str(request.url.path)))
        principal, csrf = found
        request.state.csrf_token = csrf
        if principal.role not in PAGES[path]:
            raise HTTPException(403, f"the {principal.role.value} role may not open this page")
        return principal

    async def form_principal(request: Request) -> tuple[Principal, dict[str, str]]:
        """The signed-in user of a form post, after checking the form's CSRF token."""
        found = session_principal(request)
        if found is None:
            raise HTTPException(401, "sign in first")
        principal, csrf = found
        form = {k: str(v) for k, v in (await request.form()).items()}
        if not hmac.compare_digest(form.get("csrf_token", ""), csrf):
            raise HTTPException(403, "missing or wrong CSRF token")
        request.state.csrf_token = csrf
        return principal, form

    def render_page(
        request: Request, template: str, principal: Principal | None, **context: Any
    ) -> HTMLResponse:
        lang = language(request)
        current = context.pop("snapshot", None)
        return templates.TemplateResponse(
            request,
            template,
            {
                "lang": lang,
                "t": lambda key: label(key, lang),
                "user": principal,
                "role_names": ROLE_NAMES,
                "pages": PAGES,
                "csrf": getattr(request.state, "csrf_token", ""),
                "synthetic": current.synthetic if current else False,
                "path": request.url.path,
                **context,
            },
        )

    api_error_handler = app.exception_handlers[StarletteHTTPException]

    @app.exception_handler(StarletteHTTPException)
    async def _page_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/") or "text/html" not in request.headers.get(
            "accept", ""
        ):
            outcome = api_error_handler(request, exc)
            return await outcome if inspect.isawaitable(outcome) else outcome
        lang = language(request)
        body = templates.get_template("error.html").render(
            lang=lang,
            t=lambda key: label(key, lang),
            user=None,
            pages=PAGES,
            csrf="",
            synthetic=False,
            path=request.url.path,
            status=exc.status_code,
            detail=str(exc.detail),
        )
        return HTMLResponse(body, status_code=exc.status_code)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        return await _page_error(request, HTTPException(403, str(exc)))

    @app.exception_handler(PageRedirect)
    async def _redirect(_request: Request, exc: PageRedirect) -> RedirectResponse:
        return RedirectResponse(exc.location, status_code=303)

    # -- assets, language, sign-in ------------------------------------------------------------

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(_plotly_js(), media_type="text/javascript")

    # After the route above, which the mount would otherwise shadow.
    app.mount("/static", StaticFiles(directory=str(_package_path("static"))), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(_package_path("static", "favicon.svg"), media_type="image/svg+xml")

    @app.get("/lang", include_in_schema=False)
    def switch_language(to: str = "zh", next: str = "/") -> RedirectResponse:
        target = next if next.startswith("/") and not next.startswith("//") else "/"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            LANGUAGE_COOKIE, to if to in LANGUAGES else "zh", max_age=365 * 86400, samesite="lax"
        )
        return response

    @app.get("/login", include_in_schema=False, response_class=HTMLResponse)
    def login_page(request: Request, next: str = "/", error: str | None = None) -> Response:
        if not has_users(engine()):
            return RedirectResponse("/setup", status_code=303)
        token = secrets.token_urlsafe(24)
        response = render_page(
            request, "login.html", None, next=next, error=error, login_csrf=token
        )
        response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict")
        return response

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not expected or not hmac.compare_digest(form.get("csrf_token", ""), expected):
            raise HTTPException(403, "missing or wrong CSRF token")
        address = client_address(request)
        wait = throttle.retry_after(address)
        if wait:
            raise HTTPException(
                429, f"too many failed logins; try again in {wait} s", {"Retry-After": str(wait)}
            )
        next_page = form.get("next", "/")
        next_page = (
            next_page if next_page.startswith("/") and not next_page.startswith("//") else "/"
        )
        try:
            principal = authenticate(
                engine(), form.get("username", ""), form.get("password", ""), address
            )
        except LoginRefused:
            throttle.failed(address)  # one answer for every refusal: names cannot be probed
            return RedirectResponse(
                "/login?" + urlencode({"next": next_page, "error": "failed"}), status_code=303
            )
        throttle.succeeded(address)
        key, _csrf = start_session(engine(), principal.username)
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

    @app.post("/logout", include_in_schema=False)
    async def logout(request: Request) -> RedirectResponse:
        await form_principal(request)
        end_session(engine(), request.cookies.get(SESSION_COOKIE, ""))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    @app.get("/setup", include_in_schema=False, response_class=HTMLResponse)
    def setup_page(request: Request, error: str | None = None) -> Response:
        if has_users(engine()):
            return RedirectResponse("/login", status_code=303)
        token = secrets.token_urlsafe(24)
        response = render_page(
            request,
            "setup.html",
            None,
            login_csrf=token,
            error=error,
            can_load_demo=demo_loader is not None,
            empty=not snap().enterprises,
        )
        response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict")
        return response

    @app.post("/setup", include_in_schema=False)
    async def setup(request: Request) -> Response:
        """The first administrator, and (offered on an empty store) the demo base."""
        if has_users(engine()):
            raise HTTPException(403, "set-up is done: sign in as an administrator")
        form = {k: str(v) for k, v in (await request.form()).items()}
        expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not expected or not hmac.compare_digest(form.get("csrf_token", ""), expected):
            raise HTTPException(403, "missing or wrong CSRF token")
        if form.get("load_demo") and demo_loader is not None and not snap().enterprises:
            demo_loader()
        try:
            add_user(
                engine(),
                form.get("username", ""),
                form.get("password", ""),
                Role.admin,
                display_name="碳达峰办公室 Carbon-peak office",
                actor="setup",
            )
        except AccountError as exc:
            return RedirectResponse("/setup?" + urlencode({"error": str(exc)}), status_code=303)
        return RedirectResponse("/login", status_code=303)

    # -- pages ---------------------------------------------------------------------------------

    @app.get("/", include_in_schema=False, response_class=HTMLResponse)
    def overview_page(request: Request) -> Response:
        if not has_users(engine()):
            return RedirectResponse("/setup", status_code=303)
        principal = page_principal(request, "/")
        current = snap()
        view = tracking_for(principal, current)
        yearly = base_totals_for(principal, current)
        year_labels = [
            y["year"] if y["months"] == 12 else f"{y['year']} (1–{y['months']})" for y in yearly
        ]
        totals = {
            "energy": [in_wan(y["energy_consumption_tce"]) for y in yearly],
            "co2": [in_wan(y["co2_net_t"]) for y in yearly],
        }
        lang = language(request)
        figure = line_figure(
            label("energy", lang),
            "万tce / 万tCO2",
            year_labels,
            {label("energy_tce", lang): totals["energy"], label("co2_wt", lang): totals["co2"]},
        )
        return render_page(
            request, "overview.html", principal, snapshot=current, view=view, figure=figure
        )

    @app.get("/energy", include_in_schema=False, response_class=HTMLResponse)
    def energy_page(
        request: Request, level: str = "division", frequency: str = "year", period: str = ""
    ) -> Response:
        principal = page_principal(request, "/energy")
        if level not in dashboard.LEVELS or frequency not in ("year", "month"):
            raise HTTPException(
                422, "level: division, sector or enterprise; frequency: year or month"
            )
        if level == "enterprise" and principal.role is not A:
            raise HTTPException(403, "only the office sees every enterprise")
        current = snap()
        rows = energy_carbon_for(principal, current, level, frequency, period or None)
        lang = language(request)
        periods = sorted({r["period"] for r in rows})
        groups: dict[str, str] = {}
        for row in rows:
            key = row.get(level, "")
            groups[key] = row["name_zh"] if lang == "zh" else (row.get("name_en") or row["name_zh"])
        recent = periods[-24:] if frequency == "month" else periods
        top = sorted(groups, key=lambda g: -sum(r["co2_net_t"] or 0 for r in rows if r[level] == g))
        top = top[:8]
        series = {
            groups[g]: [
                next(
                    (in_wan(r["co2_net_t"]) for r in rows if r[level] == g and r["period"] == p),
                    None,
                )
                for p in recent
            ]
            for g in top
        }
        figure = bar_figure(label("co2_wt", lang), "万tCO2", recent, series)
        intensity = intensities_for(principal, current)
        intensity_figure = line_figure(
            label("intensity", lang),
            "%",
            [str(r["year"]) for r in intensity],
            {
                label("energy_intensity", lang): [
                    r["energy_intensity_gdp_vs_base_pct"] for r in intensity
                ],
                label("co2_intensity", lang): [
                    r["co2_intensity_gdp_vs_base_pct"] for r in intensity
                ],
            },
        )
        shown = [r for r in rows if r["period"] in recent[-3:]] if frequency == "month" else rows
        return render_page(
            request,
            "energy.html",
            principal,
            snapshot=current,
            rows=sorted(shown, key=lambda r: (r["period"], r.get(level, ""))),
            level=level,
            frequency=frequency,
            period=period,
            figure=figure,
            intensity=intensity,
            intensity_figure=intensity_figure,
            wan=WAN,
        )

    @app.get("/enterprises", include_in_schema=False, response_class=HTMLResponse)
    def enterprises_page(request: Request) -> Response:
        principal = page_principal(request, "/enterprises")
        if principal.role is E:
            return RedirectResponse(f"/enterprises/{principal.enterprise}", status_code=303)
        current = snap()
        latest = dashboard.energy_carbon(current, "enterprise", "year")
        last_year = max((r["period"] for r in latest), default="")
        by_code = {r["enterprise"]: r for r in latest if r["period"] == last_year}
        return render_page(
            request,
            "enterprises.html",
            principal,
            snapshot=current,
            enterprises=list(current.enterprises.values()),
            latest=by_code,
            last_year=last_year,
            wan=WAN,
        )

    @app.get("/enterprises/{code}", include_in_schema=False, response_class=HTMLResponse)
    def enterprise_page(request: Request, code: str) -> Response:
        principal = page_principal(request, "/enterprises/{code}")
        check_enterprise(principal, code)
        current = snap()
        enterprise = current.enterprises.get(code)
        if enterprise is None:
            raise HTTPException(404, f"no enterprise {code!r}")
        yearly = dashboard.enterprise_accounts(current, code, "year")
        monthly = dashboard.enterprise_accounts(current, code, "month")
        lang = language(request)
        recent = monthly[-24:]
        figure = bar_figure(
            label("monthly", lang),
            "tCO2 / tce",
            [r["period"] for r in recent],
            {
                label("co2_wt", lang).split(" ")[0]: [r["co2_net_t"] for r in recent],
            },
        )
        figure["layout"]["barmode"] = "group"
        figure["data"].append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": label("energy_tce", lang).split(" ")[0],
                "x": [r["period"] for r in recent],
                "y": [r["energy_consumption_tce"] for r in recent],
            }
        )
        total, submissions = dashboard.submission_list(engine(), code, limit=12)
        quality = dashboard.quality(engine(), store(), code)
        return render_page(
            request,
            "enterprise.html",
            principal,
            snapshot=current,
            enterprise=enterprise,
            yearly=yearly,
            figure=figure,
            submissions=submissions,
            submissions_total=total,
            quality=quality,
            benchmark=sorted(
                dashboard.enterprise_benchmark(current, code), key=lambda b: -int(b["year"])
            ),
            wan=WAN,
        )

    @app.get("/quality", include_in_schema=False, response_class=HTMLResponse)
    def quality_page(request: Request, month: str = "") -> Response:
        principal = page_principal(request, "/quality")
        enterprise = principal.enterprise if principal.role is E else None
        rows = dashboard.quality(engine(), store(), enterprise, month or None)
        meters = dashboard.quality(engine(), store(), enterprise, month or None, "meter")
        return render_page(
            request,
            "quality.html",
            principal,
            snapshot=snap(),
            rows=rows,
            meters=meters,
        )

    @app.get("/tasks", include_in_schema=False, response_class=HTMLResponse)
    def tasks_page(request: Request, message: str | None = None) -> Response:
        principal = page_principal(request, "/tasks")
        board = task_board(engine(), the_plan, date.today())
        units: dict[str, list[dict[str, Any]]] = {}
        for task in board:
            units.setdefault(task["lead_unit"], []).append(task)
        own: set[str] = set()
        reportable: list[Any] = []
        if principal.role is U and principal.organisation:
            own = {t.id for _, t, _ in the_plan.tasks_of(principal.organisation)}
            reportable = [
                the_plan.indicator(i)
                for i in reportable_indicators(the_plan, principal.organisation)
            ]
        elif principal.role is A:
            own = {task["task"] for task in board}
        return render_page(
            request,
            "tasks.html",
            principal,
            snapshot=snap(),
            units=units,
            own=own,
            reportable=reportable,
            message=message,
            today=date.today().isoformat(),
        )

    @app.post("/tasks/progress", include_in_schema=False)
    async def task_progress_form(request: Request) -> Response:
        principal, form = await form_principal(request)
        if principal.role not in (A, U):
            raise HTTPException(403, f"the {principal.role.value} role may not report progress")
        task = form.get("task", "")
        unit = principal.organisation if principal.role is U else form.get("unit") or None
        if unit is None:
            unit = the_plan.task(task)[1].responsible_units[0]
        try:
            report_task_progress(
                engine(),
                the_plan,
                task,
                unit,
                date.today(),
                float(form.get("percent_complete", "")),
                form.get("summary", "").strip() or "—",
                principal.actor,
                form.get("next_milestone") or None,
                date.fromisoformat(form["milestone_due"]) if form.get("milestone_due") else None,
            )
        except (TaskProgressError, ValueError, KeyError) as exc:
            if isinstance(exc, Forbidden):  # a unit reporting on a task it does not share
                raise HTTPException(403, str(exc)) from exc
            return RedirectResponse("/tasks?" + urlencode({"message": f"✗ {exc}"}), status_code=303)
        return RedirectResponse("/tasks?" + urlencode({"message": f"✓ {task}"}), status_code=303)

    @app.post("/indicators/report", include_in_schema=False)
    async def indicator_report_form(request: Request) -> Response:
        principal, form = await form_principal(request)
        if principal.role not in (A, U):
            raise HTTPException(403, f"the {principal.role.value} role may not report indicators")
        indicator = form.get("indicator", "")
        unit = principal.organisation if principal.role is U else form.get("unit") or None
        if unit is None or indicator not in reportable_indicators(the_plan, unit):
            raise HTTPException(403, f"{indicator} is not reported by this unit")
        try:
            report_indicator(
                engine(),
                the_plan,
                indicator,
                int(form.get("year", "")),
                float(form.get("value", "")),
                form.get("unit_of_value") or the_plan.indicator(indicator).unit,
                unit,
                principal.actor,
                reason=form.get("reason") or None,
            )
        except (IndicatorReportError, ValueError, KeyError) as exc:
            return RedirectResponse("/tasks?" + urlencode({"message": f"✗ {exc}"}), status_code=303)
        message = f"✓ {indicator} {form.get('year')}"
        return RedirectResponse("/tasks?" + urlencode({"message": message}), status_code=303)

    @app.get("/warnings", include_in_schema=False, response_class=HTMLResponse)
    def warnings_page(request: Request) -> Response:
        principal = page_principal(request, "/warnings")
        current = snap()
        rows = warnings_for(principal, engine(), the_plan, current, None)
        return render_page(request, "warnings.html", principal, snapshot=current, rows=rows)

    @app.get("/assessment", include_in_schema=False, response_class=HTMLResponse)
    def assessment_page(request: Request, year: int | None = None) -> Response:
        principal = page_principal(request, "/assessment")
        current = snap()
        years = sorted({v.year for v in current.values})
        chosen = year or (years[-1] if years else date.today().year)
        result = assessment_for(principal, engine(), the_plan, current, chosen)
        cards = result["scorecards"]
        return render_page(
            request,
            "assessment.html",
            principal,
            snapshot=current,
            result=result,
            cards=cards,
            year=chosen,
            years=years,
        )

    @app.get("/lineage", include_in_schema=False, response_class=HTMLResponse)
    def lineage_page(
        request: Request,
        indicator: str | None = None,
        year: int | None = None,
        enterprise: str | None = None,
        period: str | None = None,
        level: str | None = None,
        key: str | None = None,
    ) -> Response:
        principal = page_principal(request, "/lineage")
        current = snap()
        try:
            view = lineage_for(
                principal,
                current,
                indicator=indicator,
                year=year,
                enterprise=enterprise,
                period=period,
                level=level,
                key=key,
            )
        except KeyError as exc:
            raise HTTPException(404, str(exc).strip('"')) from exc
        return render_page(request, "lineage.html", principal, snapshot=current, view=view)

    @app.get("/scenarios", include_in_schema=False, response_class=HTMLResponse)
    def scenarios_page(request: Request, scenario: str = "baseline") -> Response:
        principal = page_principal(request, "/scenarios")
        names = scenario_ids()
        if scenario not in names:
            raise HTTPException(404, f"no scenario {scenario!r}")
        lang = language(request)
        current = snap()
        try:
            summary = scenario_for(
                principal, current, scenario_summary_for(engine(), the_plan, scenario)
            )
            comparison = comparison_for(
                principal, current, compare_scenarios(engine(), the_plan, names)
            )
        except KeyError as exc:
            raise HTTPException(404, str(exc).strip('"')) from exc
        labels = {k: label(k, lang) for k in ("p5_p95", "p25_p75", "median", "central", "actual")}
        fan = summary["fan"]["co2_emissions"]
        figure = fan_figure(
            label("co2_wt", lang),
            "万tCO2",
            fan["quantiles"],
            {int(k): v for k, v in fan["central"].items()},
            summary["base_year"],
            labels,
        )
        distribution = summary["peak_year_distribution"]
        peak_figure = bar_figure(
            label("peak_distribution", lang),
            "%",
            [k if k != NO_PEAK else label("not_peaked", lang) for k in distribution],
            {label("probability", lang): [100 * v for v in distribution.values()]},
        )
        return render_page(
            request,
            "scenarios.html",
            principal,
            snapshot=current,
            names=names,
            chosen=scenario,
            summary=summary,
            comparison=comparison,
            figure=figure,
            peak_figure=peak_figure,
            no_peak=NO_PEAK,
            indicator_names={
                i.id: i.name_zh if lang == "zh" else i.name_en for i in the_plan.indicators
            },
            stated={t.id: t.stated for t in the_plan.targets},
        )

    @app.get("/reports", include_in_schema=False, response_class=HTMLResponse)
    def reports_page(request: Request) -> Response:
        principal = page_principal(request, "/reports")
        current = snap()
        months = (
            sorted({str(p) for p in current.accounts.rows["period"].unique()})
            if current.accounts is not None
            else []
        )
        years = sorted({int(m[:4]) for m in months if m.endswith("-12")})
        return render_page(
            request,
            "reports.html",
            principal,
            snapshot=current,
            months=months[::-1][:12],
            years=years[::-1],
            enterprises=list(current.enterprises.values()),
        )

    @app.get("/reports/download", include_in_schema=False)
    def report_download(
        request: Request,
        format: str = "pdf",
        year: int | None = None,
        month: str | None = None,
        enterprise: str | None = None,
        public: bool = False,
    ) -> Response:
        """Downloads from the pages, with the session cookie (the API takes tokens too)."""
        found = session_principal(request)
        if found is None:
            raise PageRedirect("/login")
        principal = found[0]
        if enterprise is not None:
            check_enterprise(principal, enterprise)
        elif principal.role is not A:
            raise HTTPException(403, "only the office downloads the base's reports")
        try:
            made = report_file(
                engine(),
                the_plan,
                format,
                year=year,
                month=month,
                enterprise=enterprise,
                current=snap(),
                public=public,
            )
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from exc
        except KeyError as exc:
            raise HTTPException(404, str(exc).strip('"')) from exc
        return Response(
            made.content,
            media_type=made.media_type,
            headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
        )

    def admin_view(
        request: Request, principal: Principal, message: str | None, token: str | None
    ) -> HTMLResponse:
        current = snap()
        return render_page(
            request,
            "admin.html",
            principal,
            snapshot=current,
            users=users(engine()),
            tokens=tokens(engine()),
            organisations=the_plan.organisations,
            enterprises=list(current.enterprises),
            roles=list(Role),
            message=message,
            new_token=token,
        )

    @app.get("/admin", include_in_schema=False, response_class=HTMLResponse)
    def admin_page(request: Request, message: str | None = None) -> Response:
        return admin_view(request, page_principal(request, "/admin"), message, None)

    @app.post("/admin/users", include_in_schema=False)
    async def admin_add_user(request: Request) -> Response:
        principal, form = await form_principal(request)
        if principal.role is not A:
            raise HTTPException(403, "only the office administers accounts")
        try:
            add_user(
                engine(),
                form.get("username", ""),
                form.get("password", ""),
                form.get("role", ""),
                display_name=form.get("display_name") or None,
                organisation=form.get("organisation") or None,
                enterprise=form.get("enterprise") or None,
                actor=principal.actor,
            )
            message = f"✓ {form.get('username')}"
        except (AccountError, ValueError) as exc:
            message = f"✗ {exc}"
        return RedirectResponse("/admin?" + urlencode({"message": message}), status_code=303)

    @app.post("/admin/tokens", include_in_schema=False)
    async def admin_add_token(request: Request) -> Response:
        principal, form = await form_principal(request)
        if principal.role is not A:
            raise HTTPException(403, "only the office administers accounts")
        try:
            made = create_token(
                engine(), form.get("username", ""), form.get("client", ""), principal.actor
            )
        except AccountError as exc:
            return RedirectResponse("/admin?" + urlencode({"message": f"✗ {exc}"}), status_code=303)
        # Shown once, in this response: never in a URL, where logs and history would keep it.
        return admin_view(request, principal, None, made)

    @app.post("/admin/active", include_in_schema=False)
    async def admin_set_active(request: Request) -> Response:
        principal, form = await form_principal(request)
        if principal.role is not A:
            raise HTTPException(403, "only the office administers accounts")
        username = form.get("username", "")
        if username == principal.username:
            return RedirectResponse(
                "/admin?" + urlencode({"message": "✗ cannot deactivate yourself"}), status_code=303
            )
        try:
            set_active(engine(), username, form.get("active") == "true", principal.actor)
        except AccountError as exc:
            return RedirectResponse("/admin?" + urlencode({"message": f"✗ {exc}"}), status_code=303)
        return RedirectResponse(
            "/admin?" + urlencode({"message": f"✓ {username}"}), status_code=303
        )

    install_registry_pages(app, engine, store, the_plan)  # web/registry.py, web/workspace.py
    return app
