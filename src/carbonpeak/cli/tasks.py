"""`carbonpeak task` (progress on plan tasks) and `carbonpeak assess` (the annual assessment)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from carbonpeak.cli.inputs import EvidenceOption, open_database, plan_in_store
from carbonpeak.cli.output import FormatOption, OutputFormat, console, emit, emit_json, errors
from carbonpeak.demo import SYNTHETIC_NOTE
from carbonpeak.plan import load_plan
from carbonpeak.services.assessment import assessment
from carbonpeak.services.assessment_texts import assessment_workbook
from carbonpeak.services.tasks import report_task_progress, task_board

task_app = typer.Typer(help="任务 Progress on plan tasks.", no_args_is_help=True)
commands = typer.Typer()


@task_app.command("report")
def task_report(
    task: Annotated[str, typer.Argument(help="Task clause, e.g. 三(一)1.")],
    unit: Annotated[str, typer.Option("--by", help="Reporting unit (名称 or id).")],
    percent: Annotated[float, typer.Option(help="Percent complete, 0-100.")],
    summary: Annotated[str, typer.Option(help="What was done.")],
    milestone: Annotated[str | None, typer.Option(help="Next milestone.")] = None,
    due: Annotated[str | None, typer.Option(help="Milestone due date, YYYY-MM-DD.")] = None,
    evidence: EvidenceOption = None,
    actor: Annotated[str, typer.Option(help="Who reports (the audit log records it).")] = "cli",
) -> None:
    """进展报送 Report progress on a task, with evidence and the next milestone."""
    from datetime import date

    document, engine = plan_in_store()
    due_date = date.fromisoformat(due) if due else None
    report_task_progress(
        engine,
        document.plan,
        task,
        unit,
        date.today(),
        percent,
        summary,
        actor,
        milestone,
        due_date,
        evidence,
    )
    console.print(f"{task}: {percent:g}% recorded", highlight=False)


@task_app.command("board")
def task_board_command(
    unit: Annotated[str | None, typer.Option(help="Only this unit's tasks.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """任务看板 Tasks with their latest progress; overdue and stalled ones flagged."""
    from datetime import date

    document = load_plan()
    rows = task_board(open_database(), document.plan, date.today(), unit)
    emit(
        rows,
        fmt,
        [
            ("task", "条款 Task"),
            ("title_zh", "任务"),
            ("lead_unit", "牵头 Lead"),
            ("percent_complete", "进度 %"),
            ("reported_on", "报送 Reported"),
            ("milestone_due", "节点 Due"),
            ("flags", "标记 Flags"),
        ],
        f"任务看板 Task board · {SYNTHETIC_NOTE}",
    )


@commands.command("assess")
def assess_command(
    year: Annotated[int, typer.Option(help="Assessment year.")],
    xlsx: Annotated[Path | None, typer.Option(help="Also write the workbook here.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """年度考核 Annual scorecards per responsible unit, and the units to be named (通报约谈)."""
    result = assessment(open_database(), load_plan().plan, year)
    if xlsx is not None:
        xlsx.write_bytes(assessment_workbook(result, synthetic=True))
        errors.print(f"workbook 工作簿: {xlsx}", highlight=False)
    if fmt is OutputFormat.json:
        emit_json(result, default=str)
        return
    emit(
        result["scorecards"],
        fmt,
        [
            ("unit", "责任单位 Unit"),
            ("score", "得分 Score"),
            ("targets_assessed", "目标 Targets"),
            ("tasks", "任务 Tasks"),
            ("named", "通报约谈 Named"),
            ("reasons", "原因 Reasons"),
        ],
        f"{year} 年度考核 Annual assessment · {SYNTHETIC_NOTE}",
    )
