"""Failed sign-ins, per account name and client address: what pauses a sign-in and for how long.

Counted per pair, so wrong passwords sent from one address pause that address's attempts on the
account and nobody else's: the office signing in from its own desk is never locked out by
someone guessing from elsewhere. Names that are not accounts are counted the same way, so the
answers cannot tell an unknown name from a paused one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from carbonpeak.storage.models import Base

__all__ = ["LoginFailureRow"]


class LoginFailureRow(Base):
    """Consecutive wrong passwords for one account name from one address, and the pause."""

    __tablename__ = "login_failures"
    __table_args__ = (UniqueConstraint("username", "address"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)  # since the last pause or success
    pauses: Mapped[int] = mapped_column(Integer, default=0)  # for the back-off
    paused_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_failure_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
