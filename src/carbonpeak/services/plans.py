"""Plan use cases: register a plan version in the store, read registered versions back."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from carbonpeak.messages import message
from carbonpeak.plan import Plan, PlanDocument
from carbonpeak.storage import OrganisationRow, PlanVersionRow

__all__ = ["PlanVersionConflict", "RegisteredPlan", "register_plan", "registered_plans"]


class PlanVersionConflict(ValueError):
    """The same plan version is already registered with different content."""


@dataclass(frozen=True)
class RegisteredPlan:
    plan_id: str
    version: str
    sha256: str
    created: bool  # False when this exact version was already registered


def register_plan(engine: Engine, document: PlanDocument) -> RegisteredPlan:
    """Store a validated plan version and its organisations, in one transaction.

    Registering the same content twice changes nothing; a changed plan needs a new version, so
    assessments made against the old one stay reproducible.
    """
    plan = document.plan
    with Session(engine) as session, session.begin():
        existing = session.scalars(
            select(PlanVersionRow).where(
                PlanVersionRow.plan_id == plan.plan.id, PlanVersionRow.version == plan.plan.version
            )
        ).one_or_none()
        if existing is not None:
            if existing.sha256 != document.sha256:
                raise PlanVersionConflict(
                    message(
                        "error.plans.version_changed",
                        version=plan.version,
                        registered=existing.sha256[:12],
                        found=document.sha256[:12],
                    )
                )
            return RegisteredPlan(plan.plan.id, plan.plan.version, document.sha256, created=False)
        for organisation in plan.organisations:
            session.merge(
                OrganisationRow(
                    id=organisation.id,
                    name_zh=organisation.name_zh,
                    name_en=organisation.name_en,
                    kind=organisation.kind.value,
                    aliases=list(organisation.aliases),
                    roles=list(organisation.roles),
                )
            )
        session.add(
            PlanVersionRow(
                plan_id=plan.plan.id,
                version=plan.plan.version,
                title_zh=plan.plan.title_zh,
                issued=plan.plan.issued,
                sha256=document.sha256,
                content=plan.model_dump_json(),
            )
        )
    return RegisteredPlan(plan.plan.id, plan.plan.version, document.sha256, created=True)


def registered_plans(engine: Engine) -> list[tuple[PlanVersionRow, Plan]]:
    """Every registered plan version with its plan, oldest first."""
    with Session(engine) as session:
        rows = session.scalars(select(PlanVersionRow).order_by(PlanVersionRow.id)).all()
        session.expunge_all()
    return [(row, Plan.model_validate(json.loads(row.content))) for row in rows]
