"""Sign-in pauses per account and address, with back-off, and the office's way to lift them.

``CARBONPEAK_LOGIN_FAILURES`` wrong passwords in a row for one account from one address pause
that pair for ``CARBONPEAK_LOGIN_PAUSE_SECONDS``, doubled at each further pause up to
``CARBONPEAK_LOGIN_MAX_PAUSE_SECONDS``; a day without failures forgets the back-off. Other
addresses can still sign in to the account, so guessing cannot lock the office out. Unknown
account names are counted exactly like real ones.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from carbonpeak.errors import NotFound
from carbonpeak.messages import message
from carbonpeak.services.audit import AuditWriter
from carbonpeak.settings import Settings, settings
from carbonpeak.storage import LoginFailureRow, UserRow

__all__ = ["FORGET_AFTER", "clear", "is_paused", "paused_accounts", "record_failure", "unlock"]

FORGET_AFTER = timedelta(days=1)  # a pair quiet this long starts its back-off afresh
MAX_ADDRESS_LENGTH = 64


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _pair(session: Session, username: str, address: str) -> LoginFailureRow | None:
    return session.scalars(
        select(LoginFailureRow).where(
            LoginFailureRow.username == username[:80],
            LoginFailureRow.address == address[:MAX_ADDRESS_LENGTH],
        )
    ).first()


def is_paused(session: Session, username: str, address: str, now: datetime) -> bool:
    pair = _pair(session, username, address)
    return pair is not None and pair.paused_until is not None and _aware(pair.paused_until) > now


def record_failure(
    session: Session,
    username: str,
    address: str,
    now: datetime,
    audited: bool,
    limits: Settings | None = None,
) -> None:
    """Count a wrong password; pause the pair when the count reaches the limit. ``audited``:
    write the pause to the audit log (for real accounts)."""
    chosen = limits or settings()
    pair = _pair(session, username, address)
    if pair is None:
        pair = LoginFailureRow(
            username=username[:80],
            address=address[:MAX_ADDRESS_LENGTH],
            failures=0,
            pauses=0,
            last_failure_at=now,
        )
        session.add(pair)
    elif now - _aware(pair.last_failure_at) > FORGET_AFTER:
        pair.failures, pair.pauses = 0, 0
    pair.failures += 1
    pair.last_failure_at = now
    if pair.failures >= chosen.login_failures:
        pair.pauses += 1
        seconds = min(
            chosen.login_pause_seconds * 2 ** min(pair.pauses - 1, 30),
            chosen.login_max_pause_seconds,
        )
        pair.paused_until = now + timedelta(seconds=seconds)
        pair.failures = 0
        if audited:
            AuditWriter(session).append(
                "system",
                "pause",
                "user",
                username,
                {"address": address, "until": pair.paused_until.isoformat(), "pause": pair.pauses},
            )


def clear(session: Session, username: str, address: str) -> None:
    """A successful sign-in from this address forgets its failures."""
    session.execute(
        delete(LoginFailureRow).where(
            LoginFailureRow.username == username, LoginFailureRow.address == address
        )
    )


def unlock(engine: Engine, username: str, actor: str) -> int:
    """The office lifts every pause (and forgets every failure) of an account; returns how many
    addresses were paused."""
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        if session.scalars(select(UserRow.id).where(UserRow.username == username)).first() is None:
            raise NotFound(message("error.logins.no_user", found=repr(username)))
        pairs = session.scalars(
            select(LoginFailureRow).where(LoginFailureRow.username == username)
        ).all()
        paused = sum(
            1 for p in pairs if p.paused_until is not None and _aware(p.paused_until) > now
        )
        session.execute(delete(LoginFailureRow).where(LoginFailureRow.username == username))
        AuditWriter(session).append(actor, "unlock", "user", username, {"paused": paused})
    return paused


def paused_accounts(session: Session, now: datetime) -> set[str]:
    """Account names with a pause in force from some address."""
    return {
        str(name)
        for name, until in session.execute(
            select(LoginFailureRow.username, LoginFailureRow.paused_until).where(
                LoginFailureRow.paused_until.is_not(None)
            )
        )
        if until is not None and _aware(until) > now
    }
