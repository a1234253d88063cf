"""Liveness and the caller's identity."""

from typing import Any

from fastapi import APIRouter

from carbonpeak import __version__
from carbonpeak.api.deps import SignedIn
from carbonpeak.api.errors import ERRORS

router = APIRouter(prefix="/api/v1", responses=ERRORS)


@router.get("/health", tags=["meta"])
def health() -> dict[str, str]:
    """服务状态 Liveness and the version."""
    return {"status": "ok", "version": __version__}


@router.get("/me", tags=["meta"])
def me(principal: SignedIn) -> dict[str, Any]:
    """当前用户 Who the caller is and what role it has."""
    return {
        "username": principal.username,
        "display_name": principal.display_name,
        "role": principal.role.value,
        "organisation": principal.organisation,
        "enterprise": principal.enterprise,
        "via": principal.via,
    }
