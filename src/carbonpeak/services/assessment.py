"""The annual assessment (监督考核) of a year, from what the store knew on the year's assessment
date: the rules and the scoring are the core's (:mod:`carbonpeak.tracking.scorecards`)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import Engine

from carbonpeak.accounting import Accounts
from carbonpeak.plan import Plan
from carbonpeak.services.indicators import assessment_values, track
from carbonpeak.services.tasks import task_board
from carbonpeak.tracking import scorecards as scoring

__all__ = ["NAMING_THRESHOLD", "assessment", "assessment_xlsx"]

NAMING_THRESHOLD = scoring.NAMING_THRESHOLD


def assessment(
    engine: Engine, plan: Plan, year: int, accounts: Accounts | None = None
) -> dict[str, Any]:
    """Scorecards of ``year``: targets judged with the values up to that year that were known on
    its assessment date, tasks by the reports dated up to it; ``accounts`` saves accounting the
    accepted reports again."""
    cut, values = assessment_values(engine, plan, year, accounts)
    targets = track(engine, plan, year, values, as_of=cut)
    tasks = task_board(engine, plan, cut)
    cards = scoring.scorecards(targets, tasks)
    return {
        "year": year,
        "plan": plan.version,
        "assessment_date": cut.isoformat(),
        "method": scoring.__doc__.split("\n\n")[1].strip() if scoring.__doc__ else "",
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
