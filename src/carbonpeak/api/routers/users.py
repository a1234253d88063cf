"""Accounts and API tokens: the office's."""

from typing import Annotated, Any

from fastapi import APIRouter
from fastapi import Path as PathParam

from carbonpeak.api.deps import Admin, WithSources
from carbonpeak.api.errors import ERRORS
from carbonpeak.api.schemas import ActiveBody, NewToken, NewUser
from carbonpeak.services.accounts import add_user, create_token, revoke_token, set_active, users
from carbonpeak.services.logins import unlock

router = APIRouter(prefix="/api/v1", responses=ERRORS)
Username = Annotated[str, PathParam(max_length=80)]


@router.get("/users", tags=["users"])
def user_list(_: Admin, src: WithSources) -> list[dict[str, Any]]:
    """用户 Every account, without password hashes."""
    return users(src.engine())


@router.post("/users", status_code=201, tags=["users"])
def user_add(principal: Admin, src: WithSources, body: NewUser) -> dict[str, Any]:
    """新增用户 Create an account."""
    made = add_user(
        src.engine(),
        body.username,
        body.password,
        body.role,
        display_name=body.display_name,
        organisation=body.organisation,
        enterprise=body.enterprise,
        actor=principal.actor,
    )
    return {"username": made.username, "role": made.role.value}


@router.post("/users/{username}/active", tags=["users"])
def user_active(
    principal: Admin, src: WithSources, username: Username, body: ActiveBody
) -> dict[str, Any]:
    """停用/启用 Deactivate or reactivate an account."""
    set_active(src.engine(), username, body.active, principal.actor)
    return {"username": username, "active": body.active}


@router.post("/users/{username}/unlock", tags=["users"])
def user_unlock(principal: Admin, src: WithSources, username: Username) -> dict[str, Any]:
    """解除登录暂停 Lift every sign-in pause of an account."""
    paused = unlock(src.engine(), username, principal.actor)
    return {"username": username, "paused_addresses": paused}


@router.post("/users/{username}/tokens", status_code=201, tags=["users"])
def token_add(
    principal: Admin, src: WithSources, username: Username, body: NewToken
) -> dict[str, str]:
    """API 令牌 A new per-client token; shown once."""
    token = create_token(src.engine(), username, body.client, principal.actor)
    return {"username": username, "client": body.client, "token": token}


@router.delete("/tokens/{token_id}", tags=["users"])
def token_revoke(
    principal: Admin,
    src: WithSources,
    token_id: Annotated[int, PathParam(ge=1, le=2**31 - 1)],
) -> dict[str, Any]:
    """吊销令牌 Revoke a token."""
    revoke_token(src.engine(), token_id, principal.actor)
    return {"id": token_id, "revoked": True}
