"""The registry pages (the office's): enterprises, facilities and meters with their history,
bulk import from the Excel template, key energy-using units, and each enterprise's account.
``install`` adds these pages and the workspaces (web/workspace.py) to the application."""

from __future__ import annotations

import hmac
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from starlette.datastructures import UploadFile

from carbonpeak.accounting.template import HEADERS as REPORT_HEADERS
from carbonpeak.api.errors import Refusal, refused, role_may_not
from carbonpeak.api.security import SESSION_COOKIE
from carbonpeak.datafile import DataFileError, Problem
from carbonpeak.errors import InvalidInput, NotFound, message_of
from carbonpeak.messages import message
from carbonpeak.plan import Plan
from carbonpeak.services import dashboard
from carbonpeak.services.accounts import AccountError, Principal, Role, add_user
from carbonpeak.services.accounts import principal_for_session as session_of
from carbonpeak.services.registry import enterprises
from carbonpeak.services.registry_detail import enterprise_detail
from carbonpeak.services.registry_fields import ENTITIES, industry_classes
from carbonpeak.services.registry_import import import_registry, registry_template
from carbonpeak.services.registry_keyunits import apply_key_unit_flags, key_units
from carbonpeak.services.registry_life import change, close, history, open_entry
from carbonpeak.services.store import TelemetryStore
from carbonpeak.web.i18n import label
from carbonpeak.web.navigation import REGISTRY_PAGES
from carbonpeak.web.rendering import language, render_page, templates

__all__ = ["REGISTRY_PAGES", "Kit", "Posted", "install"]

_LOCATION = re.compile(
    r"(?:sheet (?P<sheet>[^,]+), )?(?:rows? (?P<row>[\d–-]+))?"
    r"(?:.*?(?:column|field) (?P<field>\w+))?"
)


# What a problem's field is called in the file: the report template's and registry template's
# bilingual headers.
FIELD_LABELS: dict[str, str] = {
    **{f.key: f.header for fields in ENTITIES.values() for f in fields},
    **REPORT_HEADERS,
}


def problem_rows(error: DataFileError, sheet: str = "") -> list[dict[str, Any]]:
    """A file's problems as table rows: file, sheet, row, field, problem, expected, found."""
    rows = []
    file, _, named_sheet = error.file.partition(", sheet ")  # "june.xlsx, sheet 月报 Report"
    for problem in error.problems:
        match = _LOCATION.match(problem.location)
        found = match.groupdict() if match else {}
        rows.append(
            {
                "file": file,
                "sheet": found.get("sheet") or named_sheet or sheet,
                "row": found.get("row") or "",
                "field": found.get("field") or "",
                "field_label": FIELD_LABELS.get(found.get("field") or "", found.get("field") or ""),
                "location": problem.location,
                "problem": problem.problem,
                "expected": problem.expected or "",
                "found": "" if problem.found is None else str(problem.found),
            }
        )
    return rows


@dataclass
class Posted:
    """A posted form: the last value of each field, every value, and the files by field."""

    fields: dict[str, str]
    lists: dict[str, list[str]]
    files: dict[str, list[tuple[str, bytes]]]

    def get(self, key: str, default: str = "") -> str:
        return self.fields.get(key, default)

    def file(self, key: str) -> tuple[str, bytes] | None:
        found = self.files.get(key)
        return found[0] if found else None


