"""Major projects (重大项目库): the library, stages, the energy and carbon review with its report,
acceptance, the budget pool, the two-high register and the retrofit plans.

The office and the responsible units see every project (the office reviews, units carry them
forward); an enterprise sees the projects it owns; viewers see none (enterprise data)."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query
from fastapi import Path as PathParam
from fastapi.responses import Response

from carbonpeak.api.deps import A, E, U, WithSources, require
from carbonpeak.api.errors import ERRORS
from carbonpeak.errors import Forbidden, InvalidInput
from carbonpeak.messages import message
from carbonpeak.projects import parse_project
from carbonpeak.services.accounts import Principal
from carbonpeak.services.projects import add_project, list_projects, project_detail, set_stage
from carbonpeak.services.projects_pool import budget_years, ledger, pool_years
from carbonpeak.services.projects_retrofit import retrofits, two_high_register
from carbonpeak.services.review import acceptance, record_review, review
from carbonpeak.services.review_report import review_report_file

router = APIRouter(prefix="/api/v1", responses=ERRORS, tags=["projects"])
Office = Annotated[Principal, Depends(require(A))]
OfficeOrUnit = Annotated[Principal, Depends(require(A, U))]
Involved = Annotated[Principal, Depends(require(A, U, E))]
ProjectId = Annotated[str, PathParam(pattern=r"^[a-z0-9_]{1,80}$")]
Draws = Annotated[int, Query(ge=1, le=20_000)]


def _visible(principal: Principal, owner: str) -> bool:
    return principal.role is not E or principal.enterprise == owner


@router.get("/projects")
def projects_list(principal: Involved, src: WithSources) -> list[dict[str, Any]]:
    """项目库 The library: one row per project with its stage and latest recommendation."""
    return [p for p in list_projects(src.engine()) if _visible(principal, p["owner"])]


@router.post("/projects", status_code=201)
def projects_add(
    principal: Office, src: WithSources, body: Annotated[dict[str, Any], Body()]
) -> dict[str, str]:
    """入库 Add a project (the project file's fields, as JSON)."""
    project = parse_project(body, "request body")
    add_project(src.engine(), project, principal.username)
    return {"id": project.id, "stage": project.stage.value}


@router.post("/projects/review")
def projects_review(
    principal: Office,
    src: WithSources,
    body: Annotated[dict[str, Any], Body()],
    draws: Draws = 2000,
    record: bool = False,
    format: Annotated[str, Query(pattern="^(json|pdf)$")] = "json",
) -> Any:
    """节能审查 Review a project: figures, benchmark, budgets, targets, peak; ``format=pdf``
    returns the review report."""
    project = parse_project(body, "request body")
    result = review(src.engine(), src.plan, project, draws=draws)
    if record:
        record_review(src.engine(), result, principal.username)
    if format == "pdf":
        return Response(
            review_report_file(project, result, engine=src.engine()), media_type="application/pdf"
        )
    return result.as_dict()


@router.get("/projects/{project_id}")
def projects_detail(principal: Involved, src: WithSources, project_id: ProjectId) -> dict[str, Any]:
    """项目 One project: its file, stage history, work plans and reviews."""
    detail = project_detail(src.engine(), project_id)
    project = detail.pop("project")
    if not _visible(principal, project.owner):
        raise Forbidden(message("error.projects.own_only"))
    return {"declaration": project.model_dump(mode="json"), **detail}


@router.post("/projects/{project_id}/stage")
def projects_stage(
    principal: OfficeOrUnit,
    src: WithSources,
    project_id: ProjectId,
    stage: Annotated[str, Body(embed=True)],
    on: Annotated[date, Body(embed=True)],
    note: Annotated[str, Body(embed=True)] = "",
) -> dict[str, str]:
    """阶段 Record a stage reached."""
    set_stage(src.engine(), project_id, stage, on, principal.username, note)
    return {"id": project_id, "stage": stage}


@router.get("/projects/{project_id}/acceptance")
def projects_acceptance(_: OfficeOrUnit, src: WithSources, project_id: ProjectId) -> dict[str, Any]:
    """验收 The accounted months against the approved figure, flagged beyond the tolerance."""
    return acceptance(src.engine(), src.plan, project_id).as_dict()


@router.get("/budget-pool")
def budget_pool(
    _: OfficeOrUnit, src: WithSources, year: Annotated[int | None, Query(ge=2000, le=2100)] = None
) -> dict[str, Any]:
    """预算池 The pool per budget year and kind (headroom), and its ledger."""
    years = budget_years(src.engine())
    if not years:
        raise InvalidInput(message("error.projects.no_budgets"))
    first = year or years[0]
    return {
        "pools": [p.as_dict() for p in pool_years(src.engine(), src.plan, first, src.snapshot())],
        "ledger": [e.as_dict() for e in ledger(src.engine(), year)],
    }


# Per facility, with its unit energy: a confidential cell where one enterprise makes the figure,
# so the office's alone (docs/confidentiality.md).
@router.get("/two-high")
def two_high(_: Office, src: WithSources) -> list[dict[str, Any]]:
    """两高清单 Each two-high facility: position against the levels, disposal, deadline."""
    return two_high_register(src.engine(), src.plan, date.today())


@router.get("/retrofits")
def retrofit_plans(_: Office, src: WithSources) -> list[dict[str, Any]]:
    """一企一策 Retrofit plans, with status (overdue flagged) and saving."""
    return retrofits(src.engine(), date.today())
