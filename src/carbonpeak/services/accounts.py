"""User accounts, roles, API tokens, browser sessions and login throttling.

Four roles, from the plan's users:

- ``admin``: the carbon-peak office (碳达峰领导小组办公室) sees and administers everything;
- ``unit``: a responsible department or company (责任单位) reports on its own tasks and indicators;
- ``enterprise``: a key energy-using enterprise sees and submits only its own data;
- ``viewer``: published data only.

Passwords are hashed with Argon2id. API tokens and session keys are random; only their SHA-256
is stored, so a copy of the database lets nobody sign in.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
import threading
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from carbonpeak.errors import InvalidInput, NotFound
from carbonpeak.messages import message
from carbonpeak.services import logins
from carbonpeak.services.audit import AuditWriter
from carbonpeak.services.session_cache import SessionCache
from carbonpeak.settings import settings
from carbonpeak.storage import (
    ApiTokenRow,
    EnterpriseRow,
    LoginFailureRow,
    OrganisationRow,
    UserRow,
    WebSessionRow,
)

__all__ = [
    "SESSION_LIFETIME",
    "AccountError",
    "LoginRefused",
    "Principal",
    "Role",
    "UnknownAccount",
    "add_user",
    "authenticate",
    "create_token",
    "end_session",
    "has_users",
    "principal_for_session",
    "principal_for_token",
    "revoke_token",
    "set_active",
    "start_session",
    "tokens",
    "users",
]

SESSION_LIFETIME = timedelta(hours=12)
TOKEN_PREFIX = "cpk_"
MIN_PASSWORD_LENGTH = 10
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")

TOKEN_USE_RESOLUTION = timedelta(minutes=1)  # how exactly a token's last use is recorded
_last_used_written: dict[int, datetime] = {}
_last_used_lock = threading.Lock()

_hasher = PasswordHasher()
# Verifying against this when the user does not exist keeps timing the same either way.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class Role(StrEnum):
    admin = "admin"
    unit = "unit"
    enterprise = "enterprise"
    viewer = "viewer"


ROLE_NAMES = {
    Role.admin: ("碳达峰办公室管理员", "Office administrator"),
    Role.unit: ("责任单位", "Responsible unit"),
    Role.enterprise: ("重点用能企业", "Enterprise"),
    Role.viewer: ("公开数据查看", "Viewer"),
}


class AccountError(InvalidInput):
    """A user or token request that cannot be carried out."""


class UnknownAccount(NotFound, AccountError):
    """No such user or token."""


class LoginRefused(Exception):
    """Wrong credentials, an inactive account, or a paused sign-in; says which only in
    ``reason``, for the log: callers answer every refusal the same way."""

    def __init__(self, reason: str, locked_until: datetime | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.locked_until = locked_until


@dataclass(frozen=True)
class Principal:
    """Who is asking: the signed-in user, and what they may see."""

    username: str
    display_name: str
    role: Role
    organisation: str | None = None  # a responsible unit's organisation id
    enterprise: str | None = None  # an enterprise user's enterprise code
    via: str = "session"  # session or token:<client>

    @property
    def actor(self) -> str:
        """The name written to the audit log."""
        return self.username if self.via == "session" else f"{self.username} ({self.via})"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes for timezone-aware columns; they were stored as UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _principal(user: UserRow, via: str = "session") -> Principal:
    return Principal(
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        organisation=user.organisation_id,
        enterprise=user.enterprise_code,
        via=via,
    )


def add_user(
    engine: Engine,
    username: str,
    password: str,
    role: Role | str,
    *,
    display_name: str | None = None,
    organisation: str | None = None,
    enterprise: str | None = None,
    actor: str = "cli",
) -> Principal:
    """Create an account. A unit names its organisation (id or Chinese name); an enterprise user
    names its enterprise code; the other roles name neither."""
    role = Role(role)
    if not USERNAME.fullmatch(username):
        raise AccountError(message("error.accounts.username_form", found=repr(username)))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            message(
                "error.accounts.password_length", least=MIN_PASSWORD_LENGTH, found=len(password)
            )
        )
    if role is Role.unit and not organisation:
        raise AccountError(message("error.accounts.unit_needs_organisation"))
    if role is Role.enterprise and not enterprise:
        raise AccountError(message("error.accounts.enterprise_needs_code"))
    if role is not Role.unit and organisation:
        raise AccountError(message("error.accounts.organisation_unit_only", role=role.value))
    if role is not Role.enterprise and enterprise:
        raise AccountError(message("error.accounts.enterprise_only", role=role.value))
    with Session(engine) as session, session.begin():
        if session.scalars(select(UserRow).where(UserRow.username == username)).first():
            raise AccountError(message("error.accounts.username_taken", username=repr(username)))
        organisation_id = None
        if organisation:
            found = session.scalars(
                select(OrganisationRow).where(
                    (OrganisationRow.id == organisation) | (OrganisationRow.name_zh == organisation)
                )
            ).first()
            if found is None:
                raise AccountError(
                    message("error.accounts.no_organisation", organisation=repr(organisation))
                )
            organisation_id = found.id
        if (
            enterprise
            and session.scalars(
                select(EnterpriseRow).where(EnterpriseRow.code == enterprise)
            ).first()
            is None
        ):
            raise AccountError(message("error.accounts.no_enterprise", enterprise=repr(enterprise)))
        user = UserRow(
            username=username,
            display_name=display_name or username,
            role=role.value,
            organisation_id=organisation_id,
            enterprise_code=enterprise,
            password_hash=_hasher.hash(password),
            active=True,
            failed_logins=0,
        )
        session.add(user)
        session.flush()
        AuditWriter(session).append(
            actor,
            "create",
            "user",
            username,
            {"role": role.value, "organisation": organisation_id, "enterprise": enterprise},
        )
        return _principal(user)


# The stores known to have an account: no account is ever deleted, so once true stays true.
_with_users: weakref.WeakSet[Engine] = weakref.WeakSet()


def has_users(engine: Engine) -> bool:
    """Whether any account exists (the first one is made on the set-up page); asked of the
    database only until it is true."""
    if engine in _with_users:
        return True
    with Session(engine) as session:
        found = session.scalars(select(UserRow.id).limit(1)).first() is not None
    if found:
        _with_users.add(engine)
    return found


def users(engine: Engine) -> list[dict[str, object]]:
    """Every account, without its password hash."""
    with Session(engine) as session:
        rows = session.scalars(select(UserRow).order_by(UserRow.username)).all()
        paused = logins.paused_accounts(session, _now())
        return [
            {
                "username": u.username,
                "display_name": u.display_name,
                "role": u.role,
                "organisation": u.organisation_id,
                "enterprise": u.enterprise_code,
                "active": u.active,
                "locked": u.username in paused,
                "tokens": len(
                    session.scalars(
                        select(ApiTokenRow.id).where(
                            ApiTokenRow.user_id == u.id, ApiTokenRow.revoked.is_(False)
                        )
                    ).all()
                ),
            }
            for u in rows
        ]


def set_active(engine: Engine, username: str, active: bool, actor: str) -> None:
    """Deactivate (or reactivate) an account; deactivating ends its sessions."""
    with Session(engine) as session, session.begin():
        user = session.scalars(select(UserRow).where(UserRow.username == username)).first()
        if user is None:
            raise UnknownAccount(message("error.accounts.no_user", username=repr(username)))
        user.active = active
        user.failed_logins = 0
        user.locked_until = None
        session.execute(delete(LoginFailureRow).where(LoginFailureRow.username == username))
        if not active:
            session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user.id))
        AuditWriter(session).append(
            actor, "activate" if active else "deactivate", "user", username, {}
        )
    _sessions.forget()
    _tokens.forget()


def authenticate(engine: Engine, username: str, password: str, address: str = "local") -> Principal:
    """Check a password from a client ``address``. Wrong passwords pause the account for that
    address (``services.logins``: per account and address, with back-off); a paused pair is
    refused whatever password comes. Every refusal (unknown name, wrong password, paused,
    inactive) raises the same :class:`LoginRefused` to the caller, after the same Argon2 work;
    only ``reason`` (for logs) tells them apart."""
    refusal: LoginRefused | None = None
    with Session(engine) as session, session.begin():
        user = session.scalars(select(UserRow).where(UserRow.username == username)).first()
        now = _now()
        if logins.is_paused(session, username, address, now):
            with contextlib.suppress(VerificationError):
                _hasher.verify(_DUMMY_HASH, password)
            refusal = LoginRefused("paused")
        elif user is None:
            with contextlib.suppress(VerificationError):
                _hasher.verify(_DUMMY_HASH, password)
            logins.record_failure(session, username, address, now, audited=False)
            refusal = LoginRefused("unknown user")
        else:
            try:
                _hasher.verify(user.password_hash, password)
            except (VerificationError, InvalidHashError):
                # Counted, and committed with the block: raising inside it would roll it back.
                logins.record_failure(session, username, address, now, audited=True)
                refusal = LoginRefused("wrong password")
            else:
                if not user.active:
                    refusal = LoginRefused("inactive")
                else:
                    logins.clear(session, username, address)
                    if _hasher.check_needs_rehash(user.password_hash):
                        user.password_hash = _hasher.hash(password)
                    principal = _principal(user)
    if refusal is not None:
        raise refusal
    return principal


def start_session(engine: Engine, username: str) -> tuple[str, str]:
    """A new browser session: returns (cookie key, CSRF token). Expired sessions are removed."""
    key = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    with Session(engine) as session, session.begin():
        user = session.scalars(select(UserRow).where(UserRow.username == username)).one()
        session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at < _now()))
        session.add(
            WebSessionRow(
                user_id=user.id,
                key_sha256=_sha256(key),
                csrf_token=csrf,
                expires_at=_now() + SESSION_LIFETIME,
            )
        )
    return key, csrf


_sessions: SessionCache[tuple[Principal, str] | None] = SessionCache(
    lambda: settings().session_cache_seconds
)


def principal_for_session(engine: Engine, key: str) -> tuple[Principal, str] | None:
    """The session's user and CSRF token, or None for an unknown or expired key; remembered a
    few seconds per process (services/session_cache.py), forgotten at a sign-out or a
    deactivation."""
    digest = _sha256(key)
    return _sessions.get(
        (engine.url.render_as_string(hide_password=True), digest),
        lambda: _session_principal(engine, digest),
    )


def _session_principal(engine: Engine, digest: str) -> tuple[Principal, str] | None:
    with Session(engine) as session:
        found = session.execute(
            select(WebSessionRow, UserRow)
            .join(UserRow, UserRow.id == WebSessionRow.user_id)
            .where(WebSessionRow.key_sha256 == digest)
        ).first()
        if found is None:
            return None
        web_session, user = found
        if _aware(web_session.expires_at) <= _now() or not user.active:
            return None
        return _principal(user), web_session.csrf_token


def end_session(engine: Engine, key: str) -> None:
    with Session(engine) as session, session.begin():
        session.execute(delete(WebSessionRow).where(WebSessionRow.key_sha256 == _sha256(key)))
    _sessions.forget()


def create_token(engine: Engine, username: str, client: str, actor: str) -> str:
    """A new API token for ``client`` acting as ``username``; returned once, stored hashed."""
    if not client or len(client) > 120:
        raise AccountError(message("error.accounts.client_name", found=repr(client)))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with Session(engine) as session, session.begin():
        user = session.scalars(select(UserRow).where(UserRow.username == username)).first()
        if user is None:
            raise UnknownAccount(message("error.accounts.no_user", username=repr(username)))
        row = ApiTokenRow(
            user_id=user.id,
            client=client,
            token_sha256=_sha256(token),
            prefix=token[: len(TOKEN_PREFIX) + 6],
            revoked=False,
        )
        session.add(row)
        session.flush()
        AuditWriter(session).append(
            actor, "create", "api_token", str(row.id), {"user": username, "client": client}
        )
    return token


def tokens(engine: Engine, username: str | None = None) -> list[dict[str, object]]:
    with Session(engine) as session:
        query = select(ApiTokenRow, UserRow).join(UserRow, UserRow.id == ApiTokenRow.user_id)
        if username is not None:
            query = query.where(UserRow.username == username)
        return [
            {
                "id": token.id,
                "username": user.username,
                "client": token.client,
                "prefix": token.prefix,
                "created_at": token.created_at,
                "last_used_at": token.last_used_at,
                "revoked": token.revoked,
            }
            for token, user in session.execute(query.order_by(ApiTokenRow.id)).all()
        ]


def revoke_token(engine: Engine, token_id: int, actor: str) -> None:
    with Session(engine) as session, session.begin():
        row = session.get(ApiTokenRow, token_id)
        if row is None:
            raise UnknownAccount(message("error.accounts.no_token", token=token_id))
        row.revoked = True
        AuditWriter(session).append(actor, "revoke", "api_token", str(token_id), {})
    _tokens.forget()


_tokens: SessionCache[Principal | None] = SessionCache(lambda: settings().session_cache_seconds)


def principal_for_token(engine: Engine, token: str) -> Principal | None:
    """The user a bearer token acts for, or None for an unknown, revoked or inactive one;
    remembered a few seconds per process as sessions are, forgotten at a revocation or a
    deactivation."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    digest = _sha256(token)
    return _tokens.get(
        (engine.url.render_as_string(hide_password=True), digest),
        lambda: _token_principal(engine, digest),
    )


def _token_principal(engine: Engine, digest: str) -> Principal | None:
    with Session(engine) as session, session.begin():
        found = session.execute(
            select(ApiTokenRow, UserRow)
            .join(UserRow, UserRow.id == ApiTokenRow.user_id)
            .where(ApiTokenRow.token_sha256 == digest)
        ).first()
        if found is None:
            return None
        row, user = found
        if row.revoked or not user.active:
            return None
        now = _now()
        # Written at most once a minute per token and process, so a busy gateway (or fifty
        # dashboards) does not queue writes behind every read.
        with _last_used_lock:
            due = now - _last_used_written.get(row.id, datetime.min.replace(tzinfo=UTC)) > (
                TOKEN_USE_RESOLUTION
            )
            if due:
                _last_used_written[row.id] = now
        if due:
            row.last_used_at = now
        return _principal(user, via=f"token:{row.client}")
