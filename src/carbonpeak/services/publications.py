"""Published accounts: frozen once published; a restatement is a new version with a reason."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from carbonpeak.accounting import Accounts, Restatement, activity_fingerprint, compare_results
from carbonpeak.messages import message
from carbonpeak.storage import AccountPublicationRow

__all__ = [
    "Publication",
    "PublicationError",
    "compare_with_publication",
    "publications",
    "publish",
    "restate_publication",
]


class PublicationError(ValueError):
    """A publication request that would overwrite or duplicate history."""


@dataclass(frozen=True)
class Publication:
    name: str
    version: int
    factor_set: str
    datasets: list[str]
    factor_values: list[dict[str, object]]
    source: str
    activity_sha256: str
    reason: str | None
    supersedes_version: int | None
    published_at: datetime
    results: pd.DataFrame  # enterprise-month totals as published


def _results(accounts: Accounts) -> list[dict[str, object]]:
    records: list[dict[str, object]] = json.loads(
        accounts.totals("enterprise", "month").to_json(orient="records", force_ascii=False)
    )
    return records


def _publication(row: AccountPublicationRow, supersedes: int | None) -> Publication:
    return Publication(
        name=row.name,
        version=row.version,
        factor_set=row.factor_set,
        datasets=row.datasets,
        factor_values=row.factor_values,
        source=row.source,
        activity_sha256=row.activity_sha256,
        reason=row.reason,
        supersedes_version=supersedes,
        published_at=row.published_at,
        results=pd.DataFrame.from_records(row.results),
    )


def _latest(session: Session, name: str) -> AccountPublicationRow | None:
    return session.scalars(
        select(AccountPublicationRow)
        .where(AccountPublicationRow.name == name)
        .order_by(AccountPublicationRow.version.desc())
        .limit(1)
    ).one_or_none()


def _store(
    session: Session,
    name: str,
    version: int,
    accounts: Accounts,
    reason: str | None,
    supersedes: AccountPublicationRow | None,
) -> AccountPublicationRow:
    row = AccountPublicationRow(
        name=name,
        version=version,
        factor_set=accounts.factor_set,
        datasets=accounts.factors.datasets(),
        factor_values=accounts.factor_values(),
        source=accounts.source,
        activity_sha256=activity_fingerprint(accounts.rows),
        results=_results(accounts),
        reason=reason,
        supersedes_id=supersedes.id if supersedes else None,
    )
    session.add(row)
    session.flush()
    return row


def publish(engine: Engine, accounts: Accounts, name: str) -> Publication:
    """Publish accounts under a new name (version 1). A name is published once; to change it,
    restate."""
    with Session(engine) as session, session.begin():
        if _latest(session, name) is not None:
            raise PublicationError(message("error.publications.published", name=repr(name)))
        row = _store(session, name, 1, accounts, None, None)
        return _publication(row, None)


def publications(engine: Engine, name: str | None = None) -> list[Publication]:
    """Every version of every publication (or of one), oldest first."""
    with Session(engine) as session:
        query = select(AccountPublicationRow).order_by(
            AccountPublicationRow.name, AccountPublicationRow.version
        )
        if name is not None:
            query = query.where(AccountPublicationRow.name == name)
        rows = session.scalars(query).all()
        versions = {row.id: row.version for row in rows}
        return [_publication(row, versions.get(row.supersedes_id or -1)) for row in rows]


def compare_with_publication(engine: Engine, name: str, accounts: Accounts) -> Restatement:
    """What restating the latest version of ``name`` with ``accounts`` would change."""
    with Session(engine) as session:
        latest = _latest(session, name)
        if latest is None:
            raise PublicationError(message("error.publications.none", name=repr(name)))
        published = _publication(latest, None)
    return compare_results(
        published.results,
        accounts.totals("enterprise", "month"),
        published.factor_set,
        accounts.factor_set,
        published.factor_values,
        accounts.factor_values(),
    )


def restate_publication(engine: Engine, name: str, accounts: Accounts, reason: str) -> Publication:
    """Publish a new version of ``name`` that supersedes the latest; the old stays as it was."""
    if not reason.strip():
        raise PublicationError(message("error.publications.reason"))
    report = compare_with_publication(engine, name, accounts)
    if not report.changed:
        raise PublicationError(message("error.publications.unchanged", name=repr(name)))
    with Session(engine) as session, session.begin():
        latest = _latest(session, name)
        assert latest is not None
        version = (
            session.scalar(
                select(func.max(AccountPublicationRow.version)).where(
                    AccountPublicationRow.name == name
                )
            )
            or 0
        )
        row = _store(session, name, version + 1, accounts, reason.strip(), latest)
        return _publication(row, latest.version)
