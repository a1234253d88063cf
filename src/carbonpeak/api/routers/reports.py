"""Report downloads: the base's monthly and annual reports (the office's). An enterprise's
annual report is under its enterprise (``routers/enterprises.py``)."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response

from carbonpeak.api.deps import MONTH, A, WithSources, require
from carbonpeak.api.errors import ERRORS
from carbonpeak.services.accounts import Principal
from carbonpeak.services.reports import ReportFile, report_file

router = APIRouter(prefix="/api/v1", responses=ERRORS)

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


def download(made: ReportFile) -> Response:
    """A rendered report as an attachment (a wrong request is InvalidInput, no data NotFound,
    raised by ``report_file``)."""
    return Response(
        made.content,
        media_type=made.media_type,
        headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
    )


@router.get(
    "/reports/base",
    tags=["reports"],
    responses=REPORT_RESPONSES,
    response_class=Response,
)
def base_report_download(
    _: Annotated[Principal, Depends(require(A))],
    src: WithSources,
    year: Annotated[int | None, Query(ge=2020, le=2100)] = None,
    month: Annotated[str | None, Query(pattern=MONTH)] = None,
    format: Annotated[Literal["pdf", "xlsx"], Query()] = "pdf",
    public: Annotated[bool, Query()] = False,
) -> Response:
    """基地报告 The base's monthly (``month``) or annual (``year``) report, PDF or XLSX: the
    office's edition marks the confidential cells, the ``public`` one withholds them."""
    return download(
        report_file(
            src.engine(),
            src.plan,
            format,
            year=year,
            month=month,
            current=src.snapshot(),
            public=public,
        )
    )
