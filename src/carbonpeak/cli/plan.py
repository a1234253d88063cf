"""`carbonpeak plan`: check, show and register the plan."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from carbonpeak.cli.inputs import PlanOption, load_plan_file, open_database
from carbonpeak.cli.output import FormatOption, OutputFormat, console, emit
from carbonpeak.errors import NotFound
from carbonpeak.messages import message
from carbonpeak.plan import goal_rows, target_rows, task_rows
from carbonpeak.services.plans import register_plan

plan_app = typer.Typer(help="方案 The plan: targets, goals, actions, tasks.", no_args_is_help=True)


@plan_app.command("validate")
def plan_validate(file: Annotated[Path, typer.Argument(help="Plan file to check.")]) -> None:
    """校验方案 Check a plan file: schema, units, years, baselines, owners, quotes."""
    document = load_plan_file(file)
    plan = document.plan
    console.print(
        f"[green]✓[/green] {plan.version}: {len(plan.targets)} targets 目标, "
        f"{len(plan.goals)} goals 定性目标, {len(plan.actions)} actions 行动, "
        f"{len(plan.tasks())} tasks 任务, {len(plan.organisations)} units 责任单位; "
        f"quotes checked against {plan.plan.source_document or '(no source document)'}",
        highlight=False,
    )


@plan_app.command("show")
def plan_show(plan_file: PlanOption = None) -> None:
    """方案概览 Summarise the plan: targets by year, actions and their tasks."""
    plan = load_plan_file(plan_file).plan
    info = plan.plan
    console.print(f"[bold]{info.title_zh}[/bold]\n{info.title_en}", highlight=False)
    console.print(f"{info.issuer_zh} · {info.issued} · version {plan.version}", highlight=False)
    years = sorted({t.year for t in plan.targets})
    counts = ", ".join(f"{y}: {sum(t.year == y for t in plan.targets)}" for y in years)
    console.print(
        f"目标 Targets: {len(plan.targets)} ({counts}); 定性目标 goals: {len(plan.goals)}",
        highlight=False,
    )
    table = Table(title="行动与任务 Actions and tasks")
    for header in ("条款 Clause", "行动 Action", "任务 Tasks", "目标 Targets", "牵头 Lead"):
        table.add_column(header)
    for action in plan.actions:
        task_ids = {task.id for task in action.tasks}
        n_targets = sum(t.task in task_ids for t in plan.targets)
        lead = plan.organisation(action.tasks[0].responsible_units[0]).name_zh
        table.add_row(
            action.id,
            f"{action.title_zh}\n{action.title_en}",
            str(len(action.tasks)),
            str(n_targets),
            lead,
        )
    console.print(table)


@plan_app.command("targets")
def plan_targets(
    year: Annotated[int | None, typer.Option(help="Only targets for this year.")] = None,
    fmt: FormatOption = OutputFormat.table,
    plan_file: PlanOption = None,
) -> None:
    """目标清单 List the quantitative targets with clause, value, unit and owners."""
    plan = load_plan_file(plan_file).plan
    rows = target_rows(plan, year)
    emit(
        rows,
        fmt,
        [
            ("clause", "条款 Clause"),
            ("name_zh", "指标"),
            ("name_en", "Indicator"),
            ("year", "年 Year"),
            ("comparator", "比较 Cmp"),
            ("value", "目标值 Value"),
            ("unit", "单位 Unit"),
            ("baseline_year", "基准年 Base"),
            ("strength", "力度 Strength"),
            ("lead_unit", "牵头 Lead"),
        ],
        f"{plan.plan.title_zh} 目标 targets{f' {year}' if year else ''}",
    )


@plan_app.command("tasks")
def plan_tasks(
    unit: Annotated[str | None, typer.Option(help="Only this unit's tasks (名称 or id).")] = None,
    fmt: FormatOption = OutputFormat.table,
    plan_file: PlanOption = None,
) -> None:
    """任务清单 List tasks with their action and responsible units."""
    plan = load_plan_file(plan_file).plan
    try:
        rows = task_rows(plan, unit)
    except NotFound as exc:  # name the units that are known
        known = "、".join(o.name_zh for o in plan.organisations)
        raise NotFound(message("error.unknown_unit", unit=unit, known=known)) from exc
    columns = [
        ("id", "条款 Clause"),
        ("title_zh", "任务"),
        ("title_en", "Task"),
        ("action", "行动 Action"),
    ]
    columns += [("role", "角色 Role")] if unit else [("lead_unit", "牵头 Lead")]
    columns += [("target_count", "目标 Targets")]
    for row in rows:
        row["target_count"] = len(row["targets"])
    title = f"任务 Tasks{f' · {unit}' if unit else ''}"
    if fmt is not OutputFormat.table:
        rows = [{k: v for k, v in row.items() if k != "target_count"} for row in rows]
    emit(rows, fmt, columns, title)


@plan_app.command("goals")
def plan_goals(fmt: FormatOption = OutputFormat.table, plan_file: PlanOption = None) -> None:
    """定性目标 List the qualitative goals that are checked against data."""
    plan = load_plan_file(plan_file).plan
    emit(
        goal_rows(plan),
        fmt,
        [
            ("clause", "条款 Clause"),
            ("quote", "原文 Quote"),
            ("kind", "类型 Kind"),
            ("indicator", "指标 Indicator"),
            ("start_year", "起 From"),
            ("end_year", "止 To"),
        ],
        "定性目标 Checkable goals",
    )


@plan_app.command("register")
def plan_register(
    file: Annotated[Path | None, typer.Argument(help="Plan file (default: Ningdong).")] = None,
) -> None:
    """登记方案 Store a validated plan version and its organisations in the database."""
    document = load_plan_file(file)
    engine = open_database()
    result = register_plan(engine, document)
    state = "registered 已登记" if result.created else "already registered 已存在, unchanged"
    console.print(
        f"{document.plan.version}: {state} (sha256 {result.sha256[:12]}…)", highlight=False
    )
