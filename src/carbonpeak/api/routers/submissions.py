"""Monthly reports: the list, the upload (validated whole, nothing stored if anything is wrong)
and the office's review."""

from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi import Path as PathParam

from carbonpeak.api.deps import CODE, PERIOD, A, E, Limit, Offset, WithSources, require
from carbonpeak.api.errors import ERRORS
from carbonpeak.api.hardening import limits
from carbonpeak.api.schemas import Decision, ErrorBody, IngestBody, Page, ReviewBody
from carbonpeak.services import dashboard
from carbonpeak.services.accounts import Principal
from carbonpeak.services.scoped import check_enterprise
from carbonpeak.services.submissions import ingest, review
from carbonpeak.services.uploads import check_own_enterprise, read_report_upload

router = APIRouter(prefix="/api/v1", responses=ERRORS)
OfficeOrEnterprise = Annotated[Principal, Depends(require(A, E))]


@router.get("/submissions", tags=["submissions"], response_model=Page)
def submissions(
    principal: OfficeOrEnterprise,
    src: WithSources,
    enterprise: Annotated[str | None, Query(pattern=CODE)] = None,
    state: Annotated[Literal["draft", "submitted", "accepted", "returned"] | None, Query()] = None,
    period: Annotated[str | None, Query(pattern=PERIOD)] = None,
    offset: Offset = 0,
    limit: Limit = 50,
) -> Page:
    """报送记录 Monthly reports and their versions, newest first."""
    if principal.role is E:
        if enterprise is not None:
            check_enterprise(principal, enterprise)
        enterprise = principal.enterprise
    total, items = dashboard.submission_list(src.engine(), enterprise, state, period, offset, limit)
    return Page(total=total, offset=offset, limit=limit, items=items)


@router.post(
    "/submissions",
    response_model=IngestBody,
    status_code=201,
    tags=["submissions"],
    responses={415: {"model": ErrorBody, "description": "unsupported file type"}},
)
def upload_report(
    principal: OfficeOrEnterprise,
    src: WithSources,
    request: Request,
    file: Annotated[UploadFile, File(description="Report: .xlsx template, .csv, .json")],
    reason: Annotated[str | None, Query(max_length=500)] = None,
    draft: Annotated[bool, Query()] = False,
) -> IngestBody:
    """报送 Upload a monthly report; validated whole, nothing stored if anything is wrong."""
    name = Path(file.filename or "upload").name
    raw = read_report_upload(file.file, name, limits(request.app))
    if principal.role is E:
        check_own_enterprise(raw, principal.enterprise)
    result = ingest(
        src.engine(),
        raw,
        name,
        principal.actor,
        reason,
        "draft" if draft else "submitted",
    )
    return IngestBody(created=result.created, amended=result.amended, unchanged=result.unchanged)


@router.post("/submissions/{submission_id}/review", tags=["submissions"])
def review_submission(
    principal: Annotated[Principal, Depends(require(A))],
    src: WithSources,
    submission_id: Annotated[int, PathParam(ge=1, le=2**31 - 1)],
    body: ReviewBody,
) -> dict[str, Any]:
    """审核 The office accepts a submitted report or returns it with a note."""
    row = review(
        src.engine(), submission_id, body.decision is Decision.accept, principal.actor, body.note
    )
    return {"id": row.id, "state": row.state, "period": row.period}
