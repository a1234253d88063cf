"""Flat, serialisable views of a plan for listings, exports and APIs."""

from __future__ import annotations

from typing import Any

from carbonpeak.plan.model import Action, Plan, Task

__all__ = ["goal_rows", "target_rows", "task_rows"]


def target_rows(plan: Plan, year: int | None = None) -> list[dict[str, Any]]:
    """One row per quantitative target, optionally of one year, in plan order."""
    rows = []
    for target in plan.targets:
        if year is not None and target.year != year:
            continue
        indicator = plan.indicator(target.indicator)
        units = plan.responsible_units(target)
        rows.append(
            {
                "id": target.id,
                "indicator": target.indicator,
                "name_zh": indicator.name_zh,
                "name_en": indicator.name_en,
                "year": target.year,
                "measure": target.measure.value,
                "comparator": target.comparator.value,
                "value": target.value,
                "unit": target.unit,
                "baseline_year": target.baseline_year,
                "baseline_stated": target.baseline_stated,
                "strength": target.strength.value,
                "direction": indicator.direction.value,
                "value_source": indicator.value_source.value,
                "clause": target.clause,
                "quote": target.quote,
                "stated": target.stated,
                "value_reference": target.value_reference,
                "task": target.task,
                "lead_unit": units[0].name_zh,
                "responsible_units": [unit.name_zh for unit in units],
                "restated_in": [r.clause for r in target.restated_in],
                "plan": plan.version,
            }
        )
    return rows


def task_rows(plan: Plan, unit: str | None = None) -> list[dict[str, Any]]:
    """One row per task, or per task of one responsible unit (raises KeyError if unknown)."""
    selected: list[tuple[Action, Task, bool | None]]
    if unit is not None:
        selected = list(plan.tasks_of(unit))
    else:
        selected = [(action, task, None) for action, task in plan.tasks()]
    rows = []
    for action, task, lead in selected:
        units = [plan.organisation(name) for name in task.responsible_units]
        targets = [t.id for t in plan.targets if t.task == task.id]
        row: dict[str, Any] = {
            "id": task.id,
            "title_zh": task.title_zh,
            "title_en": task.title_en,
            "action": action.id,
            "action_title_zh": action.title_zh,
            "action_title_en": action.title_en,
            "lead_unit": units[0].name_zh,
            "responsible_units": [u.name_zh for u in units],
            "targets": targets,
        }
        if unit is not None:
            row["role"] = "lead" if lead else "participant"
        rows.append(row)
    return rows


def goal_rows(plan: Plan) -> list[dict[str, Any]]:
    """One row per checkable qualitative goal."""
    return [
        {
            "id": goal.id,
            "kind": goal.kind.value,
            "indicator": goal.indicator,
            "start_year": goal.start_year,
            "end_year": goal.end_year,
            "clause": goal.clause,
            "quote": goal.quote,
            "description_en": goal.description_en,
            "responsible_units": [u.name_zh for u in plan.responsible_units(goal)],
        }
        for goal in plan.goals
    ]
