"""The caller's inbox: notices to its unit, enterprise or the office; and where they are mailed."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi import Path as PathParam
from pydantic import BaseModel, Field

from carbonpeak.api.deps import Admin, SignedIn, WithSources
from carbonpeak.api.errors import ERRORS
from carbonpeak.services.notices import (
    Recipient,
    mark_read,
    notices_for,
    set_contact,
    unread_count,
)

router = APIRouter(prefix="/api/v1/notices", responses=ERRORS)


class ContactRequest(BaseModel):
    recipient_kind: Literal["office", "organisation", "enterprise"]
    recipient: str = Field(min_length=1, max_length=80)
    address: str = Field(max_length=254)


@router.get("", tags=["notices"])
def notices(
    principal: SignedIn, src: WithSources, unread: Annotated[bool, Query()] = False
) -> dict[str, Any]:
    """通知 The caller's notices, newest first, and how many are unread."""
    engine = src.engine()
    return {
        "unread": unread_count(engine, principal),
        "items": notices_for(engine, principal, unread_only=unread),
    }


@router.post("/{notice_id}/read", tags=["notices"])
def read(
    principal: SignedIn,
    src: WithSources,
    notice_id: Annotated[int, PathParam(ge=1, le=2**31 - 1)],
) -> dict[str, Any]:
    """已读 Mark one of the caller's notices read."""
    return mark_read(src.engine(), principal, notice_id)


@router.put("/contacts", tags=["notices"])
def contact(principal: Admin, src: WithSources, body: ContactRequest) -> dict[str, str]:
    """邮件地址 The e-mail address a recipient's notices go to (empty: none)."""
    set_contact(
        src.engine(),
        Recipient(body.recipient_kind, body.recipient),
        body.address,
        principal.actor,
    )
    return {"recipient_kind": body.recipient_kind, "recipient": body.recipient}
