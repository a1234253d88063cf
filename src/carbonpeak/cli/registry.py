"""`carbonpeak registry`: enterprises, facilities and meters and their life (opened, changed,
closed; history kept), bulk import from the Excel registry template, key energy-using units,
and the office's review queue."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from carbonpeak.cli.inputs import open_database
from carbonpeak.cli.output import FormatOption, OutputFormat, console, emit
from carbonpeak.errors import InvalidInput
from carbonpeak.messages import message
from carbonpeak.plan import load_plan
from carbonpeak.services import dashboard
from carbonpeak.services.registry_import import import_registry, registry_template
from carbonpeak.services.registry_keyunits import apply_key_unit_flags, key_units
from carbonpeak.services.registry_life import change, close, history, open_entry
from carbonpeak.services.review_queue import queue, remind_late
from carbonpeak.services.telemetry import telemetry_store

registry_app = typer.Typer(
    help="企业登记 Enterprises, facilities and meters; import, key units, review queue.",
    no_args_is_help=True,
)
Entity = typer.Argument(help="enterprise, facility or meter.")
Fields = Annotated[
    list[str] | None,
    typer.Option("--set", "-s", help="field=value, as in the registry template (repeat)."),
]


def _fields(pairs: list[str] | None) -> dict[str, str]:
    found = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise InvalidInput(message("error.field_value", found=pair))
        found[key.strip()] = value.strip()
    return found


def _entity(entity: str) -> str:
    if entity not in ("enterprise", "facility", "meter"):
        raise InvalidInput(message("error.registry_entity", found=entity))
    return entity


@registry_app.command("add")
def add_command(
    entity: Annotated[str, Entity],
    fields: Fields = None,
    actor: Annotated[str, typer.Option(help="Who registers it.")] = "office",
) -> None:
    """登记 Register an enterprise, facility or meter: -s code=… -s credit_code=… …"""
    key = open_entry(open_database(), _entity(entity), _fields(fields), actor)
    console.print(f"registered 已登记 {entity} {key}", highlight=False)


@registry_app.command("change")
def change_command(
    entity: Annotated[str, Entity],
    key: Annotated[str, typer.Argument(help="Code; enterprise/facility; meter id.")],
    fields: Fields = None,
    reason: Annotated[str | None, typer.Option(help="Why.")] = None,
    actor: Annotated[str, typer.Option(help="Who changes it.")] = "office",
) -> None:
    """变更 Change fields of an open entry (before and after are kept)."""
    after = change(open_database(), _entity(entity), key, _fields(fields), actor, reason)
    console.print(after, highlight=False)


@registry_app.command("close")
def close_command(
    entity: Annotated[str, Entity],
    key: Annotated[str, typer.Argument(help="Code; enterprise/facility; meter id.")],
    reason: Annotated[str, typer.Option(help="Why it closes.")],
    on: Annotated[str | None, typer.Option(help="Date YYYY-MM-DD (default today).")] = None,
    actor: Annotated[str, typer.Option(help="Who closes it.")] = "office",
) -> None:
    """注销 Close an entry; it keeps its history and past reports."""
    closed_on = date.fromisoformat(on) if on else date.today()
    close(open_database(), _entity(entity), key, closed_on, actor, reason)
    console.print(f"closed 已注销 {entity} {key} {closed_on}", highlight=False)


@registry_app.command("history")
def history_command(
    enterprise: Annotated[str | None, typer.Option(help="One enterprise's.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """登记历史 The registry's life, oldest first."""
    emit(
        history(open_database(), enterprise),
        fmt,
        [
            ("effective_on", "日期 Date"),
            ("event", "事项 Event"),
            ("entity", "类别 Entity"),
            ("key", "代码 Key"),
            ("after", "变更后 After"),
            ("reason", "原因 Reason"),
            ("actor", "操作人 By"),
        ],
        "登记历史 Registry history",
    )


@registry_app.command("template")
def template_command(
    output: Annotated[Path, typer.Argument(help="Where to write the .xlsx.")],
) -> None:
    """登记模板 Write the bilingual Excel registry template."""
    output.write_bytes(registry_template())
    console.print(f"template 模板: {output}", highlight=False)


@registry_app.command("import")
def import_command(
    workbook: Annotated[Path, typer.Argument(help="The filled registry template (.xlsx).")],
    actor: Annotated[str, typer.Option(help="Who imports it.")] = "office",
) -> None:
    """批量导入 Register every row of the workbook, or none (all problems listed)."""
    result = import_registry(open_database(), workbook, actor)
    console.print(
        f"imported 已导入: {result.enterprises} enterprises, {result.facilities} facilities, "
        f"{result.meters} meters",
        highlight=False,
    )


@registry_app.command("key-units")
def key_units_command(
    apply: Annotated[
        bool, typer.Option("--apply", help="Set the registry's flags from the accounts.")
    ] = False,
    actor: Annotated[str, typer.Option(help="Who applies them.")] = "office",
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """重点用能单位 Key energy-using units by their accounts, with monitoring owed and had."""
    engine = open_database()
    snap = dashboard.snapshot(engine, load_plan().plan)
    if apply:
        changed = apply_key_unit_flags(engine, snap, telemetry_store(), actor)
        console.print(f"changed 已更新: {', '.join(changed) or '—'}", highlight=False)
        return
    emit(
        key_units(engine, snap, telemetry_store()),
        fmt,
        [
            ("enterprise", "企业 Enterprise"),
            ("year", "年 Year"),
            ("energy_gross_tce", "综合能耗 tce/a"),
            ("key_by_accounts", "按核算 By accounts"),
            ("key_registered", "登记 Registered"),
            ("carriers_owed", "应接入 Owed"),
            ("carriers_metered", "已接入 Metered"),
            ("coverage", "覆盖率 Coverage"),
            ("completeness", "完整率 Completeness"),
        ],
        "重点用能单位 Key energy-using units",
    )


@registry_app.command("queue")
def queue_command(
    month: Annotated[str | None, typer.Option(help="YYYY-MM.")] = None,
    state: Annotated[str | None, typer.Option(help="draft, submitted, accepted, returned.")] = None,
    sector: Annotated[str | None, typer.Option(help="GB/T 4754 code prefix.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """审核队列 The latest version of each enterprise-month report."""
    emit(
        queue(open_database(), month, state, sector),
        fmt,
        [
            ("id", "编号 Id"),
            ("period", "期间 Period"),
            ("enterprise", "企业 Enterprise"),
            ("version", "版本 Version"),
            ("state", "状态 State"),
            ("review_note", "意见 Note"),
        ],
        "审核队列 Review queue",
    )


@registry_app.command("remind")
def remind_command(
    month: Annotated[str, typer.Argument(help="YYYY-MM.")],
    actor: Annotated[str, typer.Option(help="Who sends them.")] = "office",
) -> None:
    """催报 Store a reminder for every enterprise overdue with the month."""
    reminded = remind_late(open_database(), month, date.today(), actor)
    console.print(f"reminded 已催报: {', '.join(reminded) or '—'}", highlight=False)
