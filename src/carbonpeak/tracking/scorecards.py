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

from carbonpeak.messages import text
from carbonpeak.tracking.method import tracking_method
from carbonpeak.tracking.wording import figure

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
        failing = [t for t in owned["targets"] if t["status"] in _FAILING]
        reasons = {language: _reasons(score, failing, language) for language in ("en", "zh")}
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
                "named": bool(reasons["en"]),
                "reasons": reasons["en"],
                "reasons_zh": reasons["zh"],
            }
        )
    cards.sort(key=lambda c: (c["score"] is None, c["score"] if c["score"] is not None else 0))
    return cards


def _names(targets: list[dict[str, Any]], language: str) -> str:
    """Targets by name and year (their ids are no words), for a scorecard's reason."""
    return ("、" if language == "zh" else "; ").join(
        f"{t.get('name_' + language) or t['id']} ({t['year']})" for t in targets
    )


def _reasons(score: float | None, failing: list[dict[str, Any]], language: str) -> list[str]:
    """Why a unit is named, in ``language``."""
    reasons = []
    if score is not None and score < NAMING_THRESHOLD:
        threshold = figure(NAMING_THRESHOLD)
        reasons.append(
            text("scorecard.low_score", language, score=f"{score:.1f}", threshold=threshold)
        )
    if failing:
        reasons.append(text("scorecard.failing", language, targets=_names(failing, language)))
    return reasons
