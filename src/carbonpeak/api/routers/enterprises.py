"""The enterprise registry and one enterprise's accounts, benchmark position, monitoring
quality and annual report: the office sees every enterprise, an enterprise account its own."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response

from carbonpeak.api.deps import MONTH, A, CodePath, E, Limit, Offset, WithSources, require
from carbonpeak.api.errors import ERRORS
from carbonpeak.api.routers.reports import REPORT_RESPONSES, download
from carbonpeak.api.schemas import Page
from carbonpeak.errors import NotFound
from carbonpeak.messages import message
from carbonpeak.services import dashboard
from carbonpeak.services.accounts import Principal
from carbonpeak.services.reports import report_file
from carbonpeak.services.scoped import check_enterprise

router = APIRouter(prefix="/api/v1", responses=ERRORS)
OfficeOrEnterprise = Annotated[Principal, Depends(require(A, E))]


def enterprise_or_404(snap: dashboard.Snapshot, code: str) -> dict[str, Any]:
    found = snap.enterprises.get(code)
    if found is None:
        raise NotFound(message("error.no_enterprise", code=code))
    return found


@router.get("/enterprises", tags=["enterprises"], response_model=Page)
def enterprise_list(
    principal: OfficeOrEnterprise,
    src: WithSources,
    sector: Annotated[str | None, Query(pattern=r"^\d{2,4}$")] = None,
    offset: Offset = 0,
    limit: Limit = 100,
) -> Page:
    """企业 The enterprise registry (an enterprise account sees itself)."""
    rows = [
        e
        for e in src.snapshot().enterprises.values()
        if (sector is None or e["sector"].startswith(sector))
        and (principal.role is A or e["code"] == principal.enterprise)
    ]
    return Page(total=len(rows), offset=offset, limit=limit, items=rows[offset : offset + limit])


@router.get("/enterprises/{code}", tags=["enterprises"])
def enterprise_detail(
    principal: OfficeOrEnterprise, src: WithSources, code: CodePath
) -> dict[str, Any]:
    """企业档案 One enterprise's registry entry and latest accounts."""
    check_enterprise(principal, code)
    snap = src.snapshot()
    found = enterprise_or_404(snap, code)
    yearly = dashboard.enterprise_accounts(snap, code, "year")
    return {**found, "accounts": yearly}


@router.get("/enterprises/{code}/accounts", tags=["enterprises"])
def enterprise_accounts(
    principal: OfficeOrEnterprise,
    src: WithSources,
    code: CodePath,
    frequency: Annotated[Literal["year", "month"], Query()] = "year",
) -> list[dict[str, Any]]:
    """企业核算 One enterprise's energy and CO2 per year or month."""
    check_enterprise(principal, code)
    snap = src.snapshot()
    enterprise_or_404(snap, code)
    return dashboard.enterprise_accounts(snap, code, frequency)


@router.get("/enterprises/{code}/benchmark", tags=["enterprises"])
def enterprise_benchmark(
    principal: OfficeOrEnterprise, src: WithSources, code: CodePath
) -> list[dict[str, Any]]:
    """能效对标 Unit-product energy against the benchmark and limit levels."""
    check_enterprise(principal, code)
    snap = src.snapshot()
    enterprise_or_404(snap, code)
    return dashboard.enterprise_benchmark(snap, code)


@router.get("/enterprises/{code}/quality", tags=["enterprises"])
def enterprise_quality(
    principal: OfficeOrEnterprise,
    src: WithSources,
    code: CodePath,
    month: Annotated[str | None, Query(pattern=MONTH)] = None,
) -> list[dict[str, Any]]:
    """数据质量 The enterprise's online-monitoring data quality per month."""
    check_enterprise(principal, code)
    enterprise_or_404(src.snapshot(), code)
    return dashboard.quality(src.engine(), src.store(), code, month)


@router.get(
    "/enterprises/{code}/report",
    tags=["reports"],
    responses=REPORT_RESPONSES,
    response_class=Response,
)
def enterprise_annual_report(
    principal: OfficeOrEnterprise,
    src: WithSources,
    code: CodePath,
    year: Annotated[int, Query(ge=2020, le=2100)],
    format: Annotated[Literal["pdf", "xlsx"], Query()] = "pdf",
) -> Response:
    """企业年度报告 An enterprise's annual energy and carbon report, PDF or XLSX."""
    check_enterprise(principal, code)
    snap = src.snapshot()
    enterprise_or_404(snap, code)
    return download(
        report_file(src.engine(), src.plan, format, year=year, enterprise=code, current=snap)
    )
