"""重大项目 Major projects: the library, stages, the energy and carbon review, acceptance."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from carbonpeak.cli.inputs import open_database
from carbonpeak.cli.output import FormatOption, OutputFormat, console, emit, emit_json
from carbonpeak.errors import Conflict, InvalidInput, NotFound
from carbonpeak.plan import load_plan
from carbonpeak.projects import label, load_project
from carbonpeak.services.projects import add_project, list_projects, set_stage
from carbonpeak.services.review import acceptance, record_review, review
from carbonpeak.services.review_report import review_report_file

project_app = typer.Typer(help="重大项目库 Major projects: library, stages, review, acceptance.")

_ERRORS = (InvalidInput, NotFound, Conflict)


@project_app.command("add")
def add_command(
    file: Annotated[Path, typer.Argument(help="Project file (YAML).")],
    actor: Annotated[str, typer.Option(help="Who adds it.")] = "office",
) -> None:
    """入库 Add a project to the library."""
    project = load_project(file)
    add_project(open_database(), project, actor)
    console.print(f"project {project.id}: {label('stage', project.stage.value)}", highlight=False)


@project_app.command("list")
def list_command(
    stage: Annotated[str | None, typer.Option(help="Only this stage.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """项目库 The library."""
    rows = list_projects(open_database(), stage)
    for row in rows:
        row["recommendation_label"] = (
            label("recommendation", row["recommendation"]) if row["recommendation"] else ""
        )
    emit(
        rows,
        fmt,
        [
            ("id", "编号 Id"),
            ("name_zh", "名称 Name"),
            ("owner", "建设单位 Owner"),
            ("stage_label", "阶段 Stage"),
            ("capacity", "产能 Capacity"),
            ("capacity_unit", "单位 Unit"),
            ("recommendation_label", "审查 Review"),
        ],
        "重大项目库 Major-project library",
    )


@project_app.command("stage")
def stage_command(
    project: Annotated[str, typer.Argument(help="Project id.")],
    stage: Annotated[str, typer.Argument(help="under_construction, in_operation, ...")],
    on: Annotated[str, typer.Option(help="Date reached (YYYY-MM-DD).")] = "",
    note: Annotated[str, typer.Option(help="Note.")] = "",
    actor: Annotated[str, typer.Option(help="Who records it.")] = "office",
) -> None:
    """阶段 Record a stage reached (谋划 → 开工 → 投产 → 达效)."""
    try:
        reached = date.fromisoformat(on) if on else date.today()
    except ValueError as exc:
        raise InvalidInput(f"--on: expected a date YYYY-MM-DD, found {on!r}") from exc
    set_stage(open_database(), project, stage, reached, actor, note)
    console.print(f"project {project}: {label('stage', stage)} {reached}", highlight=False)


@project_app.command("review")
def review_command(
    file: Annotated[Path, typer.Argument(help="Project file (YAML).")],
    draws: Annotated[int | None, typer.Option(help="Monte Carlo draws.")] = None,
    record: Annotated[
        bool, typer.Option(help="Keep the review with the project (in the library).")
    ] = False,
    pdf: Annotated[Path | None, typer.Option(help="Write the review report (PDF).")] = None,
    actor: Annotated[str, typer.Option(help="Who reviews.")] = "office",
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """节能审查 Review a project: energy, CO2, benchmark, budgets, targets and the peak."""
    engine = open_database()
    project = load_project(file)
    result = review(engine, load_plan().plan, project, draws=draws)
    if record:
        record_review(engine, result, actor)
    if pdf is not None:
        pdf.write_bytes(review_report_file(project, result, "pdf"))
    if fmt is OutputFormat.json:
        emit_json(result.as_dict(), default=str)
        return
    rows: list[dict[str, Any]] = [
        {"severity": label("severity", r.severity), "clause": r.clause, "text": r.text()}
        for r in result.reasons
    ]
    emit(
        rows,
        fmt,
        [("severity", "性质 Severity"), ("clause", "条款 Clause"), ("text", "说明 Reason")],
        f"{project.name_zh}：{label('recommendation', result.recommendation)}",
    )


@project_app.command("accept")
def accept_command(
    project: Annotated[str, typer.Argument(help="Project id.")],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """验收 Compare the accounted monthly energy with the approved figure."""
    result = acceptance(open_database(), load_plan().plan, project)
    row = result.as_dict()
    row["status_label"] = label("acceptance", result.status)
    row["months"] = f"{result.months[0]}…{result.months[-1]}" if result.months else ""
    emit(
        [row],
        fmt,
        [
            ("project", "项目 Project"),
            ("approved_tce", "批复 Approved (tce)"),
            ("accounted_tce", "核算 Accounted (tce/a)"),
            ("gap_pct", "偏差 Gap %"),
            ("tolerance_pct", "允许 Tolerance %"),
            ("months", "月份 Months"),
            ("status_label", "结论 Result"),
        ],
        "项目验收 Acceptance",
    )
    if result.status == "exceeds":
        raise typer.Exit(1)