@dataclass
class Kit:
    """What the pages share: the store, the plan, the templates, and the signed-in user."""

    engine: Callable[[], Engine]
    store: Callable[[], TelemetryStore]
    plan: Plan
    templates: Jinja2Templates

    def snapshot(self) -> dashboard.Snapshot:
        return dashboard.snapshot(self.engine(), self.plan)

    def language(self, request: Request) -> str:
        return language(request)

    def principal(self, request: Request, path: str) -> Principal | Response:
        """The signed-in user admitted to ``path``, or the sign-in page to go to."""
        key = request.cookies.get(SESSION_COOKIE)
        found = session_of(self.engine(), key) if key else None
        if found is None:
            return RedirectResponse("/login?next=" + quote(str(request.url.path)), 303)
        principal, csrf = found
        request.state.csrf_token = csrf
        if principal.role not in REGISTRY_PAGES[path]:
            raise refused(
                403,
                message(
                    "error.role_may_not_open", role=message(f"error.role.{principal.role.value}")
                ),
            )
        return principal

    async def form(self, request: Request, path: str) -> tuple[Principal, Posted]:
        """A form post's user (admitted to ``path``) and fields, after the CSRF check. Files
        are read and the form closed here, so no spooled upload outlives the request."""
        key = request.cookies.get(SESSION_COOKIE)
        found = session_of(self.engine(), key) if key else None
        if found is None:
            raise refused(401, message("error.sign_in_first"))
        principal, csrf = found
        received = await request.form()
        try:
            posted = Posted({}, {}, {})
            for name, value in received.multi_items():
                if isinstance(value, UploadFile):
                    if value.filename:
                        content = await value.read()
                        posted.files.setdefault(name, []).append(
                            (Path(value.filename).name, content)
                        )
                    continue
                posted.fields[name] = str(value).strip()
                posted.lists.setdefault(name, []).append(str(value).strip())
        finally:
            await received.close()
        if not hmac.compare_digest(posted.get("csrf_token"), csrf):
            raise refused(403, message("error.csrf"))
        request.state.csrf_token = csrf
        if principal.role not in REGISTRY_PAGES[path]:
            raise refused(403, role_may_not(principal.role.value))
        return principal, posted

    def render(
        self, request: Request, template: str, principal: Principal, **context: Any
    ) -> HTMLResponse:
        """``template`` in the site's layout (web/rendering.py), with today's date."""
        status_code = context.pop("status_code", 200)
        return render_page(
            request,
            template,
            principal,
            status_code=status_code,
            today=date.today().isoformat(),
            **context,
        )


def back(path: str, message: str) -> RedirectResponse:
    return RedirectResponse(f"{path}?{urlencode({'message': message})}", status_code=303)


def install(
    app: FastAPI,
    engine: Callable[[], Engine],
    store: Callable[[], TelemetryStore],
    plan: Plan,
) -> None:
    """Add the registry pages and the workspaces to ``app``."""
    from carbonpeak.web.workspace import install_workspaces

    # The site's one template set: its globals draw the navigation, the inbox badge, assets.
    kit = Kit(engine, store, plan, templates)
    _registry_routes(app, kit)
    install_workspaces(app, kit)


