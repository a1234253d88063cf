"""What the office and the units record about projects after the review: progress on annual
work plans, the office's opinion on a review (approving draws on the budget pool), closures and
finished retrofits (both release space into the pool)."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends
from fastapi import Path as PathParam

from carbonpeak.api.deps import A, U, WithSources, require
from carbonpeak.api.errors import ERRORS
from carbonpeak.services.accounts import Principal
from carbonpeak.services.projects import report_work_progress
from carbonpeak.services.projects_pool import release_closure
from carbonpeak.services.projects_retrofit import complete_retrofit
from carbonpeak.services.review import record_opinion

router = APIRouter(prefix="/api/v1", responses=ERRORS, tags=["projects"])
Office = Annotated[Principal, Depends(require(A))]
OfficeOrUnit = Annotated[Principal, Depends(require(A, U))]
Id = Annotated[int, PathParam(ge=1)]
Document = Annotated[str, Body(embed=True, min_length=1, max_length=200)]


@router.post("/projects/work-plans/{plan_id}/progress")
def work_plan_progress(
    principal: OfficeOrUnit,
    src: WithSources,
    plan_id: Id,
    percent: Annotated[float, Body(embed=True, ge=0, le=100)],
    on: Annotated[date, Body(embed=True)],
) -> dict[str, Any]:
    """年度计划进展 Percent complete of a project's annual work plan."""
    report_work_progress(src.engine(), plan_id, percent, on, principal.username)
    return {"work_plan": plan_id, "percent": percent, "on": on}


@router.post("/projects/reviews/{review_id}/opinion")
def review_opinion(
    principal: Office,
    src: WithSources,
    review_id: Id,
    approve: Annotated[bool, Body(embed=True)],
    opinion: Annotated[str, Body(embed=True, min_length=1, max_length=2000)],
    document: Document,
) -> dict[str, Any]:
    """审查意见 The office's opinion; approving draws the project from the budget pool."""
    record_opinion(src.engine(), review_id, approve, opinion, document, principal.username)
    return {"review": review_id, "approve": approve, "document": document}


@router.post("/budget-pool/closures")
def pool_closure(
    principal: Office,
    src: WithSources,
    enterprise: Annotated[str, Body(embed=True, pattern=r"^[A-Za-z0-9_]{1,80}$")],
    facility: Annotated[str, Body(embed=True, pattern=r"^[A-Za-z0-9_]{1,80}$")],
    closed_on: Annotated[date, Body(embed=True)],
    document: Document,
) -> dict[str, Any]:
    """关闭退出 A facility closed: its accounted use is released into the pool."""
    return release_closure(
        src.engine(), src.plan, enterprise, facility, closed_on, document, principal.username
    )


@router.post("/retrofits/{plan_id}/done")
def retrofit_done(
    principal: Office,
    src: WithSources,
    plan_id: Id,
    done_on: Annotated[date, Body(embed=True)],
    document: Document,
) -> dict[str, Any]:
    """一企一策完成 A retrofit done: its energy saving is released into the pool."""
    saved = complete_retrofit(src.engine(), plan_id, done_on, document, principal.username)
    return {"retrofit": plan_id, "saved_tce_per_year": saved, "document": document}
