"""重大项目 Major projects: the library, stages, the energy and carbon review, acceptance."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from carbonpeak.cli.inputs import open_database
from carbonpeak.cli.output import FormatOption, OutputFormat, console, emit, emit_json
from carbonpeak.errors import InvalidInput
from carbonpeak.messages import message
from carbonpeak.plan import load_plan
from carbonpeak.projects import label, load_project
from carbonpeak.services.projects import add_project, list_projects, report_work_progress, set_stage
from carbonpeak.services.projects_pool import release_closure
from carbonpeak.services.projects_retrofit import complete_retrofit
from carbonpeak.services.review import acceptance, record_opinion, record_review, review
from carbonpeak.services.review_report import review_report_file

project_app = typer.Typer(help="重大项目库 Major projects: library, stages, review, acceptance.")


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
    reached = _day(on, "--on")
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
        pdf.write_bytes(review_report_file(project, result, "pdf", engine))
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


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value) if value else date.today()
    except ValueError as exc:
        raise InvalidInput(message("error.date_format", option=option, found=value)) from exc


@project_app.command("progress")
def progress_command(
    work_plan: Annotated[int, typer.Argument(help="Work-plan id (carbonpeak project list).")],
    percent: Annotated[float, typer.Argument(help="Percent complete, 0 to 100.")],
    on: Annotated[str, typer.Option(help="Date reported (YYYY-MM-DD; default today).")] = "",
    actor: Annotated[str, typer.Option(help="Who reports it.")] = "office",
) -> None:
    """年度计划进展 Report progress on a project's annual work plan."""
    report_work_progress(open_database(), work_plan, percent, _day(on, "--on"), actor)
    console.print(f"work plan {work_plan}: {percent:g} %", highlight=False)


@project_app.command("opinion")
def opinion_command(
    review_id: Annotated[int, typer.Argument(help="Review id (a review kept in the library).")],
    document: Annotated[str, typer.Option(help="The opinion's document number (文号).")],
    opinion: Annotated[str, typer.Option(help="The opinion's text (审查意见).")],
    approve: Annotated[
        bool, typer.Option("--approve/--refuse", help="Approve (draws on the pool) or refuse.")
    ],
    actor: Annotated[str, typer.Option(help="Who records it.")] = "office",
) -> None:
    """审查意见 Record the office's opinion on a review; approving draws on the budget pool."""
    record_opinion(open_database(), review_id, approve, opinion, document, actor)
    verdict = label("recommendation", "pass" if approve else "refuse")
    console.print(f"review {review_id}: {verdict} ({document})", highlight=False)


@project_app.command("closure")
def closure_command(
    enterprise: Annotated[str, typer.Argument(help="Enterprise code.")],
    facility: Annotated[str, typer.Argument(help="Facility id.")],
    document: Annotated[str, typer.Option(help="The closure's document number (文号).")],
    on: Annotated[str, typer.Option(help="Date closed (YYYY-MM-DD; default today).")] = "",
    actor: Annotated[str, typer.Option(help="Who records it.")] = "office",
) -> None:
    """关闭退出 A facility closed: its accounted use is released into the budget pool."""
    freed = release_closure(
        open_database(), load_plan().plan, enterprise, facility, _day(on, "--on"), document, actor
    )
    emit_json(freed, default=str)


@project_app.command("retrofit-done")
def retrofit_done_command(
    retrofit: Annotated[int, typer.Argument(help="Retrofit-plan id (GET /api/v1/retrofits).")],
    document: Annotated[str, typer.Option(help="The acceptance document number (文号).")],
    on: Annotated[str, typer.Option(help="Date done (YYYY-MM-DD; default today).")] = "",
    actor: Annotated[str, typer.Option(help="Who records it.")] = "office",
) -> None:
    """一企一策完成 A retrofit done: its energy saving is released into the budget pool."""
    saved = complete_retrofit(open_database(), retrofit, _day(on, "--on"), document, actor)
    console.print(f"retrofit {retrofit}: {saved:,.0f} tce/a released", highlight=False)
