"""The major-project library in the store: add, list, stage changes with their history, annual
work plans and progress (六(三)). Every change goes to the audit trail."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from carbonpeak.errors import Conflict, InvalidInput, NotFound
from carbonpeak.messages import message
from carbonpeak.projects import STAGE_ORDER, Project, Stage, WorkPlan, label, parse_project
from carbonpeak.services.audit import AuditWriter
from carbonpeak.storage.projects import (
    ProjectReviewRow,
    ProjectRow,
    ProjectStageRow,
    ProjectWorkPlanRow,
)

__all__ = [
    "add_project",
    "get_project",
    "list_projects",
    "project_detail",
    "report_work_progress",
    "set_stage",
]


def add_project(engine: Engine, project: Project, actor: str) -> None:
    """Put a project into the library, with its stage history so far and its work plans."""
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        if session.get(ProjectRow, project.id) is not None:
            raise Conflict(message("error.projects.exists", project=project.id))
        session.add(
            ProjectRow(
                id=project.id,
                name_zh=project.name_zh,
                owner=project.owner,
                responsible_unit=project.responsible_unit,
                sector=project.sector,
                product=project.product,
                stage=project.stage.value,
                declaration=project.model_dump(mode="json"),
                synthetic=project.synthetic,
                created_at=now,
            )
        )
        session.flush()
        for entry in project.stages:
            if entry.actual is not None:
                session.add(
                    ProjectStageRow(
                        project=project.id,
                        stage=entry.stage.value,
                        reached_on=entry.actual,
                        note="",
                        actor=actor,
                        recorded_at=now,
                    )
                )
        for plan in project.work_plans:
            session.add(_work_plan_row(project.id, plan))
        AuditWriter(session).append(
            actor, "project_add", "project", project.id, {"stage": project.stage.value}
        )


def _work_plan_row(project: str, plan: WorkPlan) -> ProjectWorkPlanRow:
    return ProjectWorkPlanRow(
        project=project,
        year=plan.year,
        unit=plan.unit,
        measures=plan.measures,
        milestone=plan.milestone,
        due=plan.due,
        percent_complete=0.0,
    )


def get_project(engine: Engine, project_id: str) -> Project:
    with Session(engine) as session:
        row = session.get(ProjectRow, project_id)
        if row is None:
            raise NotFound(message("error.projects.no_project", project=project_id))
        return parse_project(row.declaration, f"project {project_id}")


def list_projects(engine: Engine, stage: str | None = None) -> list[dict[str, Any]]:
    """The library, one row per project, with its latest review's recommendation."""
    with Session(engine) as session:
        query = select(ProjectRow).order_by(ProjectRow.id)
        if stage:
            query = query.where(ProjectRow.stage == stage)
        rows = session.scalars(query).all()
        latest: dict[str, str] = {}
        for review in session.scalars(select(ProjectReviewRow).order_by(ProjectReviewRow.id)):
            latest[review.project] = review.recommendation
        result = []
        for row in rows:
            declared = row.declaration
            result.append(
                {
                    "id": row.id,
                    "name_zh": row.name_zh,
                    "name_en": declared.get("name_en") or "",
                    "owner": row.owner,
                    "responsible_unit": row.responsible_unit,
                    "sector": row.sector,
                    "product": row.product,
                    "capacity": declared.get("capacity"),
                    "capacity_unit": declared.get("capacity_unit"),
                    "investment_yi": declared.get("investment_yi"),
                    "stage": row.stage,
                    "stage_label": label("stage", row.stage),
                    "recommendation": latest.get(row.id),
                    "approved_energy_tce": row.approved_energy_tce,
                    "synthetic": row.synthetic,
                }
            )
        return result


