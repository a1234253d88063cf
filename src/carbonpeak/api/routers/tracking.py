"""Published base data: target tracking, indicator values, intensities, energy and CO2
accounts, and the lineage behind each number. Confidential cells are marked (docs/web.md)."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response

from carbonpeak.api.deps import CODE, PERIOD, SignedIn, WithSources
from carbonpeak.api.errors import ERRORS
from carbonpeak.api.response_cache import remember
from carbonpeak.services.kept_snapshot import current_snapshot
from carbonpeak.services.scoped import (
    energy_carbon_for,
    indicators_for,
    intensities_for,
    lineage_for,
    tracking_for,
)
from carbonpeak.services.snapshots import memoized

router = APIRouter(prefix="/api/v1", responses=ERRORS)


@router.get("/tracking", tags=["tracking"], response_model=dict[str, Any])
def tracking(request: Request, principal: SignedIn, src: WithSources) -> Response:
    """目标跟踪 Every target with status, current value, trajectory and clause; every goal.
    Confidential values are marked (docs/web.md)."""
    snap = current_snapshot(src.engine(), src.plan)
    # Encoded once per data version and role (what is marked depends on the role alone), and
    # answered again to the same caller until a write (api/response_cache.py).
    body = memoized(
        snap,
        ("tracking_json", principal.role),
        lambda: bytes(JSONResponse(jsonable_encoder(tracking_for(principal, snap))).body),
    )
    remember(request, body, "application/json")
    return Response(body, media_type="application/json")


@router.get("/indicators", tags=["indicators"])
def indicators(
    principal: SignedIn,
    src: WithSources,
    indicator: Annotated[str | None, Query(max_length=80)] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> list[dict[str, Any]]:
    """指标 Indicator values per year, each with its source; confidential ones marked."""
    return indicators_for(principal, src.snapshot(), indicator, year)


@router.get("/intensities", tags=["indicators"])
def intensities(principal: SignedIn, src: WithSources) -> list[dict[str, Any]]:
    """强度 Energy and CO2 intensity of GDP per year, and the change against 2020."""
    return intensities_for(principal, src.snapshot())


@router.get("/accounts", tags=["accounts"])
def accounts(
    principal: SignedIn,
    src: WithSources,
    level: Annotated[Literal["division", "sector", "enterprise"], Query()] = "division",
    frequency: Annotated[Literal["year", "month"], Query()] = "year",
    period: Annotated[str | None, Query(pattern=PERIOD)] = None,
) -> list[dict[str, Any]]:
    """能源与碳排放核算 Energy and CO2 by division, sector or enterprise, per year or month.
    Enterprise level: the office sees all, an enterprise its own rows, others none.
    Confidential cells are marked (docs/web.md)."""
    return energy_carbon_for(principal, src.snapshot(), level, frequency, period)


@router.get("/lineage", tags=["accounts"])
def lineage(
    principal: SignedIn,
    src: WithSources,
    indicator: Annotated[str | None, Query(max_length=80)] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    enterprise: Annotated[str | None, Query(pattern=CODE)] = None,
    period: Annotated[str | None, Query(pattern=PERIOD)] = None,
    level: Annotated[Literal["division", "sector"] | None, Query()] = None,
    key: Annotated[str | None, Query(pattern=r"^\d{2,4}$")] = None,
) -> dict[str, Any]:
    """数据溯源 Where a number comes from: inputs, method, factor set and version."""
    return lineage_for(
        principal,
        src.snapshot(),
        indicator=indicator,
        year=year,
        enterprise=enterprise,
        period=period,
        level=level,
        key=key,
    )
