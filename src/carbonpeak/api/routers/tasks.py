"""What responsible units do and are judged on: budget warnings, the task board and progress
reports, indicator reports, and the annual assessment."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi import Path as PathParam

from carbonpeak.api.deps import A, E, SignedIn, U, WithSources, require
from carbonpeak.api.errors import ERRORS
from carbonpeak.api.schemas import IndicatorReportBody, TaskProgressBody
from carbonpeak.errors import Forbidden, InvalidInput, NotFound
from carbonpeak.messages import message
from carbonpeak.plan import Plan
from carbonpeak.services.accounts import Principal
from carbonpeak.services.indicator_reports import report_indicator
from carbonpeak.services.scoped import assessment_for, warnings_for
from carbonpeak.services.tasks import report_task_progress, task_board

router = APIRouter(prefix="/api/v1", responses=ERRORS)
OfficeOrUnit = Annotated[Principal, Depends(require(A, U))]


def reporting_unit(plan: Plan, principal: Principal, named: str | None, field: str) -> str:
    """Who reports: a unit account for its own unit only; the office names the unit."""
    unit = principal.organisation if principal.role is U else named
    if principal.role is U and named is not None and _same_unit(plan, named) != unit:
        raise Forbidden(message("error.tasks.own_unit"))
    if unit is None:
        raise InvalidInput(message("error.tasks.name_unit", field=field))
    return unit


def _same_unit(plan: Plan, name: str) -> str | None:
    """The organisation id a name or id stands for (None when the plan has none)."""
    try:
        return plan.organisation(name).id
    except NotFound:
        return None


def office_names_a_unit(principal: Principal, exc: Forbidden) -> InvalidInput | Forbidden:
    """A unit that is not responsible refuses a unit account; for the office, which named that
    unit in the body, it is a wrong input."""
    return exc if principal.role is U else InvalidInput(str(exc))


@router.get("/warnings", tags=["tracking"])
def warnings(
    principal: Annotated[Principal, Depends(require(A, U, E))],
    src: WithSources,
    year: Annotated[int | None, Query(ge=2020, le=2100)] = None,
) -> list[dict[str, Any]]:
    """预警 Budget forecasts: the office sees all, an enterprise its own, a unit those sent to
    it."""
    return warnings_for(principal, src.engine(), src.plan, src.snapshot(), year)


@router.get("/tasks", tags=["tasks"])
def tasks(
    _: SignedIn,
    src: WithSources,
    unit: Annotated[str | None, Query(max_length=120)] = None,
) -> list[dict[str, Any]]:
    """任务看板 Every task's latest progress; overdue and stalled flagged."""
    return task_board(src.engine(), src.plan, date.today(), unit)


@router.post("/tasks/{task}/progress", status_code=201, tags=["tasks"])
def task_progress(
    principal: OfficeOrUnit,
    src: WithSources,
    task: Annotated[str, PathParam(min_length=1, max_length=20)],
    body: TaskProgressBody,
) -> dict[str, Any]:
    """任务进展 A responsible unit reports progress on one of its tasks."""
    unit = reporting_unit(src.plan, principal, body.unit, "unit")
    src.plan.task(task)  # an unknown task is NotFound, before the unit is judged
    try:
        report_task_progress(
            src.engine(),
            src.plan,
            task,
            unit,
            body.reported_on,
            body.percent_complete,
            body.summary,
            principal.actor,
            body.next_milestone,
            body.milestone_due,
        )
    except Forbidden as exc:
        raise office_names_a_unit(principal, exc) from exc
    return {"task": task, "unit": unit, "percent_complete": body.percent_complete}


@router.post("/indicators/{indicator}/reports", status_code=201, tags=["indicators"])
def indicator_report(
    principal: OfficeOrUnit,
    src: WithSources,
    indicator: Annotated[str, PathParam(pattern=r"^[a-z0-9_]{1,80}$")],
    body: IndicatorReportBody,
) -> dict[str, Any]:
    """指标报送 A responsible unit reports a value of an indicator it owns."""
    unit = reporting_unit(src.plan, principal, body.reporting_unit, "reporting_unit")
    try:
        row = report_indicator(
            src.engine(),
            src.plan,
            indicator,
            body.year,
            body.value,
            body.unit,
            unit,
            principal.actor,
            reason=body.reason,
        )
    except Forbidden as exc:
        raise office_names_a_unit(principal, exc) from exc
    return {"id": row.id, "indicator": row.indicator, "year": row.year, "value": row.value}


@router.get("/assessment", tags=["assessment"])
def assessment_view(
    principal: OfficeOrUnit,
    src: WithSources,
    year: Annotated[int, Query(ge=2020, le=2100)],
) -> dict[str, Any]:
    """考核 Annual scorecards per lead unit; a unit sees its own scorecard."""
    return assessment_for(principal, src.engine(), src.plan, src.snapshot(), year)
