"""The annual assessment (监督考核): a scorecard per responsible unit from the targets and tasks
it leads, and the units to be named and summoned (通报约谈).

The plan sets no scoring scheme; this one is a stated method choice: target points by status
(achieved or on track 100, acceleration needed 60, limited progress 30, deterioration 0; not
assessable targets left out), task points by completion (less 20 for an overdue milestone, less 20
when stalled, 0 without any report), score = 70 % targets + 30 % tasks. A unit is named when its
score is below 60 or a target it leads is deteriorating.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import Engine

from carbonpeak.plan import Plan
from carbonpeak.services.indicators import IndicatorValue, track
from carbonpeak.services.tasks import task_board

__all__ = ["NAMING_THRESHOLD", "TARGET_POINTS", "assessment", "assessment_xlsx"]

TARGET_POINTS = {
    "achieved": 100.0,
    "on_track": 100.0,
    "acceleration_needed": 60.0,
    "limited_progress": 30.0,
    "deterioration": 0.0,
}
WEIGHTS = {"targets": 0.7, "tasks": 0.3}
NAMING_THRESHOLD = 60.0


def _task_points(task: dict[str, Any]) -> float:
    if "no_report" in task["flags"]:
        return 0.0
    points = min(float(task["percent_complete"] or 0), 100.0)
    points -= 20 * ("overdue" in task["flags"]) + 20 * ("stalled" in task["flags"])
    return max(points, 0.0)


def assessment(
    engine: Engine, plan: Plan, year: int, values: list[IndicatorValue] | None = None
) -> dict[str, Any]:
    """Scorecards of ``year`` (targets assessed with data up to that year, tasks at its end)."""
    targets = track(engine, plan, year, values)
    tasks = task_board(engine, plan, min(date(year, 12, 31), date.today()))
    units: dict[str, dict[str, Any]] = {}
    for row in targets:
        unit = units.setdefault(row["lead_unit"], {"targets": [], "tasks": []})
        unit["targets"].append(row)
    for row in tasks:
        unit = units.setdefault(row["lead_unit"], {"targets": [], "tasks": []})
        unit["tasks"].append(row)
    cards = []
    for name, owned in units.items():
        scored = [
            TARGET_POINTS[t["status"]] for t in owned["targets"] if t["status"] in TARGET_POINTS
        ]
        task_points = [_task_points(t) for t in owned["tasks"]]
        parts = {
            "targets": sum(scored) / len(scored) if scored else None,
            "tasks": sum(task_points) / len(task_points) if task_points else None,
        }
        weight = sum(WEIGHTS[k] for k, v in parts.items() if v is not None)
        score = (
            sum(WEIGHTS[k] * v for k, v in parts.items() if v is not None) / weight
            if weight
            else None
        )
        deteriorating = [t["id"] for t in owned["targets"] if t["status"] == "deterioration"]
        reasons = []
        if score is not None and score < NAMING_THRESHOLD:
            reasons.append(f"score {score:.1f} below {NAMING_THRESHOLD:g}")
        if deteriorating:
            reasons.append(f"deteriorating: {', '.join(deteriorating)}")
        flagged = [t["task"] for t in owned["tasks"] if t["flags"]]
        cards.append(
            {
                "unit": name,
                "score": None if score is None else round(score, 1),
                "target_score": parts["targets"],
                "task_score": parts["tasks"],
                "targets": len(owned["targets"]),
                "targets_assessed": len(scored),
                "tasks": len(owned["tasks"]),
                "flagged_tasks": flagged,
                "named": bool(reasons),
                "reasons": reasons,
            }
        )
    cards.sort(key=lambda c: (c["score"] is None, c["score"] if c["score"] is not None else 0))
    return {
        "year": year,
        "plan": plan.version,
        "method": __doc__.split("\n\n")[1].strip() if __doc__ else "",
        "scorecards": cards,
        "named": [c["unit"] for c in cards if c["named"]],
        "targets": targets,
        "tasks": tasks,
    }


def assessment_xlsx(result: dict[str, Any], note: str) -> bytes:
    """The assessment as a workbook: scorecards, targets, tasks; the method and a note on top."""
    book = Workbook()
    sheets = [
        (
            "考核汇总 Scorecards",
            result["scorecards"],
            [
                ("unit", "责任单位 Unit"),
                ("score", "得分 Score"),
                ("target_score", "目标得分 Targets"),
                ("task_score", "任务得分 Tasks"),
                ("targets_assessed", "已评目标 Assessed"),
                ("tasks", "任务数 Tasks"),
                ("named", "通报约谈 Named"),
                ("reasons", "原因 Reasons"),
            ],
        ),
        (
            "目标 Targets",
            result["targets"],
            [
                ("clause", "条款 Clause"),
                ("name_zh", "指标 Indicator"),
                ("year", "年 Year"),
                ("target", "目标值 Target"),
                ("target_unit", "单位 Unit"),
                ("latest_value", "最新值 Latest"),
                ("status", "状态 Status"),
                ("lead_unit", "牵头 Lead"),
                ("reasoning", "依据 Reasoning"),
            ],
        ),
        (
            "任务 Tasks",
            result["tasks"],
            [
                ("task", "条款 Task"),
                ("title_zh", "任务 Task"),
                ("lead_unit", "牵头 Lead"),
                ("percent_complete", "进度 %"),
                ("reported_on", "报送 Reported"),
                ("milestone_due", "节点 Due"),
                ("flags", "标记 Flags"),
            ],
        ),
    ]
    for index, (title, rows, columns) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title
        if index == 0:
            sheet.append(
                [f"{result['plan']} · {result['year']} 年度考核 annual assessment · {note}"]
            )
            sheet.append([result["method"]])
            sheet.append([])
        sheet.append([header for _, header in columns])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(
                [
                    "；".join(map(str, row.get(key) or []))
                    if isinstance(row.get(key), list)
                    else row.get(key)
                    for key, _ in columns
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