def project_detail(engine: Engine, project_id: str) -> dict[str, Any]:
    """The project with its stage history, work plans and reviews."""
    project = get_project(engine, project_id)
    with Session(engine) as session:
        row = session.get(ProjectRow, project_id)
        assert row is not None
        stages = session.scalars(
            select(ProjectStageRow)
            .where(ProjectStageRow.project == project_id)
            .order_by(ProjectStageRow.reached_on, ProjectStageRow.id)
        ).all()
        plans = session.scalars(
            select(ProjectWorkPlanRow)
            .where(ProjectWorkPlanRow.project == project_id)
            .order_by(ProjectWorkPlanRow.year, ProjectWorkPlanRow.id)
        ).all()
        reviews = session.scalars(
            select(ProjectReviewRow)
            .where(ProjectReviewRow.project == project_id)
            .order_by(ProjectReviewRow.id)
        ).all()
        return {
            "project": project,
            "stage": row.stage,
            "approved_energy_tce": row.approved_energy_tce,
            "approved_co2_t": row.approved_co2_t,
            "history": [
                {"stage": s.stage, "reached_on": s.reached_on, "note": s.note, "actor": s.actor}
                for s in stages
            ],
            "work_plans": [
                {
                    "id": p.id,
                    "year": p.year,
                    "unit": p.unit,
                    "measures": p.measures,
                    "milestone": p.milestone,
                    "due": p.due,
                    "percent_complete": p.percent_complete,
                    "reported_on": p.reported_on,
                }
                for p in plans
            ],
            "reviews": [
                {
                    "id": r.id,
                    "recommendation": r.recommendation,
                    "opinion": r.opinion,
                    "opinion_document": r.opinion_document,
                    "reviewed_at": r.reviewed_at,
                    "actor": r.actor,
                }
                for r in reviews
            ],
        }


def set_stage(
    engine: Engine, project_id: str, stage: str, reached_on: date, actor: str, note: str = ""
) -> None:
    """Move a project to ``stage`` (forward only: 谋划 → 开工 → 投产 → 达效)."""
    try:
        target = Stage(stage)
    except ValueError:
        raise InvalidInput(
            message(
                "error.projects.stage",
                stages=", ".join(s.value for s in Stage),
                found=repr(stage),
            )
        ) from None
    with Session(engine) as session, session.begin():
        row = session.get(ProjectRow, project_id)
        if row is None:
            raise NotFound(message("error.projects.no_project", project=project_id))
        current = Stage(row.stage)
        if STAGE_ORDER.index(target) <= STAGE_ORDER.index(current):
            raise InvalidInput(
                message(
                    "error.projects.stage_order",
                    project=project_id,
                    current=current.value,
                    found=f"{stage}",
                )
            )
        if target in (Stage.under_construction,) and row.approved_energy_tce is None:
            raise Conflict(message("error.projects.no_passed_review", project=project_id))
        row.stage = target.value
        declared = dict(row.declaration)
        declared["stage"] = target.value
        row.declaration = declared
        session.add(
            ProjectStageRow(
                project=project_id,
                stage=target.value,
                reached_on=reached_on,
                note=note,
                actor=actor,
                recorded_at=datetime.now(UTC),
            )
        )
        AuditWriter(session).append(
            actor,
            "project_stage",
            "project",
            project_id,
            {"from": current.value, "to": target.value, "on": reached_on.isoformat()},
        )


def report_work_progress(
    engine: Engine, plan_id: int, percent: float, reported_on: date, actor: str
) -> None:
    """Progress on a year's work plan, in percent complete."""
    if not 0 <= percent <= 100:
        raise InvalidInput(message("error.projects.percent", found=f"{percent}"))
    with Session(engine) as session, session.begin():
        row = session.get(ProjectWorkPlanRow, plan_id)
        if row is None:
            raise NotFound(message("error.projects.no_work_plan", plan=plan_id))
        previous = row.percent_complete
        row.percent_complete = percent
        row.reported_on = reported_on
        AuditWriter(session).append(
            actor,
            "work_plan_progress",
            "project",
            row.project,
            {"work_plan": plan_id, "percent": percent, "previous": previous},
        )
