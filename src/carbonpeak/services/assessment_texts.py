"""The annual assessment (services.assessment) as a reader reads it: scorecards' reasons, target
statuses, task flags and the method in the catalogue's words, and the assessment workbook (a
Chinese document with bilingual headers)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from carbonpeak.messages import has_text, number, text
from carbonpeak.tracking.scorecards import NAMING_THRESHOLD
from carbonpeak.units import unit_label

__all__ = [
    "FAILING",
    "assessment_workbook",
    "flag_text",
    "scorecard_rows",
    "status_word",
]

# The statuses that name a target's lead unit (tracking.scorecards).
FAILING = ("missed", "deterioration")


def status_word(status: str, language: str) -> str:
    """A target's status in ``language``; an unknown one as itself."""
    for key in (f"status.{status}", f"goal_status.{status}"):
        if has_text(key):
            return text(key, language)
    return status


def flag_text(flag: str, language: str) -> str:
    """A task's flag (no_report, stalled, overdue) in ``language``."""
    key = f"flag_{flag}"
    return text(key, language) if has_text(key) else flag


def scorecard_rows(result: dict[str, Any], language: str) -> list[dict[str, Any]]:
    """The scorecards with their reasons as sentences in ``language``: the score below the
    threshold, and the targets the unit leads that are missed or deteriorating (by name)."""
    rows = []
    for card in result["scorecards"]:
        reasons = []
        score = card["score"]
        if score is not None and score < NAMING_THRESHOLD:
            reasons.append(
                text(
                    "assessment.reason.score",
                    language,
                    score=number(score, language, 1),
                    threshold=number(NAMING_THRESHOLD, language, 0),
                )
            )
        failing = [
            t["name_zh"] if language == "zh" else t.get("name_en") or t["name_zh"]
            for t in result["targets"]
            if t["lead_unit"] == card["unit"] and t["status"] in FAILING
        ]
        if failing:
            reasons.append(text("assessment.reason.failing", language, targets="、".join(failing)))
        rows.append({**card, "reasons": reasons})
    return rows


def assessment_workbook(result: dict[str, Any], synthetic: bool) -> bytes:
    """The assessment as a workbook: scorecards, targets, tasks; the method and a note on top."""
    zh = "zh"
    book = Workbook()
    targets = [
        {
            **t,
            "status": status_word(t["status"], zh),
            "method": text(f"method.{t.get('method') or 'none'}", zh),
        }
        for t in result["targets"]
    ]
    tasks = [{**t, "flags": [flag_text(f, zh) for f in t["flags"]]} for t in result["tasks"]]
    sheets = [
        (
            "考核汇总 Scorecards",
            scorecard_rows(result, zh),
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
            targets,
            [
                ("clause", "条款 Clause"),
                ("name_zh", "指标 Indicator"),
                ("year", "年 Year"),
                ("target", "目标值 Target"),
                ("target_unit", "单位 Unit"),
                ("latest_value", "最新值 Latest"),
                ("status", "状态 Status"),
                ("method", "判定方法 Method"),
                ("lead_unit", "牵头 Lead"),
            ],
        ),
        (
            "任务 Tasks",
            tasks,
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
            heading = text(
                "assessment.workbook_title", zh, plan=result["plan"], year=result["year"]
            )
            note = text("report.synthetic_note", zh) if synthetic else ""
            sheet.append([f"{heading} · {note}" if note else heading])
            sheet.append([text("report.assessment_method", zh)])
            sheet.append([])
        sheet.append([header for _, header in columns])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(
                [
                    unit_label(str(row[key]))
                    if key == "target_unit" and row.get(key)
                    else _cell(row.get(key))
                    for key, _ in columns
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: object) -> object:
    if isinstance(value, list | tuple):
        return "；".join(map(str, value))
    if isinstance(value, bool):
        return text("yes" if value else "no", "zh")
    return value
