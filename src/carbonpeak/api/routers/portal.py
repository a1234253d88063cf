"""The public portal's data: only what the office has published, to anyone, no account needed;
and the office's publishing of a period (docs/portal.md)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from carbonpeak.api.deps import Admin, WithSources
from carbonpeak.api.errors import ERRORS
from carbonpeak.services.portal import publish_indicators, published, published_versions

router = APIRouter(prefix="/api/v1/portal", responses=ERRORS)

Period = Annotated[int | None, Query(ge=2000, le=2100)]
Version = Annotated[int | None, Query(ge=1, le=100_000)]


class PublishRequest(BaseModel):
    period: int = Field(ge=2000, le=2100)
    reason: str | None = Field(default=None, max_length=2000)


def _content(src: WithSources, period: int | None, version: int | None) -> dict[str, Any]:
    found = published(src.engine(), period, version)
    return found or {"content": {"targets": [], "indicators": []}}


@router.get("/publications", tags=["portal"])
def publications(src: WithSources) -> list[dict[str, Any]]:
    """公开发布版本 Every published version, newest first (public)."""
    return published_versions(src.engine())


@router.get("/published", tags=["portal"])
def publication(src: WithSources, period: Period = None, version: Version = None) -> dict[str, Any]:
    """公开发布 A published version with its targets and indicator values (default: the
    latest); an empty content while nothing is published (public)."""
    return _content(src, period, version)


@router.get("/targets", tags=["portal"])
def targets(
    src: WithSources, period: Period = None, version: Version = None
) -> list[dict[str, Any]]:
    """公开目标 The published targets with their statuses (public)."""
    rows: list[dict[str, Any]] = _content(src, period, version)["content"]["targets"]
    return rows


@router.get("/indicators", tags=["portal"])
def indicators(
    src: WithSources, period: Period = None, version: Version = None
) -> list[dict[str, Any]]:
    """公开指标 The published indicator values per year (public)."""
    rows: list[dict[str, Any]] = _content(src, period, version)["content"]["indicators"]
    return rows


@router.post("/publications", tags=["portal"], status_code=201)
def publish(principal: Admin, src: WithSources, body: PublishRequest) -> dict[str, Any]:
    """发布 The office publishes a period: frozen; again only as a new version with a reason."""
    return publish_indicators(src.engine(), src.plan, body.period, principal.actor, body.reason)
