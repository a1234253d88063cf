"""The plan: its targets and tasks are public; the organisations it names, for signed-in
callers."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from carbonpeak.api.deps import Anyone, SignedIn, WithSources
from carbonpeak.api.errors import ERRORS

router = APIRouter(prefix="/api/v1", responses=ERRORS)


@router.get("/plan", tags=["plan"])
def plan_summary(_: Anyone, src: WithSources) -> dict[str, Any]:
    """实施方案 The plan at a glance (public)."""
    the_plan = src.plan
    meta = the_plan.plan
    return {
        "id": meta.id,
        "version": the_plan.version,
        "title_zh": meta.title_zh,
        "issued": meta.issued.isoformat(),
        "base_year": meta.base_year,
        "targets": len(the_plan.targets),
        "goals": len(the_plan.goals),
        "actions": len(the_plan.actions),
        "tasks": len(the_plan.tasks()),
        "organisations": len(the_plan.organisations),
    }


@router.get("/plan/targets", tags=["plan"])
def plan_targets(
    _: Anyone,
    src: WithSources,
    year: Annotated[int | None, Query(ge=2020, le=2060)] = None,
) -> list[dict[str, Any]]:
    """量化目标 The plan's quantitative targets, each with its clause and words (public)."""
    return [t.model_dump(mode="json") for t in src.plan.targets if year is None or t.year == year]


@router.get("/plan/tasks", tags=["plan"])
def plan_tasks(
    _: Anyone,
    src: WithSources,
    unit: Annotated[str | None, Query(max_length=120)] = None,
) -> list[dict[str, Any]]:
    """重点任务 The plan's tasks with their responsible units (public)."""
    the_plan = src.plan
    selected = [(a, t) for a, t, _ in the_plan.tasks_of(unit)] if unit else the_plan.tasks()
    return [
        {
            "task": t.id,
            "action": a.id,
            "title_zh": t.title_zh,
            "title_en": t.title_en,
            "responsible_units": list(t.responsible_units),
        }
        for a, t in selected
    ]


@router.get("/organisations", tags=["plan"])
def organisations(_: SignedIn, src: WithSources) -> list[dict[str, Any]]:
    """责任单位 Departments and companies the plan names."""
    return [o.model_dump(mode="json") for o in src.plan.organisations]
