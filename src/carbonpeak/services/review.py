"""The energy and carbon review of a project against the store (节能审查 + 碳评价): its figures by
the accounting engine with the accounts' factor set, the pool years it draws on, the reference
scenario with and without it; the review and the opinion recorded; acceptance after
commissioning against the accounted months."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from carbonpeak.errors import Conflict, InvalidInput, NotFound
from carbonpeak.messages import message
from carbonpeak.plan import Plan
from carbonpeak.projects import (
    KINDS,
    Acceptance,
    LedgerEntry,
    Project,
    Review,
    Stage,
    accept,
    project_figures,
    review_project,
    review_rules,
    scenario_project,
    two_high_list,
)
from carbonpeak.services import dashboard
from carbonpeak.services.audit import AuditWriter
from carbonpeak.services.projects import get_project
from carbonpeak.services.projects_pool import existing_load, pool_years, record_entry
from carbonpeak.services.review_scenario import scenario_effect
from carbonpeak.storage.projects import ProjectReviewRow, ProjectRow

__all__ = [
    "acceptance",
    "latest_review",
    "record_opinion",
    "record_review",
    "review",
]


def review(
    engine: Engine,
    plan: Plan,
    project: Project,
    draws: int | None = None,
    seed: int | None = None,
    snap: dashboard.Snapshot | None = None,
    with_scenario: bool = True,
) -> Review:
    """Review ``project`` against the store as it is now (nothing is written)."""
    rules = review_rules()
    current = snap or dashboard.snapshot(engine, plan)
    if current.accounts is None:
        raise NotFound(message("error.review.no_accounts"))
    load_year, _ = existing_load(current)
    figures = project_figures(project, load_year, current.accounts.factor_set)
    commissioning = project.commissioning_year()
    if commissioning is None:
        raise InvalidInput(message("error.review.no_operation_date", project=project.id))
    pools = pool_years(engine, plan, commissioning, current, excluding_project=project.id)
    effect = None
    if with_scenario:
        effect, _, _ = scenario_effect(
            engine,
            plan,
            scenario_project(project, figures, commissioning),
            rules.scenario,
            draws or rules.draws,
            rules.seed if seed is None else seed,
            current,
        )
    return review_project(project, figures, pools, effect, two_high_list(), rules)


def record_review(engine: Engine, result: Review, actor: str) -> int:
    """Keep a review with the project (which must be in the library); returns its id."""
    with Session(engine) as session, session.begin():
        if session.get(ProjectRow, result.project) is None:
            raise NotFound(message("error.review.no_project", project=result.project))
        row = ProjectReviewRow(
            project=result.project,
            recommendation=result.recommendation,
            result=_jsonable(result.as_dict()),
            actor=actor,
            reviewed_at=datetime.now(UTC),
        )
        session.add(row)
        session.flush()
        AuditWriter(session).append(
            actor,
            "project_review",
            "project",
            result.project,
            {"review": row.id, "recommendation": result.recommendation},
        )
        return row.id


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float | int | str | bool) or value is None:
        return value
    return str(value)


def latest_review(engine: Engine, project_id: str) -> dict[str, Any] | None:
    with Session(engine) as session:
        row = session.scalars(
            select(ProjectReviewRow)
            .where(ProjectReviewRow.project == project_id)
            .order_by(ProjectReviewRow.id.desc())
        ).first()
        if row is None:
            return None
        return {
            "id": row.id,
            "recommendation": row.recommendation,
            "result": row.result,
            "opinion": row.opinion,
            "opinion_document": row.opinion_document,
            "reviewed_at": row.reviewed_at,
            "actor": row.actor,
        }


def record_opinion(
    engine: Engine, review_id: int, approve: bool, opinion: str, document: str, actor: str
) -> None:
    """The office's opinion (审查意见) on a review. Approving draws the project's energy and CO2
    from every pool year the review judged, under ``document``; a refused review cannot be
    approved."""
    if not document.strip():
        raise InvalidInput(message("error.review.document_number"))
    with Session(engine) as session, session.begin():
        row = session.get(ProjectReviewRow, review_id)
        if row is None:
            raise NotFound(message("error.review.no_review", review=review_id))
        if row.opinion is not None:
            raise Conflict(message("error.review.has_opinion", review=review_id))
        if approve and row.recommendation == "refuse":
            raise Conflict(message("error.review.recommends_refusal", review=review_id))
        row.opinion = opinion
        row.opinion_document = document
        project = session.get(ProjectRow, row.project)
        assert project is not None
        figures: dict[str, Any] = dict(row.result["figures"])  # type: ignore[call-overload]
        pools: list[dict[str, Any]] = list(row.result["pools"])  # type: ignore[call-overload]
        if approve:
            project.approved_energy_tce = float(figures["energy_consumption_tce"])
            project.approved_co2_t = float(figures["co2_net_t"])
        AuditWriter(session).append(
            actor,
            "project_opinion",
            "project",
            row.project,
            {"review": review_id, "approve": approve, "document": document},
        )
        project_id = row.project
    if approve:
        draws = {"energy": figures["energy_consumption_tce"], "carbon": figures["co2_net_t"]}
        for entry in pools:
            kind = str(entry["kind"])
            record_entry(
                engine,
                LedgerEntry(
                    year=int(entry["year"]),
                    kind=kind,
                    entry="draw",
                    amount=max(float(draws[kind]), 0.0),
                    unit=KINDS[kind][1],
                    document=document,
                    project=project_id,
                ),
                actor,
            )


def acceptance(
    engine: Engine, plan: Plan, project_id: str, snap: dashboard.Snapshot | None = None
) -> Acceptance:
    """验收: the facility's accounted months since commissioning against the approved figure."""
    project = get_project(engine, project_id)
    with Session(engine) as session:
        row = session.get(ProjectRow, project_id)
        assert row is not None
        approved = row.approved_energy_tce
    if approved is None:
        raise Conflict(message("error.review.no_approved_energy", project=project_id))
    if project.facility is None:
        raise InvalidInput(message("error.review.no_facility", project=project_id))
    entry = project.stage_date(Stage.in_operation)
    when = None if entry is None else entry.actual
    if when is None:
        raise Conflict(message("error.review.not_in_operation", project=project_id))
    current = snap or dashboard.snapshot(engine, plan)
    if current.accounts is None:
        raise NotFound(message("error.accounts.none"))
    totals = current.accounts.totals("facility", "month")
    chosen = totals[
        (totals["enterprise"].astype(str) == project.owner)
        & (totals["facility"].astype(str) == project.facility)
    ]
    monthly = {
        str(r["period"]): float(r["energy_consumption_tce"]) for r in chosen.to_dict("records")
    }
    return accept(
        project_id, approved, monthly, f"{when.year}-{when.month:02d}", review_rules().acceptance
    )
