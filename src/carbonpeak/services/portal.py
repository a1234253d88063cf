"""Publication of a period's indicator values and target statuses, and what the public portal
reads: only what was published, frozen and versioned like published accounts.

What is published is what the public may see, computed once by the functions everyone uses:
target statuses as a report of the period states them (``dashboard.targets_for_year`` over
``tracking.targets.track_targets``), indicator values from the snapshot
(``tracking.indicators``), both through the disclosure rules for a reader outside the office
(``services.scoped``: confidential values are left out, never published). A publication is never
changed; publishing the period again makes a new version, with a reason, that supersedes it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from carbonpeak.errors import Conflict, InvalidInput, NotFound
from carbonpeak.messages import message
from carbonpeak.plan import Plan
from carbonpeak.services import dashboard
from carbonpeak.services.accounts import Principal, Role
from carbonpeak.services.audit import AuditWriter
from carbonpeak.services.scoped import indicators_for, tracking_for
from carbonpeak.storage import IndicatorPublicationRow

__all__ = [
    "PUBLIC",
    "PortalPublicationError",
    "public_content",
    "publish_indicators",
    "published",
    "published_versions",
]

# The reader a publication is made for: outside the office, so confidential figures are out.
PUBLIC = Principal(username="public", display_name="公众", role=Role.viewer, via="portal")
TARGET_FIELDS = (
    "id",
    "indicator",
    "name_zh",
    "name_en",
    "clause",
    "quote",
    "stated",
    "year",
    "comparator",
    "target",
    "target_unit",
    "target_level",
    "unit",
    "lead_unit",
    "status",
    "method",
    "value",
    "value_year",
    "as_of",
    "provisional",
    "confidential",
)


class PortalPublicationError(Conflict):
    """Publishing that would duplicate or silently overwrite a published version."""


def _target(row: dict[str, Any], period: int) -> dict[str, Any]:
    kept = {k: row.get(k) for k in TARGET_FIELDS}
    kept["series"] = {y: v for y, v in row.get("series", {}).items() if int(y) <= period}
    return kept


def public_content(engine: Engine, plan: Plan, period: int) -> dict[str, Any]:
    """What publishing ``period`` would freeze: targets with statuses, indicator values up to
    the period, each as a reader outside the office sees them."""
    snap = dashboard.snapshot(engine, plan)
    years = [v.year for v in snap.values if v.period is None]
    if not years or not min(years) <= period <= max(years):
        span = f"{min(years)}–{max(years)}" if years else "none yet"
        raise InvalidInput(message("error.portal.period", span=span, found=period))
    stated = dashboard.targets_for_year(engine, snap, period)
    view = tracking_for(PUBLIC, replace(snap, targets=stated))
    names = {i.id: i for i in plan.indicators}
    indicators = []
    for row in indicators_for(PUBLIC, snap, None, None):
        if row["year"] > period or row["value"] is None:
            continue  # later years are not this period's; confidential values are never published
        meta = names.get(row["indicator"])
        indicators.append(
            {
                "indicator": row["indicator"],
                "name_zh": meta.name_zh if meta else row["indicator"],
                "name_en": meta.name_en if meta else row["indicator"],
                "year": row["year"],
                "value": row["value"],
                "unit": row["unit"],
                "source": row["source"],
            }
        )
    indicators.sort(key=lambda r: (r["indicator"], r["year"]))
    return {
        "period": period,
        "plan": plan.version,
        "title_zh": plan.plan.title_zh,
        "title_en": plan.plan.title_en,
        "targets": [_target(t, period) for t in view["targets"]],
        "indicators": indicators,
        "synthetic": snap.synthetic,
    }


def _sha256(content: dict[str, Any]) -> str:
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _summary(row: IndicatorPublicationRow, supersedes: int | None) -> dict[str, Any]:
    return {
        "period": row.period,
        "version": row.version,
        "plan": row.plan_version,
        "as_of": row.as_of,
        "data_version": row.data_version,
        "synthetic": row.synthetic,
        "reason": row.reason,
        "supersedes_version": supersedes,
        "published_by": row.published_by,
        "published_at": row.published_at.isoformat(timespec="seconds")
        if row.published_at
        else None,
        "sha256": row.content_sha256,
    }


def publish_indicators(
    engine: Engine, plan: Plan, period: int, actor: str, reason: str | None = None
) -> dict[str, Any]:
    """Freeze ``period``'s public content as its next version. The first needs no reason; a
    later one needs a reason and must change something."""
    content = public_content(engine, plan, period)
    digest = _sha256(content)
    as_of = min((t["as_of"] for t in content["targets"] if t["as_of"]), default="")
    with Session(engine) as session, session.begin():
        latest = session.scalars(
            select(IndicatorPublicationRow)
            .where(IndicatorPublicationRow.period == period)
            .order_by(IndicatorPublicationRow.version.desc())
            .limit(1)
        ).one_or_none()
        if latest is not None:
            if latest.content_sha256 == digest:
                raise PortalPublicationError(
                    f"{period} v{latest.version} is already published with these values"
                )
            if not (reason and reason.strip()):
                raise PortalPublicationError(
                    f"{period} is already published (v{latest.version}); a new version needs "
                    "a reason"
                )
        row = IndicatorPublicationRow(
            period=period,
            version=latest.version + 1 if latest else 1,
            plan_version=plan.version,
            data_version=dashboard.data_version(engine),
            as_of=as_of,
            content=content,
            content_sha256=digest,
            synthetic=bool(content["synthetic"]),
            reason=reason.strip() if latest and reason else None,
            supersedes_id=latest.id if latest else None,
            published_by=actor,
        )
        session.add(row)
        session.flush()
        AuditWriter(session).append(
            actor,
            "publish",
            "indicator_publication",
            f"{period}v{row.version}",
            {
                "period": period,
                "version": row.version,
                "sha256": digest,
                "reason": row.reason,
                "supersedes_version": latest.version if latest else None,
            },
        )
        session.flush()
        return _summary(row, latest.version if latest else None)


def published_versions(engine: Engine) -> list[dict[str, Any]]:
    """Every published version, newest period and version first."""
    with Session(engine) as session:
        rows = session.scalars(
            select(IndicatorPublicationRow).order_by(
                IndicatorPublicationRow.period.desc(), IndicatorPublicationRow.version.desc()
            )
        ).all()
        versions = {r.id: r.version for r in rows}
        return [_summary(r, versions.get(r.supersedes_id or -1)) for r in rows]


def published(
    engine: Engine, period: int | None = None, version: int | None = None
) -> dict[str, Any] | None:
    """A published version (default: the latest version of the latest period) with its
    content; None when nothing is published yet."""
    query = select(IndicatorPublicationRow)
    if period is not None:
        query = query.where(IndicatorPublicationRow.period == period)
    if version is not None:
        query = query.where(IndicatorPublicationRow.version == version)
    query = query.order_by(
        IndicatorPublicationRow.period.desc(), IndicatorPublicationRow.version.desc()
    ).limit(1)
    with Session(engine) as session:
        row = session.scalars(query).one_or_none()
        if row is None:
            if period is None and version is None:
                return None
            raise NotFound(
                message(
                    "error.portal.nothing_published",
                    period=period or message("error.any_period"),
                    version=version or "*",
                )
            )
        supersedes = (
            session.get(IndicatorPublicationRow, row.supersedes_id) if row.supersedes_id else None
        )
        return {
            **_summary(row, supersedes.version if supersedes else None),
            "content": row.content,
        }
