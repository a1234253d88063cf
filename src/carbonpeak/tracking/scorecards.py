"""The annual assessment (监督考核) as a pure function: a scorecard per responsible unit from the
targets and tasks it leads, and the units to be named and summoned (通报约谈).

The plan sets no scoring scheme; this one is a stated method choice: target points by status (the
``points`` of each status in ``data/methods/tracking.yaml``: achieved or on track 100,
acceleration needed 60, limited progress 30, missed or deterioration 0; awaiting data and not
assessable targets left out), task points by completion (less 20 for an overdue milestone, less
20 when stalled, 0 without any report), score = 70 % targets + 30 % tasks. A unit is named when
its score is below 60 or a target it leads is missed or deteriorating.
"""

from __future__ import annotations

from typing import Any

from carbonpeak.tracking.method import tracking_method

__all__ = ["NAMING_THRESHOLD", "WEIGHTS", "scorecards", "target_points", "task_points"]

WEIGHTS = {"targets": 0.7, "tasks": 0.3}
NAMING_THRESHOLD = 60.0
_FAILING = ("missed", "deterioration")


def target_points(status: str) -> float | None:
    """A target's points by its status; None leaves it out of the score."""
    return tracking_method().statuses[status].points


def task_points(task: dict[str, Any]) -> float:
    """A task's points by its completion and flags."""
    if "no_report" in task["flags"]:
        return 0.0
    points = min(float(task["percent_complete"] or 0), 100.0)
    points -= 20 * ("overdue" in task["flags"]) + 20 * ("stalled" in task["flags"])
    return max(points, 0.0)


def scorecards(targets: list[dict[str, Any]], tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One scorecard per lead unit, lowest score first."""
    units: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for row in targets:
        units.setdefault(row["lead_unit"], {"targets": [], "tasks": []})["targets"].append(row)
    for row in tasks:
        units.setdefault(row["lead_unit"], {"targets": [], "tasks": []})["tasks"].append(row)
    cards = []
    for name, owned in units.items():
        scored = [
            points
            for points in (target_points(t["status"]) for t in owned["targets"])
            if points is not None
        ]
        done = [task_points(t) for t in owned["tasks"]]
        parts = {
            "targets": sum(scored) / len(scored) if scored else None,
            "tasks": sum(done) / len(done) if done else None,
        }
        weight = sum(WEIGHTS[k] for k, v in parts.items() if v is not None)
        score = (
            sum(WEIGHTS[k] * v for k, v in parts.items() if v is not None) / weight
            if weight
            else None
        )
        failing = [t["id"] for t in owned["targets"] if t["status"] in _FAILING]
        reasons = []
        if score is not None and score < NAMING_THRESHOLD:
            reasons.append(f"score {score:.1f} below {NAMING_THRESHOLD:g}")
        if failing:
            reasons.append(f"missed or deteriorating: {', '.join(failing)}")
        cards.append(
            {
                "unit": name,
                "score": None if score is None else round(score, 1),
                "target_score": parts["targets"],
                "task_score": parts["tasks"],
                "targets": len(owned["targets"]),
                "targets_assessed": len(scored),
                "tasks": len(owned["tasks"]),
                "flagged_tasks": [t["task"] for t in owned["tasks"] if t["flags"]],
                "named": bool(reasons),
                "reasons": reasons,
            }
        )
    cards.sort(key=lambda c: (c["score"] is None, c["score"] if c["score"] is not None else 0))
    return cards