def _registry_routes(app: FastAPI, kit: Kit) -> None:
    def registry_view(
        request: Request,
        principal: Principal,
        message: str | None = None,
        problems: list[dict[str, Any]] | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        current = kit.snapshot()
        listed = enterprises(kit.engine())
        return kit.render(
            request,
            "registry/list.html",
            principal,
            synthetic=current.synthetic,
            enterprises=[] if listed.empty else listed.to_dict("records"),
            key_units={r["enterprise"]: r for r in key_units(kit.engine(), current, kit.store())},
            sectors=industry_classes(),
            sector_names=dashboard.sector_names(),
            message=message,
            problems=problems or [],
            status_code=status_code,
        )

    @app.get("/registry", include_in_schema=False, response_class=HTMLResponse)
    def registry_page(request: Request, message: str | None = None) -> Response:
        principal = kit.principal(request, "/registry")
        if isinstance(principal, Response):
            return principal
        return registry_view(request, principal, message)

    @app.get("/registry/template.xlsx", include_in_schema=False)
    def registry_template_download(request: Request) -> Response:
        principal = kit.principal(request, "/registry")
        if isinstance(principal, Response):
            return principal
        return Response(
            registry_template(),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": 'attachment; filename="registry-template.xlsx"'},
        )

    @app.post("/registry/import", include_in_schema=False)
    async def registry_import(request: Request) -> Response:
        principal, form = await kit.form(request, "/registry")
        upload = form.file("file")
        if upload is None or not upload[0].lower().endswith(".xlsx"):
            return back("/registry", "✗ .xlsx")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / upload[0]
            path.write_bytes(upload[1])
            try:
                result = import_registry(kit.engine(), path, principal.actor)
            except DataFileError as exc:
                return registry_view(request, principal, None, problem_rows(exc), 422)
        return back(
            "/registry",
            f"✓ {label('bulk_import', kit.language(request))}: {result.enterprises} / "
            f"{result.facilities} / {result.meters}",
        )

    @app.post("/registry/enterprises", include_in_schema=False)
    async def registry_add(request: Request) -> Response:
        principal, form = await kit.form(request, "/registry")
        record = {k: form.get(k, "") for k in ("code", "credit_code", "name_zh", "name_en")}
        record["sector"] = form.get("sector", "")
        try:
            code = open_entry(kit.engine(), "enterprise", record, principal.actor)
        except DataFileError as exc:
            return registry_view(request, principal, None, problem_rows(exc), 422)
        return back(f"/registry/{code}", f"✓ {code}")

    @app.post("/registry/key-units", include_in_schema=False)
    async def registry_key_units(request: Request) -> Response:
        principal, _form = await kit.form(request, "/registry")
        changed = apply_key_unit_flags(kit.engine(), kit.snapshot(), kit.store(), principal.actor)
        return back("/registry", f"✓ {label('apply_flags', kit.language(request))}: {len(changed)}")

    def detail_view(
        request: Request,
        principal: Principal,
        code: str,
        message: str | None = None,
        problems: list[dict[str, Any]] | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        try:
            detail = enterprise_detail(kit.engine(), code)
        except NotFound as exc:
            raise Refusal(404, str(exc).strip('"'), message_of(exc)) from exc
        return kit.render(
            request,
            "registry/detail.html",
            principal,
            synthetic=detail["enterprise"]["synthetic"],
            detail=detail,
            history=history(kit.engine(), code),
            sectors=industry_classes(),
            sector_names=dashboard.sector_names(),
            message=message,
            problems=problems or [],
            status_code=status_code,
        )

    @app.get("/registry/{code}", include_in_schema=False, response_class=HTMLResponse)
    def registry_detail(request: Request, code: str, message: str | None = None) -> Response:
        principal = kit.principal(request, "/registry")
        if isinstance(principal, Response):
            return principal
        return detail_view(request, principal, code, message)

    @app.post("/registry/{code}/{action}", include_in_schema=False)
    async def registry_action(request: Request, code: str, action: str) -> Response:
        principal, form = await kit.form(request, "/registry")
        fields = {k: v for k, v in form.fields.items() if k != "csrf_token"}
        if "entity_key" in fields:  # the close form's one choice: "entity|key"
            fields["entity"], _, fields["key"] = fields.pop("entity_key").partition("|")
        try:
            if action in ("facility", "meter"):
                fields.pop("reason", None)
                open_entry(kit.engine(), action, {**fields, "enterprise": code}, principal.actor)
            elif action in ("change", "close"):
                entity, key = fields.pop("entity", ""), fields.pop("key", "")
                reason = fields.pop("reason", "")
                if entity not in ("enterprise", "facility", "meter"):
                    raise refused(422, message("error.registry.entity"))
                if action == "close":
                    on = date.fromisoformat(fields.get("closed_on") or date.today().isoformat())
                    close(kit.engine(), entity, key, on, principal.actor, reason)
                else:
                    change(
                        kit.engine(),
                        entity,
                        key,
                        {k: v for k, v in fields.items() if v},
                        principal.actor,
                        reason or None,
                    )
            elif action == "user":
                add_user(
                    kit.engine(),
                    fields.get("username", ""),
                    fields.get("password", ""),
                    Role.enterprise,
                    display_name=fields.get("display_name") or None,
                    enterprise=code,
                    actor=principal.actor,
                )
            else:
                raise refused(404, message("error.no_action", found=repr(action)))
        except DataFileError as exc:
            return detail_view(request, principal, code, None, problem_rows(exc), 422)
        except (InvalidInput, AccountError, KeyError) as exc:
            return detail_view(
                request,
                principal,
                code,
                None,
                problem_rows(
                    DataFileError("form", [Problem(action, message_of(exc) or str(exc).strip('"'))])
                ),
                422,
            )
        done = {"facility": "add_facility", "meter": "add_meter", "user": "create_user"}
        return back(
            f"/registry/{code}", f"✓ {label(done.get(action, action), kit.language(request))}"
        )
