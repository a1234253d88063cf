"""Meter readings in batches, and the online-monitoring data quality."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from carbonpeak.api.deps import CODE, MONTH, A, E, WithSources, require
from carbonpeak.api.errors import ERRORS
from carbonpeak.api.schemas import Reading, ReadingCounts
from carbonpeak.services import dashboard
from carbonpeak.services.accounts import Principal
from carbonpeak.services.scoped import check_enterprise
from carbonpeak.services.telemetry import ingest_readings, meters

router = APIRouter(prefix="/api/v1", responses=ERRORS)
OfficeOrEnterprise = Annotated[Principal, Depends(require(A, E))]


@router.post("/telemetry", response_model=ReadingCounts, tags=["telemetry"])
def post_readings(
    principal: OfficeOrEnterprise, src: WithSources, readings: list[Reading]
) -> ReadingCounts:
    """在线监测 A batch of meter readings; duplicates ignored, bad records kept apart. An
    enterprise gateway may send only its own meters' readings."""
    registry = meters(src.engine())
    if principal.role is E:
        registry = {k: m for k, m in registry.items() if m.enterprise == principal.enterprise}
    records = [r.model_dump(exclude_none=True) for r in readings]
    return ReadingCounts(**ingest_readings(src.store(), registry, records))


@router.get("/telemetry/quality", tags=["telemetry"])
def get_quality(
    principal: OfficeOrEnterprise,
    src: WithSources,
    enterprise: Annotated[str | None, Query(pattern=CODE)] = None,
    month: Annotated[str | None, Query(pattern=MONTH)] = None,
) -> list[dict[str, Any]]:
    """数据质量 Monitoring data quality per enterprise and month."""
    if principal.role is E:
        if enterprise is not None:
            check_enterprise(principal, enterprise)
        enterprise = principal.enterprise
    return dashboard.quality(src.engine(), src.store(), enterprise, month)
