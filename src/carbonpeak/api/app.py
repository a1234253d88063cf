"""The FastAPI application factory: /api/v1, documented by OpenAPI, thin over the services.

Who may call what is declared on each route (``security.require``) and narrowed inside the route
where the answer depends on the data: an enterprise sees only its own enterprise, a responsible
unit reports only on its own tasks and indicators. tests/web/test_authorisation.py checks every
route for every role.
"""

import re
import tempfile
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, File, HTTPException, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from carbonpeak import __version__
from carbonpeak.api.hardening import install, read_upload
from carbonpeak.api.security import Security
from carbonpeak.datafile import DataFileError, Problem
from carbonpeak.plan import Plan, load_plan
from carbonpeak.scenarios import load_scenario, scenario_ids
from carbonpeak.services import dashboard
from carbonpeak.services.accounts import (
    AccountError,
    Principal,
    Role,
    add_user,
    create_token,
    revoke_token,
    set_active,
    users,
)
from carbonpeak.services.indicator_reports import IndicatorReportError, report_indicator
from carbonpeak.services.logins import unlock
from carbonpeak.services.reports import ReportFile, report_file
from carbonpeak.services.scenarios import compare as compare_scenarios
from carbonpeak.services.scenarios import summary_for as scenario_summary_for
from carbonpeak.services.scoped import (
    Forbidden,
    assessment_for,
    check_enterprise,
    comparison_for,
    energy_carbon_for,
    indicators_for,
    intensities_for,
    lineage_for,
    scenario_for,
    tracking_for,
    warnings_for,
)
from carbonpeak.services.submissions import SubmissionError, ingest, review
from carbonpeak.services.tasks import TaskProgressError, report_task_progress, task_board
from carbonpeak.services.telemetry import ingest_readings, meters
from carbonpeak.storage import TelemetryStore

__all__ = ["ErrorBody", "create_app"]

UPLOAD_TYPES = {".xlsx", ".csv", ".json", ".parquet"}
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
PERIOD = r"^\d{4}(-(0[1-9]|1[0-2]))?$"
CODE = r"^[A-Za-z0-9_.-]{1,80}$"
MAX_API_DRAWS = 20_000  # bounds the work one request can ask for
MAX_OFFSET = 2**31 - 1  # databases store 64-bit integers at most; no list is longer than this
A, U, E, V = Role.admin, Role.unit, Role.enterprise, Role.viewer


def _iso_date(value: object) -> object:
    # JSON has no date type: only an ISO 8601 string may become one (not 0, not 1.5e9).
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("expected an ISO 8601 date string, YYYY-MM-DD")
    return date.fromisoformat(value)


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


class ProblemBody(BaseModel):
    location: str
    problem: str
    expected: str | None = None
    found: str | int | float | None = None


class ErrorBody(BaseModel):
    """Every error the API returns has this shape."""

    error: str
    file: str | None = None
    problems: list[ProblemBody] = Field(default_factory=list)


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in (
        (400, "a body that cannot be parsed"),
        (401, "not signed in, or a bad API token"),
        (403, "this role may not do this"),
        (404, "no such thing"),
        (409, "changed by another request at the same time; nothing written"),
        (413, "request body too large"),
        (422, "invalid input"),
        (429, "too many failed logins"),
    )
}


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class IngestBody(BaseModel):
    created: list[tuple[str, str, int]]
    amended: int
    unchanged: int


class Reading(Strict):
    meter: str = Field(min_length=1, max_length=80)
    ts: str = Field(min_length=10, max_length=40, description="ISO 8601 interval start")
    value: float
    unit: str | None = Field(default=None, max_length=20)


class ReadingCounts(BaseModel):
    received: int
    new: int
    duplicates: int
    rejected: int


class Decision(StrEnum):
    accept = "accept"
    return_ = "return"


class ReviewBody(Strict):
    decision: Annotated[Decision, Field(strict=False)]  # JSON carries the enum's string
    note: str | None = Field(default=None, max_length=2000)


