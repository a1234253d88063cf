"""The workspaces: an enterprise's (its month, template, upload with every problem shown by row
and field and nothing written, draft → submit, amendment with a reason, evidence), a
responsible unit's (its targets and tasks, task and indicator reports with evidence) and the
office's review (the queue, accept or return with a note, bulk accept, reminders, budgets,
organisations). Evidence downloads go to the office and the owner only."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pandas as pd
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from carbonpeak.accounting.template import REPORT_SHEET, write_template
from carbonpeak.api.errors import Refusal, refused
from carbonpeak.api.hardening import limits
from carbonpeak.datafile import DataFileError, Problem
from carbonpeak.errors import Forbidden, InvalidInput, NotFound, message_of, said
from carbonpeak.messages import message
from carbonpeak.services.accounts import Principal, Role
from carbonpeak.services.dashboard import Snapshot
from carbonpeak.services.evidence import (
    attach_evidence,
    download_headers,
    evidence_list,
    read_evidence,
    report_indicator_with_evidence,
    report_task_with_evidence,
)
from carbonpeak.services.registry_detail import enterprise_detail
from carbonpeak.services.registry_workspace import enterprise_home, unit_home
from carbonpeak.services.review_queue import (
    accept_selected,
    late_reporters,
    queue,
    remind_late,
    reporting_month,
    return_report,
    submission_enterprise,
)
from carbonpeak.services.scoped import warnings_for
from carbonpeak.services.submissions import (
    SubmissionConflict,
    ingest,
    review,
    submit_draft,
    template_rows,
)
from carbonpeak.services.uploads import check_own_enterprise, read_report_upload
from carbonpeak.services.warnings import set_budget
from carbonpeak.web.i18n import label
from carbonpeak.web.registry import Kit, Posted, back, problem_rows

__all__ = ["install_workspaces"]

A, U, E = Role.admin, Role.unit, Role.enterprise
REPORT_TYPES = (".xlsx", ".csv")
ENTERPRISE_HOME, UNIT_HOME = "workspace/enterprise.html", "workspace/unit.html"


def _as_problems(exc: Exception, file: str) -> list[dict[str, Any]]:
    if isinstance(exc, DataFileError):
        return problem_rows(exc, REPORT_SHEET if file.lower().endswith(".xlsx") else "")
    problem = message_of(exc) or str(exc).strip(
        '"'
    )  # a catalogue message reads in the page's language
    return problem_rows(DataFileError(file, [Problem("file", problem)]))


def install_workspaces(app: FastAPI, kit: Kit) -> None:
    def home_of(template: str, current: Snapshot, principal: Principal) -> Any:
        if template == ENTERPRISE_HOME:
            return enterprise_home(
                kit.engine(), kit.store(), kit.plan, current, principal, date.today()
            )
        return unit_home(kit.engine(), kit.plan, current, principal, date.today())

    def home_view(
        request: Request,
        principal: Principal,
        template: str,
        message: str | None = None,
        problems: list[dict[str, Any]] | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        """An enterprise's or a unit's workspace (``template`` says which)."""
        current = kit.snapshot()
        return kit.render(
            request,
            template,
            principal,
            synthetic=current.synthetic,
            home=home_of(template, current, principal),
            message=message,
            problems=problems or [],
            status_code=status_code,
        )

    def review_view(
        request: Request,
        principal: Principal,
        month: str = "",
        state: str = "submitted",
        sector: str = "",
        message: str | None = None,
    ) -> HTMLResponse:
        current = kit.snapshot()
        due_month = month or reporting_month(date.today())
        return kit.render(
            request,
            "workspace/review.html",
            principal,
            synthetic=current.synthetic,
            rows=queue(kit.engine(), month or None, state or None, sector or None),
            late=late_reporters(kit.engine(), due_month, date.today()),
            due_month=due_month,
            month=month,
            state=state or "",
            sector=sector,
            sectors=sorted({e["sector"] for e in current.enterprises.values()}),
            warnings=warnings_for(principal, kit.engine(), kit.plan, current, None),
            organisations=kit.plan.organisations,
            enterprise_names={
                code: (e["name_zh"], e.get("name_en") or e["name_zh"])
                for code, e in sorted(current.enterprises.items())
            },
            evidence=evidence_list(kit.engine(), principal)[:50],
            message=message,
            problems=[],
        )

    @app.get("/workspace", include_in_schema=False, response_class=HTMLResponse)
    def workspace_page(request: Request, message: str | None = None) -> Response:
        principal = kit.principal(request, "/workspace")
        if isinstance(principal, Response):
            return principal
        if principal.role is E:
            return home_view(request, principal, ENTERPRISE_HOME, message)
        if principal.role is U:
            return home_view(request, principal, UNIT_HOME, message)
        return review_view(request, principal, message=message)

    # -- the enterprise ---------------------------------------------------------------------

    @app.get("/workspace/template.xlsx", include_in_schema=False)
    def report_template(request: Request, period: str = "") -> Response:
        principal = kit.principal(request, "/workspace")
        if isinstance(principal, Response):
            return principal
        if principal.role is not E or not principal.enterprise:
            raise refused(403, message("error.workspace.template_enterprise"))
        month = period or reporting_month(date.today())
        if not (len(month) == 7 and month[4] == "-" and month.replace("-", "").isdigit()):
            raise refused(422, message("error.workspace.period"))
        row, rows = template_rows(kit.engine(), principal.enterprise)
        if rows.empty:  # nothing reported yet: one line per registered facility
            facilities = enterprise_detail(kit.engine(), principal.enterprise)["facilities"]
            columns = ["facility", "item", "role", "purpose", "unit"]
            rows = pd.DataFrame(
                [
                    {c: f["code"] if c == "facility" else "" for c in columns}
                    for f in facilities
                    if not f["closed_on"]
                ],
                columns=columns,
            )
        content = write_template(row.code, row.name_zh, row.sector_code, month, rows, row.synthetic)
        return Response(
            content,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={
                "Content-Disposition": f'attachment; filename="report-{row.code}-{month}.xlsx"'
            },
        )

    async def own_enterprise(request: Request) -> tuple[Principal, Posted]:
        principal, form = await kit.form(request, "/workspace")
        if principal.role is not E or not principal.enterprise:
            raise refused(403, message("error.workspace.enterprise_only"))
        return principal, form

    @app.post("/workspace/upload", include_in_schema=False)
    async def report_upload(request: Request) -> Response:
        principal, form = await own_enterprise(request)
        upload = form.file("file")
        if upload is None:
            return home_view(request, principal, ENTERPRISE_HOME, "✗ " + REPORT_TYPES[0], None, 422)
        name, content = upload
        try:
            if not name.lower().endswith(REPORT_TYPES):
                raise InvalidInput(
                    message(
                        "error.workspace.report_type",
                        name=name,
                        types=" or ".join(REPORT_TYPES),
                    )
                )
            raw = read_report_upload(io.BytesIO(content), name, limits(request.app))
            check_own_enterprise(raw, principal.enterprise)
            result = ingest(
                kit.engine(),
                raw,
                name,
                principal.actor,
                str(form.get("reason") or "") or None,
                "draft" if form.get("draft") else "submitted",
            )
        except (InvalidInput, Forbidden, SubmissionConflict) as exc:
            return home_view(
                request, principal, ENTERPRISE_HOME, None, _as_problems(exc, name), 422
            )
        made = ", ".join(f"{period} v{version}" for _, period, version in result.created)
        return back("/workspace", f"✓ {made or name}")

    async def own_submission(request: Request) -> tuple[Principal, Posted, int]:
        principal, form = await own_enterprise(request)
        try:
            submission = int(str(form.get("submission", "")))
        except ValueError:
            raise refused(422, message("error.workspace.submission_id")) from None
        if submission_enterprise(kit.engine(), submission) != principal.enterprise:
            raise refused(404, message("error.workspace.no_submission", submission=submission))
        return principal, form, submission

    @app.post("/workspace/submit", include_in_schema=False)
    async def report_submit(request: Request) -> Response:
        principal, _form, submission = await own_submission(request)
        try:
            row = submit_draft(kit.engine(), submission, principal.actor)
        except InvalidInput as exc:
            return back("/workspace", f"✗ {said(exc, kit.language(request))}")
        return back("/workspace", f"✓ {row.period} v{row.version}")

    @app.post("/workspace/evidence", include_in_schema=False)
    async def report_evidence(request: Request) -> Response:
        principal, form, submission = await own_submission(request)
        upload = form.file("file")
        if upload is None:
            return back("/workspace", "✗ file")
        try:
            attach_evidence(
                kit.engine(),
                upload[1],
                upload[0],
                "submission",
                submission,
                principal.actor,
                enterprise=principal.enterprise,
            )
        except InvalidInput as exc:
            return back("/workspace", f"✗ {said(exc, kit.language(request))}")
        return back("/workspace", f"✓ {upload[0]}")

    # -- the responsible unit ---------------------------------------------------------------

    async def reporting_unit(request: Request) -> tuple[Principal, Posted, str]:
        principal, form = await kit.form(request, "/workspace")
        if principal.role is U and principal.organisation:
            return principal, form, principal.organisation
        if principal.role is A and form.get("unit"):
            return principal, form, form.get("unit")
        raise refused(403, message("error.workspace.unit_only"))

    @app.post("/workspace/task-report", include_in_schema=False)
    async def task_report(request: Request) -> Response:
        principal, form, unit = await reporting_unit(request)
        try:
            files = form.files.get("evidence", [])
            report_task_with_evidence(
                kit.engine(),
                kit.plan,
                str(form.get("task", "")),
                unit,
                float(str(form.get("percent_complete", ""))),
                str(form.get("summary", "")),
                principal.actor,
                files,
                str(form.get("next_milestone") or "") or None,
                date.fromisoformat(form.get("milestone_due"))
                if form.get("milestone_due")
                else None,
            )
        except Forbidden as exc:
            raise Refusal(403, str(exc), message_of(exc)) from exc
        except (ValueError, KeyError) as exc:
            problems = _as_problems(exc, "form")
            return home_view(request, principal, UNIT_HOME, None, problems, 422)
        return back("/workspace", f"✓ {form.get('task')} ({len(files)})")

    @app.post("/workspace/indicator-report", include_in_schema=False)
    async def indicator_report(request: Request) -> Response:
        principal, form, unit = await reporting_unit(request)
        indicator = str(form.get("indicator", ""))
        try:
            files = form.files.get("evidence", [])
            report_indicator_with_evidence(
                kit.engine(),
                kit.plan,
                indicator,
                int(str(form.get("year", ""))),
                float(str(form.get("value", ""))),
                str(form.get("value_unit") or kit.plan.indicator(indicator).unit),
                unit,
                principal.actor,
                files,
                str(form.get("reason") or "") or None,
            )
        except Forbidden as exc:
            raise Refusal(403, str(exc), message_of(exc)) from exc
        except (ValueError, KeyError) as exc:
            return home_view(request, principal, UNIT_HOME, None, _as_problems(exc, "form"), 422)
        return back("/workspace", f"✓ {indicator} {form.get('year')}")

    @app.get("/evidence/{evidence_id}", include_in_schema=False)
    def evidence_download(request: Request, evidence_id: int) -> Response:
        principal = kit.principal(request, "/workspace")
        if isinstance(principal, Response):
            return principal
        try:
            found, content = read_evidence(kit.engine(), principal, evidence_id)
        except Forbidden as exc:
            raise Refusal(403, str(exc), message_of(exc)) from exc
        except NotFound as exc:
            raise Refusal(404, str(exc).strip('"'), message_of(exc)) from exc
        return Response(
            content,
            media_type=found["media_type"],
            headers=download_headers(found),
        )

    # -- the office -------------------------------------------------------------------------

    @app.get("/review", include_in_schema=False, response_class=HTMLResponse)
    def review_page(
        request: Request,
        month: str = "",
        state: str = "submitted",  # "" is every state
        sector: str = "",
        message: str | None = None,
    ) -> Response:
        principal = kit.principal(request, "/review")
        if isinstance(principal, Response):
            return principal
        return review_view(request, principal, month, state, sector, message)

    @app.post("/review/{action}", include_in_schema=False)
    async def review_action(request: Request, action: str) -> Response:
        principal, form = await kit.form(request, "/review")
        engine = kit.engine()
        lang = kit.language(request)
        try:
            if action == "decide":
                submission = int(str(form.get("submission", "")))
                if form.get("decision") == "accept":
                    review(engine, submission, True, principal.actor, None)
                else:
                    return_report(engine, submission, str(form.get("note", "")), principal.actor)
                done = "accepted_done" if form.get("decision") == "accept" else "returned_done"
                flash = f"✓ {label(done, lang)}"
            elif action == "bulk":
                ids = [int(v) for v in form.lists.get("ids", [])]
                accepted = accept_selected(engine, ids, principal.actor)
                flash = f"✓ {label('accepted_done', lang)}: {accepted}"
            elif action == "remind":
                month = str(form.get("month") or reporting_month(date.today()))
                reminded = remind_late(engine, month, date.today(), principal.actor)
                flash = f"✓ {label('reminded_done', lang)}: {len(reminded)}"
            elif action == "budget":
                set_budget(
                    engine,
                    str(form.get("scope", "")),
                    int(str(form.get("year", ""))),
                    str(form.get("kind", "")),
                    float(str(form.get("value", ""))),
                    principal.actor,
                )
                flash = f"✓ {label('budget_done', lang)}: {form.get('scope')} {form.get('year')}"
            else:
                raise refused(404, message("error.no_action", found=repr(action)))
        except (ValueError, KeyError) as exc:
            flash = f"✗ {said(exc, lang).strip(chr(34))}"
        return back("/review", flash)