class TaskProgressBody(Strict):
    unit: str | None = Field(
        default=None, max_length=120, description="reporting unit; a unit account's own"
    )
    reported_on: IsoDate
    percent_complete: float = Field(ge=0, le=100)
    summary: str = Field(min_length=1, max_length=4000)
    next_milestone: str | None = Field(default=None, max_length=2000)
    milestone_due: IsoDate | None = None


class IndicatorReportBody(Strict):
    year: int = Field(ge=2000, le=2100)
    value: float
    unit: str = Field(min_length=1, max_length=40)
    reporting_unit: str | None = Field(default=None, max_length=120)
    reason: str | None = Field(default=None, max_length=2000)


class NewUser(Strict):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=10, max_length=200)
    role: Annotated[Role, Field(strict=False)]
    display_name: str | None = Field(default=None, max_length=200)
    organisation: str | None = Field(default=None, max_length=120)
    enterprise: str | None = Field(default=None, max_length=80)


class NewToken(Strict):
    client: str = Field(min_length=1, max_length=120)


class ActiveBody(Strict):
    active: bool


class Page(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[dict[str, Any]]


def _problem_response(
    status: int,
    error: str,
    file: str | None = None,
    problems: list[Problem] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = ErrorBody(
        error=error,
        file=file,
        problems=[
            ProblemBody(
                location=p.location,
                problem=p.problem,
                expected=p.expected,
                found=p.found if isinstance(p.found, str | int | float | None) else str(p.found),
            )
            for p in (problems or [])
        ],
    )
    return JSONResponse(status_code=status, content=body.model_dump(), headers=headers)


def _download(make: Callable[[], ReportFile]) -> Response:
    """A rendered report as an attachment; a wrong request is 422, no data 404."""
    try:
        made = make()
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    except KeyError as exc:
        raise HTTPException(404, str(exc).strip('"')) from exc
    return Response(
        made.content,
        media_type=made.media_type,
        headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
    )


REPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    200: {
        "description": "the report",
        "content": {
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                "schema": {"type": "string", "format": "binary"}
            },
        },
    },
}


def create_app(
    engine: Callable[[], Engine],
    store: Callable[[], TelemetryStore],
    plan: Plan | None = None,
) -> FastAPI:
    """The API over the store ``engine()``, the telemetry store ``store()`` and ``plan``."""
    the_plan = plan or load_plan().plan
    security = Security(engine)
    anyone = security.optional()
    signed_in = Depends(security.require())
    app = FastAPI(
        title="carbonpeak 碳达峰管理平台 API",
        version=__version__,
        description="The carbon-peak management platform's API. Sign in with a per-client "
        "token (Authorization: Bearer cpk_…). Data marked synthetic are demo data.",
        responses=ERRORS,
    )
    app.state.security = security
    app.state.plan = the_plan
    app.state.engine = engine
    app.state.store = store
    install(app, _problem_response)

    def snap() -> dashboard.Snapshot:
        return dashboard.snapshot(engine(), the_plan)

    @app.exception_handler(DataFileError)
    async def _data_file_error(_request: Request, exc: DataFileError) -> JSONResponse:
        return _problem_response(422, "invalid file", exc.file, exc.problems)

    @app.exception_handler(Forbidden)
    async def _forbidden(_request: Request, exc: Forbidden) -> JSONResponse:
        return _problem_response(403, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = dict(exc.headers) if exc.headers else None
        return _problem_response(exc.status_code, str(exc.detail), headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            Problem(
                location=" → ".join(str(part) for part in error.get("loc", ())),
                problem=str(error.get("msg", "invalid")),
                expected=str(error.get("type", "")) or None,
                found=error["input"] if isinstance(error.get("input"), str | int | float) else None,
            )
            for error in exc.errors()
        ]
        return _problem_response(422, "invalid input", problems=problems)

    # -- the plan: public ---------------------------------------------------------------------

    @app.get("/api/v1/health", tags=["meta"])
    def health() -> dict[str, str]:
        """服务状态 Liveness and the version."""
        return {"status": "ok", "version": __version__}

    @app.get("/api/v1/me", tags=["meta"])
    def me(principal: Annotated[Principal, signed_in]) -> dict[str, Any]:
        """当前用户 Who the caller is and what role it has."""
        return {
            "username": principal.username,
            "display_name": principal.display_name,
            "role": principal.role.value,
            "organisation": principal.organisation,
            "enterprise": principal.enterprise,
            "via": principal.via,
        }

    @app.get("/api/v1/plan", tags=["plan"])
    def plan_summary(_: Annotated[Principal | None, Depends(anyone)]) -> dict[str, Any]:
        """实施方案 The plan at a glance (public)."""
        meta = the_plan.plan
        return {
            "id": meta.id,
            "version": the_plan.version,
            "title_zh": meta.title_zh,
            "issued": meta.issued.isoformat(),
            "base_year": meta.base_year,
            "targets": len(the_plan.targets),
            "goals": len(the_plan.goals),
            "actions": len(the_plan.actions),
            "tasks": len(the_plan.tasks()),
            "organisations": len(the_plan.organisations),
        }

    @app.get("/api/v1/plan/targets", tags=["plan"])
    def plan_targets(
        _: Annotated[Principal | None, Depends(anyone)],
        year: Annotated[int | None, Query(ge=2020, le=2060)] = None,
    ) -> list[dict[str, Any]]:
        """量化目标 The plan's quantitative targets, each with its clause and words (public)."""
        return [
            t.model_dump(mode="json") for t in the_plan.targets if year is None or t.year == year
        ]

    @app.get("/api/v1/plan/tasks", tags=["plan"])
    def plan_tasks(
        _: Annotated[Principal | None, Depends(anyone)],
        unit: Annotated[str | None, Query(max_length=120)] = None,
    ) -> list[dict[str, Any]]:
        """重点任务 The plan's tasks with their responsible units (public)."""
        try:
            selected = [(a, t) for a, t, _ in the_plan.tasks_of(unit)] if unit else the_plan.tasks()
        except KeyError as exc:
            raise HTTPException(404, f"no organisation {unit!r} in the plan") from exc
        return [
            {
                "task": t.id,
                "action": a.id,
                "title_zh": t.title_zh,
                "title_en": t.title_en,
                "responsible_units": list(t.responsible_units),
            }
            for a, t in selected
        ]

    @app.get("/api/v1/organisations", tags=["plan"])
    def organisations(_: Annotated[Principal, signed_in]) -> list[dict[str, Any]]:
        """责任单位 Departments and companies the plan names."""
        return [o.model_dump(mode="json") for o in the_plan.organisations]

    # -- published base data ------------------------------------------------------------------

    @app.get("/api/v1/tracking", tags=["tracking"])
    def tracking(principal: Annotated[Principal, signed_in]) -> dict[str, Any]:
        """目标跟踪 Every target with status, current value, trajectory and clause; every goal.
        Confidential values are marked (docs/web.md)."""
        return tracking_for(principal, snap())

    @app.get("/api/v1/indicators", tags=["indicators"])
    def indicators(
        principal: Annotated[Principal, signed_in],
        indicator: Annotated[str | None, Query(max_length=80)] = None,
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    ) -> list[dict[str, Any]]:
        """指标 Indicator values per year, each with its source; confidential ones marked."""
        return indicators_for(principal, snap(), indicator, year)

    @app.get("/api/v1/intensities", tags=["indicators"])
    def intensities(principal: Annotated[Principal, signed_in]) -> list[dict[str, Any]]:
        """强度 Energy and CO2 intensity of GDP per year, and the change against 2020."""
        return intensities_for(principal, snap())

    @app.get("/api/v1/accounts", tags=["accounts"])
    def accounts(
        principal: Annotated[Principal, signed_in],
        level: Annotated[Literal["division", "sector", "enterprise"], Query()] = "division",
        frequency: Annotated[Literal["year", "month"], Query()] = "year",
        period: Annotated[str | None, Query(pattern=PERIOD)] = None,
    ) -> list[dict[str, Any]]:
        """能源与碳排放核算 Energy and CO2 by division, sector or enterprise, per year or month.
        Enterprise level: the office sees all, an enterprise its own rows, others none.
        Confidential cells are marked (docs/web.md)."""
        return energy_carbon_for(principal, snap(), level, frequency, period)

    @app.get("/api/v1/lineage", tags=["accounts"])
    def lineage(
        principal: Annotated[Principal, signed_in],
        indicator: Annotated[str | None, Query(max_length=80)] = None,
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
        enterprise: Annotated[str | None, Query(pattern=CODE)] = None,
        period: Annotated[str | None, Query(pattern=PERIOD)] = None,
        level: Annotated[Literal["division", "sector"] | None, Query()] = None,
        key: Annotated[str | None, Query(pattern=r"^\d{2,4}$")] = None,
    ) -> dict[str, Any]:
        """数据溯源 Where a number comes from: inputs, method, factor set and version."""
        try:
            return lineage_for(
                principal,
                snap(),
                indicator=indicator,
                year=year,
                enterprise=enterprise,
                period=period,
                level=level,
                key=key,
            )
        except KeyError as exc:
            raise HTTPException(404, str(exc).strip('"')) from exc

    # -- enterprises ----------------------------------------------------------------------------

    def enterprise_or_404(code: str) -> dict[str, Any]:
        found = snap().enterprises.get(code)
        if found is None:
            raise HTTPException(404, f"no enterprise {code!r}")
        return found

    @app.get("/api/v1/enterprises", tags=["enterprises"], response_model=Page)
    def enterprise_list(
        principal: Annotated[Principal, Depends(security.require(A, E))],
        sector: Annotated[str | None, Query(pattern=r"^\d{2,4}$")] = None,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> Page:
        """企业 The enterprise registry (an enterprise account sees itself)."""
        rows = [
            e
            for e in snap().enterprises.values()
            if (sector is None or e["sector"].startswith(sector))
            and (principal.role is A or e["code"] == principal.enterprise)
        ]
        return Page(
            total=len(rows), offset=offset, limit=limit, items=rows[offset : offset + limit]
        )

    CodePath = Annotated[str, PathParam(pattern=CODE)]

    @app.get("/api/v1/enterprises/{code}", tags=["enterprises"])
    def enterprise_detail(
        principal: Annotated[Principal, Depends(security.require(A, E))], code: CodePath
    ) -> dict[str, Any]:
        """企业档案 One enterprise's registry entry and latest accounts."""
        check_enterprise(principal, code)
        found = enterprise_or_404(code)
        yearly = dashboard.enterprise_accounts(snap(), code, "year")
        return {**found, "accounts": yearly}

    @app.get("/api/v1/enterprises/{code}/accounts", tags=["enterprises"])
    def enterprise_accounts(
        principal: Annotated[Principal, Depends(security.require(A, E))],
        code: CodePath,
        frequency: Annotated[Literal["year", "month"], Query()] = "year",
    ) -> list[dict[str, Any]]:
        """企业核算 One enterprise's energy and CO2 per year or month."""
        check_enterprise(principal, code)
        enterprise_or_404(code)
        return dashboard.enterprise_accounts(snap(), code, frequency)

    @app.get("/api/v1/enterprises/{code}/benchmark", tags=["enterprises"])
    def enterprise_benchmark(
        principal: Annotated[Principal, Depends(security.require(A, E))], code: CodePath
    ) -> list[dict[str, Any]]:
        """能效对标 Unit-product energy against the benchmark and limit levels."""
        check_enterprise(principal, code)
        enterprise_or_404(code)
        return dashboard.enterprise_benchmark(snap(), code)

    @app.get("/api/v1/enterprises/{code}/quality", tags=["enterprises"])
    def enterprise_quality(
        principal: Annotated[Principal, Depends(security.require(A, E))],
        code: CodePath,
        month: Annotated[str | None, Query(pattern=MONTH)] = None,
    ) -> list[dict[str, Any]]:
        """数据质量 The enterprise's online-monitoring data quality per month."""
        check_enterprise(principal, code)
        enterprise_or_404(code)
        return _quality(code, month)

    @app.get(
        "/api/v1/enterprises/{code}/report",
        tags=["reports"],
        responses=REPORT_RESPONSES,
        response_class=Response,
    )
    def enterprise_annual_report(
        principal: Annotated[Principal, Depends(security.require(A, E))],
        code: CodePath,
        year: Annotated[int, Query(ge=2020, le=2100)],
        format: Annotated[Literal["pdf", "xlsx"], Query()] = "pdf",
    ) -> Response:
        """企业年度报告 An enterprise's annual energy and carbon report, PDF or XLSX."""
        check_enterprise(principal, code)
        enterprise_or_404(code)
        return _download(
            lambda: report_file(
                engine(), the_plan, format, year=year, enterprise=code, current=snap()
            )
        )

    # -- submissions and telemetry -------------------------------------------------------------

    @app.get("/api/v1/submissions", tags=["submissions"], response_model=Page)
    def submissions(
        principal: Annotated[Principal, Depends(security.require(A, E))],
        enterprise: Annotated[str | None, Query(pattern=CODE)] = None,
        state: Annotated[
            Literal["draft", "submitted", "accepted", "returned"] | None, Query()
        ] = None,
        period: Annotated[str | None, Query(pattern=PERIOD)] = None,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> Page:
        """报送记录 Monthly reports and their versions, newest first."""
        if principal.role is E:
            if enterprise is not None:
                check_enterprise(principal, enterprise)
            enterprise = principal.enterprise
        total, items = dashboard.submission_list(engine(), enterprise, state, period, offset, limit)
        return Page(total=total, offset=offset, limit=limit, items=items)

    @app.post(
        "/api/v1/submissions",
        response_model=IngestBody,
        status_code=201,
        tags=["submissions"],
        responses={415: {"model": ErrorBody, "description": "unsupported file type"}},
    )
    def upload_report(
        principal: Annotated[Principal, Depends(security.require(A, E))],
        file: Annotated[UploadFile, File(description="Report: .xlsx template, .csv, .json")],
        reason: Annotated[str | None, Query(max_length=500)] = None,
        draft: Annotated[bool, Query()] = False,
    ) -> IngestBody:
        """报送 Upload a monthly report; validated whole, nothing stored if anything is wrong."""
        name = Path(file.filename or "upload").name
        suffix = Path(name).suffix.lower()
        if suffix not in UPLOAD_TYPES:
            raise HTTPException(
                415, f"unsupported file type {suffix!r}; expected {', '.join(sorted(UPLOAD_TYPES))}"
            )
        with tempfile.TemporaryDirectory() as folder:
            raw = read_upload(file, Path(folder), app)
        if principal.role is E and "enterprise" in raw.columns:
            others = sorted(set(raw["enterprise"].astype(str)) - {principal.enterprise or ""})
            if others:
                raise HTTPException(
                    403, f"an enterprise account reports only for itself; found {others}"
                )
        result = ingest(
            engine(), raw, name, principal.actor, reason, "draft" if draft else "submitted"
        )
        return IngestBody(
            created=result.created, amended=result.amended, unchanged=result.unchanged
        )

    @app.post("/api/v1/submissions/{submission_id}/review", tags=["submissions"])
    def review_submission(
        principal: Annotated[Principal, Depends(security.require(A))],
        submission_id: Annotated[int, PathParam(ge=1, le=2**31 - 1)],
        body: ReviewBody,
    ) -> dict[str, Any]:
        """审核 The office accepts a submitted report or returns it with a note."""
        try:
            row = review(
                engine(),
                submission_id,
                body.decision is Decision.accept,
                principal.actor,
                body.note,
            )
        except SubmissionError as exc:
            status = 404 if str(exc).startswith("no submission") else 422
            raise HTTPException(status, str(exc)) from exc
        return {"id": row.id, "state": row.state, "period": row.period}

    @app.post("/api/v1/telemetry", response_model=ReadingCounts, tags=["telemetry"])
    def post_readings(
        principal: Annotated[Principal, Depends(security.require(A, E))],
        readings: list[Reading],
    ) -> ReadingCounts:
        """在线监测 A batch of meter readings; duplicates ignored, bad records kept apart. An
        enterprise gateway may send only its own meters' readings."""
        registry = meters(engine())
        if principal.role is E:
            registry = {k: m for k, m in registry.items() if m.enterprise == principal.enterprise}
        records = [r.model_dump(exclude_none=True) for r in readings]
        return ReadingCounts(**ingest_readings(store(), registry, records))

    def _quality(enterprise: str | None, month: str | None) -> list[dict[str, Any]]:
        return dashboard.quality(engine(), store(), enterprise, month)

    @app.get("/api/v1/telemetry/quality", tags=["telemetry"])
    def get_quality(
        principal: Annotated[Principal, Depends(security.require(A, E))],
        enterprise: Annotated[str | None, Query(pattern=CODE)] = None,
        month: Annotated[str | None, Query(pattern=MONTH)] = None,
    ) -> list[dict[str, Any]]:
        """数据质量 Monitoring data quality per enterprise and month."""
        if principal.role is E:
            if enterprise is not None:
                check_enterprise(principal, enterprise)
            enterprise = principal.enterprise
        return _quality(enterprise, month)

    # -- warnings, tasks, indicators reported, assessment ---------------------------------------

    def same_unit(name: str) -> str | None:
        """The organisation id a name or id stands for (None when the plan has none)."""
        try:
            return the_plan.organisation(name).id
        except KeyError:
            return None

    @app.get("/api/v1/warnings", tags=["tracking"])
    def warnings(
        principal: Annotated[Principal, Depends(security.require(A, U, E))],
        year: Annotated[int | None, Query(ge=2020, le=2100)] = None,
    ) -> list[dict[str, Any]]:
        """预警 Budget forecasts: the office sees all, an enterprise its own, a unit those sent to
        it."""
        return warnings_for(principal, engine(), the_plan, snap(), year)

    @app.get("/api/v1/tasks", tags=["tasks"])
    def tasks(
        _: Annotated[Principal, signed_in],
        unit: Annotated[str | None, Query(max_length=120)] = None,
    ) -> list[dict[str, Any]]:
        """任务看板 Every task's latest progress; overdue and stalled flagged."""
        try:
            return task_board(engine(), the_plan, date.today(), unit)
        except KeyError as exc:
            raise HTTPException(404, f"no organisation {unit!r} in the plan") from exc

    @app.post("/api/v1/tasks/{task}/progress", status_code=201, tags=["tasks"])
    def task_progress(
        principal: Annotated[Principal, Depends(security.require(A, U))],
        task: Annotated[str, PathParam(min_length=1, max_length=20)],
        body: TaskProgressBody,
    ) -> dict[str, Any]:
        """任务进展 A responsible unit reports progress on one of its tasks."""
        unit = principal.organisation if principal.role is U else body.unit
        if principal.role is U and body.unit is not None and same_unit(body.unit) != unit:
            raise HTTPException(403, "a unit account reports only for its own unit")
        if unit is None:
            raise HTTPException(422, "unit: the office must name the reporting unit")
        try:
            the_plan.task(task)
        except KeyError as exc:
            raise HTTPException(404, f"no task {task!r} in the plan") from exc
        try:
            report_task_progress(
                engine(),
                the_plan,
                task,
                unit,
                body.reported_on,
                body.percent_complete,
                body.summary,
                principal.actor,
                body.next_milestone,
                body.milestone_due,
            )
        except TaskProgressError as exc:
            raise HTTPException(403 if principal.role is U else 422, str(exc)) from exc
        return {"task": task, "unit": unit, "percent_complete": body.percent_complete}

    @app.post("/api/v1/indicators/{indicator}/reports", status_code=201, tags=["indicators"])
    def indicator_report(
        principal: Annotated[Principal, Depends(security.require(A, U))],
        indicator: Annotated[str, PathParam(pattern=r"^[a-z0-9_]{1,80}$")],
        body: IndicatorReportBody,
    ) -> dict[str, Any]:
        """指标报送 A responsible unit reports a value of an indicator it owns."""
        unit = principal.organisation if principal.role is U else body.reporting_unit
        if (
            principal.role is U
            and body.reporting_unit is not None
            and same_unit(body.reporting_unit) != unit
        ):
            raise HTTPException(403, "a unit account reports only for its own unit")
        if unit is None:
            raise HTTPException(422, "reporting_unit: the office must name the reporting unit")
        try:
            row = report_indicator(
                engine(),
                the_plan,
                indicator,
                body.year,
                body.value,
                body.unit,
                unit,
                principal.actor,
                reason=body.reason,
            )
        except IndicatorReportError as exc:
            message = str(exc)
            status = 403 if principal.role is U and "responsible" in message else 422
            raise HTTPException(status, message) from exc
        except KeyError as exc:
            raise HTTPException(404, str(exc).strip('"')) from exc
        return {"id": row.id, "indicator": row.indicator, "year": row.year, "value": row.value}

    @app.get("/api/v1/assessment", tags=["assessment"])
    def assessment_view(
        principal: Annotated[Principal, Depends(security.require(A, U))],
        year: Annotated[int, Query(ge=2020, le=2100)],
    ) -> dict[str, Any]:
        """考核 Annual scorecards per lead unit; a unit sees its own scorecard."""
        return assessment_for(principal, engine(), the_plan, snap(), year)

    # -- scenarios -----------------------------------------------------------------------------

    Draws = Annotated[int, Query(ge=1, le=MAX_API_DRAWS)]
    Seed = Annotated[int, Query(ge=0, le=2**32 - 1)]

    @app.get("/api/v1/scenarios", tags=["scenarios"])
    def scenario_list(_: Annotated[Principal, signed_in]) -> list[dict[str, Any]]:
        """情景 The scenario files: id, parent, version, titles, horizon."""
        return [
            {
                "id": sc.id,
                "parent": sc.parent,
                "version": sc.version,
                "title_zh": sc.title_zh,
                "title_en": sc.title_en,
                "horizon": sc.horizon,
                "source": sc.source,
            }
            for sc in (load_scenario(name) for name in scenario_ids())
        ]

    @app.get("/api/v1/scenarios/compare", tags=["scenarios"])
    def scenario_compare(
        principal: Annotated[Principal, signed_in],
        ids: Annotated[list[str], Query(min_length=2, max_length=6)],
        draws: Draws = 2000,
        seed: Seed = 20231101,
    ) -> dict[str, Any]:
        """情景比较 Scenarios side by side, with the diff of their assumptions."""
        unknown = sorted(set(ids) - set(scenario_ids()))
        if unknown:
            raise HTTPException(404, f"no scenario {', '.join(unknown)}")
        try:
            compared = compare_scenarios(engine(), the_plan, ids, draws, seed)
        except KeyError as exc:
            raise HTTPException(404, str(exc).strip('"')) from exc
        return comparison_for(principal, snap(), compared)

    @app.get("/api/v1/scenarios/{scenario_id}", tags=["scenarios"])
    def scenario_run(
        principal: Annotated[Principal, signed_in],
        scenario_id: Annotated[str, PathParam(pattern=r"^[a-z0-9_]{1,80}$")],
        draws: Draws = 2000,
        seed: Seed = 20231101,
    ) -> dict[str, Any]:
        """情景模拟 A scenario projected from the accounted base year: peak year and value,
        P(peak ≤ 2030), the peak-year distribution, target probabilities and the fan."""
        if scenario_id not in scenario_ids():
            raise HTTPException(404, f"no scenario {scenario_id!r}")
        try:
            found = scenario_summary_for(engine(), the_plan, scenario_id, draws, seed)
        except KeyError as exc:
            raise HTTPException(404, str(exc).strip('"')) from exc
        return scenario_for(principal, snap(), found)

    # -- reports ---------------------------------------------------------------------------

    @app.get(
        "/api/v1/reports/base",
        tags=["reports"],
        responses=REPORT_RESPONSES,
        response_class=Response,
    )
    def base_report_download(
        _: Annotated[Principal, Depends(security.require(A))],
        year: Annotated[int | None, Query(ge=2020, le=2100)] = None,
        month: Annotated[str | None, Query(pattern=MONTH)] = None,
        format: Annotated[Literal["pdf", "xlsx"], Query()] = "pdf",
        public: Annotated[bool, Query()] = False,
    ) -> Response:
        """基地报告 The base's monthly (``month``) or annual (``year``) report, PDF or XLSX: the
        office's edition marks the confidential cells, the ``public`` one withholds them."""
        return _download(
            lambda: report_file(
                engine(), the_plan, format, year=year, month=month, current=snap(), public=public
            )
        )

    # -- accounts and tokens: the office -------------------------------------------------------

    admin_only = Depends(security.require(A))

    @app.get("/api/v1/users", tags=["users"])
    def user_list(_: Annotated[Principal, admin_only]) -> list[dict[str, Any]]:
        """用户 Every account, without password hashes."""
        return users(engine())

    @app.post("/api/v1/users", status_code=201, tags=["users"])
    def user_add(principal: Annotated[Principal, admin_only], body: NewUser) -> dict[str, Any]:
        """新增用户 Create an account."""
        try:
            made = add_user(
                engine(),
                body.username,
                body.password,
                body.role,
                display_name=body.display_name,
                organisation=body.organisation,
                enterprise=body.enterprise,
                actor=principal.actor,
            )
        except AccountError as exc:
            raise HTTPException(422, str(exc)) from exc
        return {"username": made.username, "role": made.role.value}

    @app.post("/api/v1/users/{username}/active", tags=["users"])
    def user_active(
        principal: Annotated[Principal, admin_only],
        username: Annotated[str, PathParam(max_length=80)],
        body: ActiveBody,
    ) -> dict[str, Any]:
        """停用/启用 Deactivate or reactivate an account."""
        try:
            set_active(engine(), username, body.active, principal.actor)
        except AccountError as exc:
            raise HTTPException(404, str(exc)) from exc
        return {"username": username, "active": body.active}

    @app.post("/api/v1/users/{username}/unlock", tags=["users"])
    def user_unlock(
        principal: Annotated[Principal, admin_only],
        username: Annotated[str, PathParam(max_length=80)],
    ) -> dict[str, Any]:
        """解除登录暂停 Lift every sign-in pause of an account."""
        try:
            paused = unlock(engine(), username, principal.actor)
        except KeyError as exc:
            raise HTTPException(404, f"username: no user {username!r}") from exc
        return {"username": username, "paused_addresses": paused}

    @app.post("/api/v1/users/{username}/tokens", status_code=201, tags=["users"])
    def token_add(
        principal: Annotated[Principal, admin_only],
        username: Annotated[str, PathParam(max_length=80)],
        body: NewToken,
    ) -> dict[str, str]:
        """API 令牌 A new per-client token; shown once."""
        try:
            token = create_token(engine(), username, body.client, principal.actor)
        except AccountError as exc:
            raise HTTPException(404, str(exc)) from exc
        return {"username": username, "client": body.client, "token": token}

    @app.delete("/api/v1/tokens/{token_id}", tags=["users"])
    def token_revoke(
        principal: Annotated[Principal, admin_only],
        token_id: Annotated[int, PathParam(ge=1, le=2**31 - 1)],
    ) -> dict[str, Any]:
        """吊销令牌 Revoke a token."""
        try:
            revoke_token(engine(), token_id, principal.actor)
        except AccountError as exc:
            raise HTTPException(404, str(exc)) from exc
        return {"id": token_id, "revoked": True}

    return app
