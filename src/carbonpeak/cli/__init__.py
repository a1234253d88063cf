"""The ``carbonpeak`` command line: formatting and exit codes only; the work happens below."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import pandas as pd
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from sqlalchemy import Engine

from carbonpeak import __version__
from carbonpeak.accounting import (
    ADDITIVE_METRICS,
    BOUNDARY_METRICS,
    ENTERPRISE_SUM_NOTE,
    Accounts,
    Restatement,
    account,
    benchmark_capacity_share,
    check,
    factor_set_ids,
    lineage,
    parse_activity,
    read_activity,
    read_table,
    restate,
    unit_product_energy,
)
from carbonpeak.accounting.template import write_template
from carbonpeak.datafile import DataFileError, Problem
from carbonpeak.demo import SYNTHETIC_NOTE, generate, last_full_month
from carbonpeak.factors import load_all, load_dataset
from carbonpeak.plan import PlanDocument, goal_rows, load_plan, target_rows, task_rows
from carbonpeak.scenarios import iamc_table, load_scenario, scenario_ids
from carbonpeak.services import audit, dashboard
from carbonpeak.services.accounts import (
    AccountError,
    Role,
    add_user,
    create_token,
    set_active,
    users,
)
from carbonpeak.services.assessment import assessment, assessment_xlsx
from carbonpeak.services.demo import demo_accounts, load_demo
from carbonpeak.services.indicator_reports import IndicatorReportError, report_indicator
from carbonpeak.services.indicators import (
    co2_decomposition_table,
    indicator_values,
    monthly_indicator_values,
    track_goals,
)
from carbonpeak.services.plans import PlanVersionConflict, register_plan
from carbonpeak.services.publications import (
    PublicationError,
    compare_with_publication,
    publications,
    publish,
    restate_publication,
)
from carbonpeak.services.registry import enterprises
from carbonpeak.services.report_tables import COMPARATOR_SIGN
from carbonpeak.services.reports import report_file
from carbonpeak.services.scenarios import compare as compare_scenarios
from carbonpeak.services.scenarios import run as run_scenario
from carbonpeak.services.scenarios import summary as scenario_summary
from carbonpeak.services.submissions import (
    SubmissionError,
    accepted_activity,
    ingest,
    review,
    submit_draft,
    template_rows,
)
from carbonpeak.services.tasks import TaskProgressError, report_task_progress, task_board
from carbonpeak.services.telemetry import (
    MqttConsumer,
    ingest_readings,
    meters,
    quality_report,
    telemetry_activity,
    telemetry_store,
)
from carbonpeak.services.warnings import budget_warnings, set_budget
from carbonpeak.storage import TelemetryStore, data_directory, database_url, make_engine, upgrade
from carbonpeak.tracking import decompose_table
from carbonpeak.tracking.method import goal_status_label, status_label
from carbonpeak.units import unit_label

__all__ = ["app", "main"]

app = typer.Typer(
    help="carbonpeak 碳达峰管理平台: the carbon-peak plan as a working management system.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
plan_app = typer.Typer(help="方案 The plan: targets, goals, actions, tasks.", no_args_is_help=True)
db_app = typer.Typer(help="数据库 The database.", no_args_is_help=True)
reference_app = typer.Typer(
    help="参考数据 Reference data: coefficients, factors, levels.", no_args_is_help=True
)
app.add_typer(plan_app, name="plan")
app.add_typer(db_app, name="db")
app.add_typer(reference_app, name="reference")
publication_app = typer.Typer(
    help="发布 Published accounts: frozen once published, restated only as a new version.",
    no_args_is_help=True,
)
app.add_typer(publication_app, name="publication")
audit_app = typer.Typer(help="审计 The hash-chained audit log.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
task_app = typer.Typer(help="任务 Progress on plan tasks.", no_args_is_help=True)
app.add_typer(task_app, name="task")
monitor_app = typer.Typer(
    help="在线监测 Online energy monitoring: meters, readings, quality.", no_args_is_help=True
)
app.add_typer(monitor_app, name="monitor")
scenario_app = typer.Typer(
    help="情景 Scenarios: projections from the accounted base year, with uncertainty.",
    no_args_is_help=True,
)
app.add_typer(scenario_app, name="scenario")
user_app = typer.Typer(help="用户 Accounts and API tokens.", no_args_is_help=True)
app.add_typer(user_app, name="user")

# Wide enough for bilingual tables when output is piped (rich assumes 80 columns there).
console = Console(width=None if sys.stdout.isatty() else 140)
errors = Console(stderr=True)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


PlanOption = Annotated[
    Path | None,
    typer.Option(
        "--plan", envvar="CARBONPEAK_PLAN", help="Plan file 方案文件 (default: Ningdong)."
    ),
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]


def _load(path: Path | None) -> PlanDocument:
    try:
        return load_plan(path)
    except DataFileError as exc:
        _fail(exc)


def _fail(exc: Exception | str, code: int = 1) -> NoReturn:
    errors.print(f"[red]错误 error[/red]: {exc}", markup=True, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _emit(
    rows: list[dict[str, Any]], fmt: OutputFormat, columns: list[tuple[str, str]], title: str
) -> None:
    """Print rows as a table (the given columns), JSON (every field) or CSV (every field)."""
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt is OutputFormat.csv:
        buffer = io.StringIO()
        # Every field of every row (a base row carries its parts beside the units' metrics).
        fields = list(dict.fromkeys(k for row in rows for k in row)) or [k for k, _ in columns]
        writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n", restval="")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {k: "、".join(map(str, v)) if isinstance(v, list) else v for k, v in row.items()}
            )
        sys.stdout.write(buffer.getvalue())
        return
    table = Table(title=title, show_lines=False)
    for key, header in columns:
        # Chinese names and clause ids stay on one line; English wraps.
        table.add_column(
            header, no_wrap=key in {"clause", "id", "name_zh", "title_zh", "dataset", "kind"}
        )
    for row in rows:
        table.add_row(*(_cell(row.get(key)) for key, _ in columns))
    console.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(map(str, value))
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.6g}"
    return str(value)


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    ctx.call_on_close(_dispose_engines)
    if version:
        console.print(f"carbonpeak {__version__}")
        raise typer.Exit()


@plan_app.command("validate")
def plan_validate(file: Annotated[Path, typer.Argument(help="Plan file to check.")]) -> None:
    """校验方案 Check a plan file: schema, units, years, baselines, owners, quotes."""
    document = _load(file)
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
    plan = _load(plan_file).plan
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
    plan = _load(plan_file).plan
    rows = target_rows(plan, year)
    _emit(
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
    plan = _load(plan_file).plan
    try:
        rows = task_rows(plan, unit)
    except KeyError:
        known = "、".join(o.name_zh for o in plan.organisations)
        _fail(ValueError(f"unknown unit {unit!r}; known units: {known}"), code=2)
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
    _emit(rows, fmt, columns, title)


@plan_app.command("goals")
def plan_goals(fmt: FormatOption = OutputFormat.table, plan_file: PlanOption = None) -> None:
    """定性目标 List the qualitative goals that are checked against data."""
    plan = _load(plan_file).plan
    _emit(
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
    document = _load(file)
    engine = _store()
    try:
        result = register_plan(engine, document)
    except PlanVersionConflict as exc:
        _fail(exc)
    state = "registered 已登记" if result.created else "already registered 已存在, unchanged"
    console.print(
        f"{document.plan.version}: {state} (sha256 {result.sha256[:12]}…)", highlight=False
    )


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """升级数据库 Create or migrate the schema (CARBONPEAK_DATABASE_URL, else SQLite)."""
    url = database_url()
    engine = make_engine(url)
    _ENGINES.append(engine)
    upgrade(engine, revision)
    shown = url.split("@")[-1] if "@" in url else url
    console.print(f"database 数据库 at {shown}: upgraded to {revision}", highlight=False)


@reference_app.command("list")
def reference_list(fmt: FormatOption = OutputFormat.table) -> None:
    """参考数据清单 List reference datasets with edition, validity and verification status."""
    rows = []
    for dataset in load_all():
        statuses = [record.status.value for record in dataset.records]
        rows.append(
            {
                "kind": dataset.kind.value,
                "dataset": dataset.version,
                "document": dataset.document,
                "valid_from": str(dataset.valid_from),
                "valid_to": str(dataset.valid_to) if dataset.valid_to else None,
                "records": len(dataset.records),
                "verified": statuses.count("verified"),
                "secondary": statuses.count("secondary"),
                "unverified": statuses.count("unverified"),
                "sha256": dataset.sha256,
            }
        )
    _emit(
        rows,
        fmt,
        [
            ("kind", "类别 Kind"),
            ("dataset", "数据集 Dataset"),
            ("valid_from", "起 From"),
            ("valid_to", "止 To"),
            ("records", "条 Records"),
            ("verified", "已核 Verified"),
            ("secondary", "二手 Secondary"),
            ("unverified", "未核 Unverified"),
        ],
        "参考数据 Reference data",
    )


@reference_app.command("show")
def reference_show(
    dataset: Annotated[str, typer.Argument(help="Dataset id, e.g. gbt2589.")],
    edition: Annotated[str | None, typer.Option(help="Edition (default: newest).")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """参考数据明细 Show one dataset's records with status, source and validity."""
    try:
        found = load_dataset(dataset, edition)
    except KeyError as exc:
        _fail(exc, code=2)
    rows = [record.model_dump(mode="json", exclude_none=True) for record in found.records]
    _emit(
        rows,
        fmt,
        [
            ("key", "键 Key"),
            ("name_zh", "名称"),
            ("status", "状态 Status"),
            ("valid_from", "起 From"),
            ("valid_to", "止 To"),
            ("source", "来源 Source"),
        ],
        f"{found.title_zh or ''} {found.version}",
    )


class Frequency(StrEnum):
    month = "month"
    year = "year"


class AccountLevel(StrEnum):
    facility = "facility"
    enterprise = "enterprise"
    sector = "sector"
    division = "division"
    enterprise_sum = "enterprise_sum"  # units' scope 1 + 2 summed: not a base total
    base = "base"  # the regional view, with its parts


LEVEL_NOTES = {
    "base": "全基地 = 各单位直接排放 + 净调入电力、热力排放（净调出为负）− 捕集; base total: "
    "direct CO2 of every unit + net imported electricity and heat (negative for a net exporter) "
    "− captured; trades between units net out",
    "enterprise_sum": "各单位范围一+二之和，非基地总量 · " + ENTERPRISE_SUM_NOTE,
}
BASE_PARTS = [
    ("co2_direct_t", "直接 direct tCO2"),
    ("co2_net_imported_electricity_t", "净调入电力 net imported electricity tCO2"),
    ("co2_net_imported_heat_t", "净调入热力 net imported heat tCO2"),
]


ACCOUNT_COLUMNS = [
    ("energy_consumption_tce", "综合能耗(扣原料) tce"),
    ("feedstock_energy_tce", "原料用能 tce"),
    ("energy_gross_tce", "综合能耗(含原料) tce"),
    ("co2_total_t", "CO2 tCO2"),
    ("co2_captured_t", "捕集 captured tCO2"),
    ("co2_net_t", "CO2 净 net tCO2"),
]


def _account_file(file: Path | None, factors: str) -> Accounts:
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
    ) as progress:
        name = file.name if file else "accepted reports 已受理月报"
        step = progress.add_task(f"读取 reading {name}", total=None)
        try:
            if file is None:
                activity = parse_activity(accepted_activity(_store()), "accepted reports")
            else:
                activity = read_activity(file)
            progress.update(step, description=f"核算 accounting {len(activity):,} rows")
            return account(activity, factors)
        except DataFileError as exc:
            progress.stop()
            _fail(exc)
        except KeyError as exc:
            progress.stop()
            _fail(ValueError(str(exc).strip('"')), code=2)


def _records(frame: Any) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", force_ascii=False))
    return records


def _print_factor_changes(report: Restatement) -> None:
    for label, entries in (
        ("旧 removed", report.factors_removed),
        ("新 added", report.factors_added),
    ):
        for entry in entries:
            console.print(
                f"{label}: {entry['source']} = {entry['value']:g} {entry['unit']} "
                f"({entry['status']})",
                highlight=False,
            )


@app.command("account")
def account_command(
    file: Annotated[
        Path | None,
        typer.Argument(help="Activity table (.csv, .parquet); default: accepted reports."),
    ] = None,
    factors: Annotated[
        str, typer.Option(help=f"Factor set: {', '.join(factor_set_ids())}.")
    ] = "ningxia",
    fmt: FormatOption = OutputFormat.table,
    level: Annotated[AccountLevel, typer.Option(help="Roll-up level.")] = AccountLevel.enterprise,
    frequency: Annotated[Frequency, typer.Option(help="Months or years.")] = Frequency.month,
    compare: Annotated[
        str | None, typer.Option(help="Restate with this factor set and report what changes.")
    ] = None,
    show_lineage: Annotated[
        str | None,
        typer.Option("--lineage", help="Print the lineage of one enterprise's result (JSON)."),
    ] = None,
    period: Annotated[str | None, typer.Option(help="With --lineage: YYYY-MM or YYYY.")] = None,
    benchmark: Annotated[
        bool,
        typer.Option(
            "--benchmark",
            help="Unit-product energy against efficiency levels, per facility and "
            "year, and the share at the benchmark per product.",
        ),
    ] = False,
) -> None:
    """核算 Account energy (tce) and CO2 per enterprise and period, with a base total."""
    result = _account_file(file, factors)
    if benchmark:
        values = unit_product_energy(result)
        shares = benchmark_capacity_share(values)
        if fmt is OutputFormat.json:
            sys.stdout.write(
                json.dumps(
                    {"facilities": _records(values), "shares": _records(shares)},
                    ensure_ascii=False,
                    indent=2,
                )
                + "\n"
            )
            return
        _emit(
            _records(values),
            fmt,
            [
                ("enterprise", "企业 Enterprise"),
                ("facility", "装置 Facility"),
                ("year", "年 Year"),
                ("product", "产品 Product"),
                ("unit_value", "单耗 Value"),
                ("unit", "单位 Unit"),
                ("levels", "依据 Levels"),
                ("position", "水平 Position"),
            ],
            "单位产品能耗对标 Unit-product energy against efficiency levels",
        )
        if fmt is OutputFormat.table:
            _emit(
                _records(shares),
                fmt,
                [
                    ("product", "产品 Product"),
                    ("year", "年 Year"),
                    ("share_pct", "标杆以上 % at benchmark"),
                    ("facilities", "装置数 Facilities"),
                    ("weighting", "权重 Weighting"),
                ],
                "标杆水平以上产能比例 Share at the benchmark",
            )
        return
    if show_lineage is not None:
        try:
            trail = lineage(result, show_lineage, period)
        except KeyError as exc:
            _fail(ValueError(str(exc).strip('"')), code=2)
        sys.stdout.write(json.dumps(trail, ensure_ascii=False, indent=2) + "\n")
        return
    if compare is not None:
        try:
            other = account(result.rows, compare)
        except KeyError as exc:
            _fail(ValueError(str(exc).strip('"')), code=2)
        report = restate(result, other, level.value, frequency.value)
        payload = {
            "old_factor_set": report.old_factor_set,
            "new_factor_set": report.new_factor_set,
            "factors_removed": report.factors_removed,
            "factors_added": report.factors_added,
            "changes": _records(report.changes),
        }
        if fmt is OutputFormat.json:
            sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
            return
        _print_factor_changes(report)
        key = "enterprise" if level is AccountLevel.enterprise else level.value
        time_key = "period" if frequency is Frequency.month else "year"
        _emit(
            _records(report.changes),
            fmt,
            [
                (key, "单元 Unit"),
                (time_key, "期间 Period"),
                ("co2_total_t_old", f"CO2 {report.old_factor_set}"),
                ("co2_total_t_new", f"CO2 {report.new_factor_set}"),
                ("co2_total_t_change", "变化 change tCO2"),
            ],
            f"重述 Restatement {report.old_factor_set} → {report.new_factor_set}",
        )
        return
    time_key = "period" if frequency is Frequency.month else "year"
    rows = _records(result.totals(level.value, frequency.value))
    base = _records(result.totals("base", frequency.value))
    problems = check(result)
    for problem in problems:
        errors.print(f"[yellow]核对 check[/yellow]: {problem}", highlight=False)
    if fmt is OutputFormat.json:
        sys.stdout.write(
            json.dumps(
                {
                    "source": result.source,
                    "factor_set": result.factor_set,
                    "datasets": result.factors.datasets(),
                    "factors": result.factor_values(),
                    "units": {
                        k: u for k, (u, _) in {**ADDITIVE_METRICS, **BOUNDARY_METRICS}.items()
                    },
                    "level": level.value,
                    "level_note": LEVEL_NOTES.get(level.value),
                    "rows": rows,
                    "base": base,
                    "problems": [str(p) for p in problems],
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
        return
    key = level.value
    for row in base:
        row[key] = "全基地 BASE"
    # At the base level the rows are the base total; its parts are shown beside it.
    table_rows = base if level is AccountLevel.base else rows + base
    columns = [*ACCOUNT_COLUMNS, *BASE_PARTS] if level is AccountLevel.base else ACCOUNT_COLUMNS
    if fmt is OutputFormat.table:
        for row in table_rows:
            for metric, _ in columns:
                row[metric] = f"{row[metric]:,.1f}"
    _emit(
        table_rows,
        fmt,
        [(key, "单元 Unit"), (time_key, "期间 Period"), *columns],
        f"能耗与碳排放 Energy and CO2 · factor set {result.factor_set}",
    )
    if fmt is OutputFormat.table and level.value in LEVEL_NOTES:
        console.print(LEVEL_NOTES[level.value], highlight=False)
    if fmt is OutputFormat.table:
        unverified = sum(f["status"] == "unverified" for f in result.factor_values())
        console.print(
            f"datasets: {', '.join(result.factors.datasets())}; "
            f"{len(result.factor_values())} reference values used, {unverified} "
            f"unverified (see --lineage)",
            highlight=False,
        )


_ENGINES: list[Engine] = []


def _store() -> Engine:
    """The configured store, migrated; disposed when the command ends."""
    engine = make_engine()
    upgrade(engine)
    _ENGINES.append(engine)
    return engine


def _dispose_engines() -> None:
    while _ENGINES:
        _ENGINES.pop().dispose()


@publication_app.command("publish")
def publication_publish(
    name: Annotated[str, typer.Argument(help="Publication name, e.g. 2024-annual.")],
    file: Annotated[Path, typer.Argument(help="Activity table.")],
    factors: Annotated[str, typer.Option(help="Factor set.")] = "ningxia",
) -> None:
    """发布 Account a table and publish the results, frozen, as version 1 of NAME."""
    result = _account_file(file, factors)
    try:
        published = publish(_store(), result, name)
    except PublicationError as exc:
        _fail(exc)
    console.print(
        f"{name} v{published.version}: {len(published.results)} enterprise-months, "
        f"factor set {published.factor_set}",
        highlight=False,
    )


@publication_app.command("list")
def publication_list(
    name: Annotated[str | None, typer.Argument(help="Only this publication.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """发布清单 List publications and their versions."""
    rows = [
        {
            "name": p.name,
            "version": p.version,
            "factor_set": p.factor_set,
            "published_at": p.published_at.isoformat(timespec="seconds"),
            "supersedes": p.supersedes_version,
            "reason": p.reason,
            "results": len(p.results),
        }
        for p in publications(_store(), name)
    ]
    _emit(
        rows,
        fmt,
        [
            ("name", "名称 Name"),
            ("version", "版本 Version"),
            ("factor_set", "因子集 Factors"),
            ("published_at", "发布 Published"),
            ("supersedes", "替代 Supersedes"),
            ("reason", "原因 Reason"),
        ],
        "已发布核算 Published accounts",
    )


@publication_app.command("restate")
def publication_restate(
    name: Annotated[str, typer.Argument(help="Publication to restate.")],
    file: Annotated[Path, typer.Argument(help="Activity table.")],
    factors: Annotated[str, typer.Option(help="Factor set to restate with.")] = "ningxia",
    reason: Annotated[
        str | None,
        typer.Option(
            help="Why; with a reason the restatement is published as a new version, without one "
            "the report is shown and the publication stays frozen."
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """重述 Report what restating NAME would change; with --reason, publish the new version."""
    result = _account_file(file, factors)
    engine = _store()
    try:
        report = compare_with_publication(engine, name, result)
    except PublicationError as exc:
        _fail(exc)
    rows = _records(report.changes)
    if fmt is OutputFormat.json:
        sys.stdout.write(
            json.dumps(
                {
                    "factors_removed": report.factors_removed,
                    "factors_added": report.factors_added,
                    "changes": rows,
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    else:
        _print_factor_changes(report)
        _emit(
            rows,
            fmt,
            [
                ("enterprise", "企业 Enterprise"),
                ("period", "期间 Period"),
                ("co2_total_t_old", "CO2 published"),
                ("co2_total_t_new", "CO2 restated"),
                ("co2_total_t_change", "变化 change"),
            ],
            f"重述 Restating {name} with {factors}",
        )
    if reason is None:
        errors.print("no --reason: the publication stays frozen 未重述", highlight=False)
        return
    try:
        published = restate_publication(engine, name, result, reason)
    except PublicationError as exc:
        _fail(exc)
    errors.print(
        f"{name} v{published.version} published, superseding v{published.supersedes_version}",
        highlight=False,
    )


@app.command("demo")
def demo_command(
    end: Annotated[
        str | None, typer.Option(help="Last month (default: the last full month).")
    ] = None,
) -> None:
    """演示基地 Load the synthetic demo base into the store (合成数据, synthetic)."""
    _load_demo(_store(), telemetry_store(), end)


def _load_demo(engine: Engine, store: TelemetryStore, end: str | None = None) -> dict[str, int]:
    """Load the demo base with progress bars; returns what was added."""
    month = end or last_full_month(pd.Timestamp.today())
    document = load_plan()
    base = generate(month, document.plan)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=errors,
    ) as progress:
        tasks: dict[str, Any] = {}

        def step(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = progress.add_task(name, total=total)
            progress.update(tasks[name], completed=done)

        counts = load_demo(engine, base, document, step, store)
    console.print(
        f"{SYNTHETIC_NOTE}\n{len(base.enterprises)} enterprises, months "
        f"{base.months[0]}–{base.months[-1]}: " + ", ".join(f"{k} +{v}" for k, v in counts.items()),
        highlight=False,
    )
    return counts


@app.command("ingest")
def ingest_command(
    file: Annotated[
        Path, typer.Argument(help="Report file: .xlsx template, .csv, .parquet, .json.")
    ],
    reason: Annotated[
        str | None, typer.Option(help="Why, when this amends stored reports.")
    ] = None,
    draft: Annotated[bool, typer.Option(help="Keep as draft instead of submitting.")] = False,
    actor: Annotated[str, typer.Option(help="Who submits.")] = "cli",
) -> None:
    """报送 Ingest enterprise reports: validated whole; nothing is written if anything is wrong."""
    try:
        raw = read_table(file)
        result = ingest(_store(), raw, str(file), actor, reason, "draft" if draft else "submitted")
    except DataFileError as exc:
        _fail(exc)
    console.print(
        f"{len(result.created)} submissions stored ({result.amended} amendments), "
        f"{result.unchanged} unchanged",
        highlight=False,
    )


@app.command("template")
def template_command(
    enterprise: Annotated[str, typer.Argument(help="Enterprise code.")],
    month: Annotated[
        str | None, typer.Option(help="Report month (default: last full month).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Output .xlsx (default: <code>-<month>.xlsx).")
    ] = None,
) -> None:
    """报表模板 Write the bilingual Excel report template of one enterprise."""
    period = month or last_full_month(pd.Timestamp.today())
    try:
        row, rows = template_rows(_store(), enterprise)
    except SubmissionError as exc:
        _fail(exc, code=2)
    target = out or Path(f"{enterprise}-{period}.xlsx")
    target.write_bytes(
        write_template(enterprise, row.name_zh, row.sector_code, period, rows, row.synthetic)
    )
    console.print(f"template 模板: {target} ({len(rows)} pre-filled rows)", highlight=False)


@app.command("review")
def review_command(
    submission: Annotated[int, typer.Argument(help="Submission id.")],
    accept: Annotated[bool, typer.Option("--accept/--return", help="Accept or return.")],
    note: Annotated[str | None, typer.Option(help="Note (required to return).")] = None,
    actor: Annotated[str, typer.Option(help="Who reviews.")] = "office",
) -> None:
    """审核 Accept a submitted report, or return it with a note."""
    try:
        row = review(_store(), submission, accept, actor, note)
    except SubmissionError as exc:
        _fail(exc)
    console.print(f"submission {submission}: {row.state}", highlight=False)


@app.command("submit")
def submit_command(
    submission: Annotated[int, typer.Argument(help="Draft submission id.")],
    actor: Annotated[str, typer.Option(help="Who submits.")] = "cli",
) -> None:
    """提交 Submit a draft report to the office."""
    try:
        submit_draft(_store(), submission, actor)
    except SubmissionError as exc:
        _fail(exc)
    console.print(f"submission {submission}: submitted", highlight=False)


@audit_app.command("verify")
def audit_verify(
    head: Annotated[
        str | None,
        typer.Option(help="A head the office recorded (SEQ:HASH, from audit checkpoint)."),
    ] = None,
) -> None:
    """校验审计链 Check the audit log: its hash chain, its anchor outside the database, and the
    stored reports against it; exit 1 naming every break (docs/audit.md says what to do)."""
    exported = None
    if head is not None:
        seq, _, digest = head.partition(":")
        if not seq.isdigit() or not digest:
            _fail(f"--head expects SEQ:HASH as printed by audit checkpoint, found {head!r}")
        exported = (int(seq), digest.strip())
    count, problems = audit.verify(_store(), exported)
    for problem in problems:
        errors.print(f"[red]✗[/red] {problem}", highlight=False)
    if problems:
        errors.print(
            f"审计日志校验失败 audit log BROKEN: {len(problems)} problem(s) in {count} entries; "
            "follow the procedure in docs/audit.md",
            highlight=False,
        )
        raise typer.Exit(1)
    console.print(f"[green]✓[/green] audit log intact: {count} entries", highlight=False)


@audit_app.command("checkpoint")
def audit_checkpoint() -> None:
    """锚定 Anchor the log's current head outside the database and print it for the office's
    records (for a log kept before anchors existed, or after a break has been dealt with)."""
    head = audit.checkpoint(_store())
    if head is None:
        console.print("audit log empty: nothing to anchor", highlight=False)
        return
    console.print(f"anchored audit entry {head[0]}:{head[1]}", highlight=False)


@app.command("enterprises")
def enterprises_command(fmt: FormatOption = OutputFormat.table) -> None:
    """企业名录 List registered enterprises."""
    rows = _records(enterprises(_store()))
    _emit(
        rows,
        fmt,
        [
            ("code", "代码 Code"),
            ("name_zh", "名称"),
            ("sector", "行业 Sector"),
            ("key_energy_unit", "重点用能 Key"),
            ("synthetic", "合成 Synthetic"),
        ],
        "企业名录 Enterprises",
    )


@app.command("report-indicator")
def report_indicator_command(
    indicator: Annotated[str, typer.Argument(help="Indicator id, e.g. rail_freight_share.")],
    year: Annotated[int, typer.Argument(help="Year.")],
    value: Annotated[float, typer.Argument(help="Value.")],
    unit: Annotated[str, typer.Option(help="Unit of the value.")],
    reporting_unit: Annotated[str, typer.Option("--by", help="Reporting unit (名称 or id).")],
    evidence: Annotated[Path | None, typer.Option(help="Evidence file to attach.")] = None,
    reason: Annotated[str | None, typer.Option(help="Why, when correcting a report.")] = None,
    actor: Annotated[str, typer.Option(help="Who reports.")] = "cli",
) -> None:
    """指标报送 Report a plan indicator's value, with evidence."""
    document = load_plan()
    engine = _store()
    register_plan(engine, document)  # its organisations must be in the store
    try:
        row = report_indicator(
            engine,
            document.plan,
            indicator,
            year,
            value,
            unit,
            reporting_unit,
            actor,
            evidence,
            reason,
        )
    except (IndicatorReportError, KeyError) as exc:
        _fail(ValueError(str(exc).strip('"')))
    console.print(
        f"{indicator} {year} = {value:g} {unit} recorded"
        + (f"; evidence sha256 {row.evidence_sha256[:12]}…" if row.evidence_sha256 else ""),
        highlight=False,
    )


StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="Telemetry directory (default: <data dir>/telemetry)."),
]


@monitor_app.command("subscribe")
def monitor_subscribe(
    host: Annotated[str, typer.Option(help="MQTT broker host.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="MQTT broker port.")] = 1883,
    topic: Annotated[str, typer.Option(help="Topic filter.")] = "carbonpeak/telemetry/#",
    client_id: Annotated[str, typer.Option(help="Persistent session id.")] = "carbonpeak-consumer",
    store: StoreOption = None,
) -> None:
    """订阅 Consume meter readings over MQTT (QoS 1, persistent session) until interrupted."""
    registry = meters(_store())
    _dispose_engines()
    errors.print(
        f"subscribing to {topic} on {host}:{port} for {len(registry)} meters", highlight=False
    )
    MqttConsumer(telemetry_store(store), registry, host, port, topic, client_id).run()


@monitor_app.command("ingest")
def monitor_ingest(
    file: Annotated[Path, typer.Argument(help="JSON list of readings {meter, ts, value, unit}.")],
    store: StoreOption = None,
) -> None:
    """批量导入 Ingest a batch of readings, as an HTTP upload would."""
    try:
        records = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        _fail(DataFileError(str(file), [Problem("file", f"not a JSON list of readings: {exc}")]))
    if not isinstance(records, list):
        _fail(ValueError(f"{file}: expected a JSON list of readings"))
    counts = ingest_readings(telemetry_store(store), meters(_store()), records)
    console.print(", ".join(f"{k} {v}" for k, v in counts.items()), highlight=False)


@monitor_app.command("activity")
def monitor_activity(
    month: Annotated[str | None, typer.Option(help="Only this month, YYYY-MM.")] = None,
    store: StoreOption = None,
) -> None:
    """计量能耗 Metered monthly energy as an activity table (CSV) for carbonpeak account."""
    frame = telemetry_activity(_store(), telemetry_store(store), month)
    sys.stdout.write(frame.to_csv(index=False))


@monitor_app.command("quality")
def monitor_quality(
    enterprise: Annotated[str | None, typer.Option(help="Only this enterprise.")] = None,
    month: Annotated[str | None, typer.Option(help="Only this month, YYYY-MM.")] = None,
    level: Annotated[
        str, typer.Option(help="enterprise (score), meter, daily or monthly (energy).")
    ] = "enterprise",
    fmt: FormatOption = OutputFormat.table,
    store: StoreOption = None,
) -> None:
    """数据质量 Data quality of online monitoring per enterprise and month (score 0-100)."""
    frame = quality_report(_store(), telemetry_store(store), enterprise, month, level)
    if frame.empty:
        _fail(ValueError("no readings in the telemetry store"), code=2)
    rows = _records(frame)
    columns = {
        "enterprise": [
            ("enterprise", "企业 Enterprise"),
            ("month", "月 Month"),
            ("completeness", "完整率 Completeness"),
            ("max_deviation", "偏差 Deviation"),
            ("off_grid", "时标 Off-grid"),
            ("bad_values", "异常值 Bad"),
            ("max_gap_minutes", "最长中断 Gap min"),
            ("expired_meters", "过检 Expired"),
            ("quality_score", "评分 Score"),
        ],
        "meter": [
            ("meter", "表计 Meter"),
            ("month", "月 Month"),
            ("received", "收到 Received"),
            ("expected", "应收 Expected"),
            ("completeness", "完整率"),
            ("calibration_expired", "过检 Expired"),
        ],
    }.get(level, [(c, c) for c in frame.columns])
    _emit(rows, fmt, columns, f"在线监测数据质量 Monitoring data quality · {SYNTHETIC_NOTE}")


@app.command("decompose")
def decompose_command(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="Long table (.csv/.parquet): period, subcategory, factor, value. Default: the "
            "base's combustion CO2 from the store, by division and fuel."
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """因素分解 LMDI-I decomposition of a change into factor effects, per period and chained."""
    try:
        if file is None:
            frame = co2_decomposition_table(_store())
            if frame.empty:
                _fail(ValueError("no full years of accepted reports with GDP statistics"), code=2)
        else:
            frame = (
                pd.read_parquet(file)
                if file.suffix.lower() == ".parquet"
                else pd.read_csv(file, encoding="utf-8")
            )
        result = decompose_table(frame)
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        _fail(ValueError(f"{file or 'store'}: {exc}"))
    rows = _records(result.table())
    _emit(
        rows,
        fmt,
        [
            ("from", "起 From"),
            ("to", "止 To"),
            ("factor", "因素 Factor"),
            ("additive", "加法效应 Additive"),
            ("multiplicative", "乘法效应 Multiplicative"),
        ],
        f"LMDI 因素分解 decomposition: {result.totals[0]:g} → {result.totals[-1]:g}",
    )


@app.command("track")
def track_command(
    year: Annotated[int | None, typer.Option(help="Assess with data up to this year.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """目标跟踪 Every target's status, with the numbers behind it, from the store: the same
    rows the dashboard and the API give (one snapshot of the store)."""
    document = load_plan()
    engine = _store()
    snap = dashboard.snapshot(engine, document.plan)
    rows = snap.targets if year is None else dashboard.targets_for_year(engine, snap, year)
    goals = snap.goals if year is None else track_goals(engine, document.plan, year, snap.values)
    if fmt is OutputFormat.json:
        payload = {
            "plan": document.plan.version,
            "note": SYNTHETIC_NOTE,
            "targets": rows,
            "goals": goals,
        }
        sys.stdout.write(
            json.dumps(payload, ensure_ascii=False, indent=2, default=str, allow_nan=False) + "\n"
        )
        return
    shown = []
    for row in rows:
        shown.append(
            {
                **row,
                "latest": (
                    f"{row['value']:.4g} {unit_label(row['target_unit'])} ({row['value_year']})"
                    if row["value"] is not None
                    else ""
                ),
                "goal": f"{COMPARATOR_SIGN[row['comparator']]} {row['target']:g} "
                f"{unit_label(row['target_unit'])}",
                "status": status_label(row["status"]),
            }
        )
    _emit(
        shown,
        fmt,
        [
            ("clause", "条款 Clause"),
            ("name_zh", "指标"),
            ("year", "年 Year"),
            ("goal", "目标 Target"),
            ("latest", "最新 Latest"),
            ("status", "状态 Status"),
            ("lead_unit", "牵头 Lead"),
        ],
        f"目标进展 Target progress · {SYNTHETIC_NOTE}",
    )
    if fmt is OutputFormat.table:
        _emit(
            [{**g, "status": goal_status_label(g["status"])} for g in goals],
            fmt,
            [
                ("clause", "条款 Clause"),
                ("quote", "原文 Goal"),
                ("status", "状态 Status"),
                ("reasoning", "依据 Reasoning"),
            ],
            "定性目标 Qualitative goals",
        )


@app.command("indicators")
def indicators_command(
    monthly: Annotated[
        bool, typer.Option(help="Monthly values of the accounted indicators.")
    ] = False,
    indicator: Annotated[str | None, typer.Option(help="Only this indicator.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """指标 Plan indicator values from the store, each with its source."""
    engine = _store()
    plan = load_plan().plan
    values = monthly_indicator_values(engine) if monthly else indicator_values(engine, plan)
    names = {i.id: i.name_zh for i in plan.indicators}
    rows = [
        {
            "indicator": v.indicator,
            "name_zh": names.get(v.indicator, v.indicator),
            "period": v.period or v.year,
            "value": v.value,
            "unit": v.unit,
            "source": v.source,
        }
        for v in values
        if indicator is None or v.indicator == indicator
    ]
    rows.sort(key=lambda r: (r["indicator"], str(r["period"])))
    _emit(
        rows,
        fmt,
        [
            ("name_zh", "指标"),
            ("period", "期间 Period"),
            ("value", "值 Value"),
            ("unit", "单位 Unit"),
            ("source", "来源 Source"),
        ],
        f"指标 Indicators · {SYNTHETIC_NOTE}",
    )


@app.command("warnings")
def warnings_command(
    year: Annotated[int | None, typer.Option(help="Budget year (default: latest).")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """预警 Budget warnings: the year's end forecast at the pace so far, by seasonality."""
    rows = budget_warnings(_store(), load_plan().plan, year)
    if fmt is OutputFormat.table:
        for row in rows:
            row["used"] = f"{row['used_share']:.0%} / {row['months']} mo"
            row["forecast"] = f"{row['forecast_share']:.0%}"
    _emit(
        rows,
        fmt,
        [
            ("scope", "对象 Unit"),
            ("kind", "类别 Kind"),
            ("used", "已用 Used"),
            ("forecast", "预计全年 Forecast"),
            ("level", "预警 Level"),
            ("recipients", "通知 Notify"),
        ],
        f"用能与碳排放预算预警 Budget warnings · {SYNTHETIC_NOTE}",
    )


@app.command("budget")
def budget_command(
    scope: Annotated[str, typer.Argument(help="Enterprise code, or base.")],
    year: Annotated[int, typer.Argument(help="Year.")],
    kind: Annotated[str, typer.Argument(help="energy (tce) or carbon (tCO2).")],
    value: Annotated[float, typer.Argument(help="Annual budget.")],
    actor: Annotated[str, typer.Option(help="Who sets it.")] = "office",
) -> None:
    """预算 Set an annual energy or carbon budget."""
    try:
        set_budget(_store(), scope, year, kind, value, actor)
    except ValueError as exc:
        _fail(exc, code=2)
    console.print(f"budget {scope} {year} {kind} = {value:g}", highlight=False)


@task_app.command("report")
def task_report(
    task: Annotated[str, typer.Argument(help="Task clause, e.g. 三(一)1.")],
    unit: Annotated[str, typer.Option("--by", help="Reporting unit (名称 or id).")],
    percent: Annotated[float, typer.Option(help="Percent complete, 0-100.")],
    summary: Annotated[str, typer.Option(help="What was done.")],
    milestone: Annotated[str | None, typer.Option(help="Next milestone.")] = None,
    due: Annotated[str | None, typer.Option(help="Milestone due date, YYYY-MM-DD.")] = None,
    evidence: Annotated[Path | None, typer.Option(help="Evidence file.")] = None,
    actor: Annotated[str, typer.Option(help="Who reports.")] = "cli",
) -> None:
    """进展报送 Report progress on a task, with evidence and the next milestone."""
    from datetime import date

    document = load_plan()
    engine = _store()
    register_plan(engine, document)
    try:
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
    except (TaskProgressError, ValueError) as exc:
        _fail(exc, code=2)
    console.print(f"{task}: {percent:g}% recorded", highlight=False)


@task_app.command("board")
def task_board_command(
    unit: Annotated[str | None, typer.Option(help="Only this unit's tasks.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """任务看板 Tasks with their latest progress; overdue and stalled ones flagged."""
    from datetime import date

    document = load_plan()
    try:
        rows = task_board(_store(), document.plan, date.today(), unit)
    except KeyError as exc:
        _fail(ValueError(str(exc).strip('"')), code=2)
    _emit(
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


@app.command("assess")
def assess_command(
    year: Annotated[int, typer.Option(help="Assessment year.")],
    xlsx: Annotated[Path | None, typer.Option(help="Also write the workbook here.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """年度考核 Annual scorecards per responsible unit, and the units to be named (通报约谈)."""
    result = assessment(_store(), load_plan().plan, year)
    if xlsx is not None:
        xlsx.write_bytes(assessment_xlsx(result, SYNTHETIC_NOTE))
        errors.print(f"workbook 工作簿: {xlsx}", highlight=False)
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    _emit(
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


DEMO_ACCOUNTS_FILE = "demo-accounts.txt"


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    demo: Annotated[
        bool,
        typer.Option(help="Load the synthetic demo base and its four accounts if absent."),
    ] = False,
) -> None:
    """服务 The dashboard (/) and the API (/api/v1, OpenAPI at /docs) over the configured store.
    On an empty store the set-up page offers the demo base and creates the first administrator."""
    import uvicorn

    from carbonpeak.web import create_app

    engine = _store()
    telemetry = telemetry_store()
    document = load_plan()
    if demo:
        if enterprises(engine).empty:
            _load_demo(engine, telemetry)
        created = demo_accounts(engine)
        accounts_file = data_directory() / DEMO_ACCOUNTS_FILE
        if created:
            accounts_file.parent.mkdir(parents=True, exist_ok=True)
            accounts_file.touch(mode=0o600)
            with accounts_file.open("a", encoding="utf-8") as handle:
                for username, password, role in created:
                    handle.write(f"{username}\t{password}\t{role}\n")
        if accounts_file.exists():
            errors.print(
                f"演示账户 Demo accounts (synthetic data), from {accounts_file}:", highlight=False
            )
            errors.print(accounts_file.read_text(encoding="utf-8").rstrip(), highlight=False)
    application = create_app(
        lambda: engine, lambda: telemetry, document.plan, lambda: _load_demo(engine, telemetry)
    )
    errors.print(
        f"carbonpeak dashboard on http://{host}:{port}/ · API http://{host}:{port}/docs",
        highlight=False,
    )
    # The app reads X-Forwarded-For itself, only from CARBONPEAK_TRUSTED_PROXIES.
    uvicorn.run(application, host=host, port=port, log_level="warning", proxy_headers=False)


@user_app.command("add")
def user_add_command(
    username: Annotated[str, typer.Argument(help="Sign-in name.")],
    role: Annotated[Role, typer.Option(help="admin, unit, enterprise or viewer.")],
    organisation: Annotated[
        str | None, typer.Option(help="A unit's organisation: id or Chinese name.")
    ] = None,
    enterprise: Annotated[str | None, typer.Option(help="An enterprise's code.")] = None,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """新增用户 Create an account; the password is asked for (hidden) unless piped in."""
    password = (
        sys.stdin.readline().rstrip("\n")
        if password_stdin
        else typer.prompt("密码 Password", hide_input=True, confirmation_prompt=True)
    )
    try:
        made = add_user(
            _store(),
            username,
            password,
            role,
            display_name=name,
            organisation=organisation,
            enterprise=enterprise,
        )
    except AccountError as exc:
        _fail(str(exc))
    console.print(f"{made.username}: {made.role.value}", highlight=False)


@user_app.command("list")
def user_list_command(fmt: FormatOption = OutputFormat.table) -> None:
    """用户列表 Every account and its number of live API tokens."""
    _emit(
        users(_store()),
        fmt,
        [
            ("username", "用户名 User"),
            ("display_name", "名称 Name"),
            ("role", "角色 Role"),
            ("organisation", "单位 Unit"),
            ("enterprise", "企业 Enterprise"),
            ("active", "启用 Active"),
            ("locked", "锁定 Locked"),
            ("tokens", "令牌 Tokens"),
        ],
        "用户 Users",
    )


@user_app.command("token")
def user_token_command(
    username: Annotated[str, typer.Argument(help="The account the client acts as.")],
    client: Annotated[str, typer.Option(help="The client's name, e.g. gateway-01.")],
) -> None:
    """API 令牌 A new per-client API token, printed once (only its hash is stored)."""
    try:
        token = create_token(_store(), username, client, "cli")
    except AccountError as exc:
        _fail(str(exc))
    sys.stdout.write(token + "\n")


@user_app.command("deactivate")
def user_deactivate_command(username: Annotated[str, typer.Argument()]) -> None:
    """停用 Deactivate an account; its sessions end at once."""
    try:
        set_active(_store(), username, False, "cli")
    except AccountError as exc:
        _fail(str(exc))
    console.print(f"{username}: deactivated", highlight=False)


@user_app.command("unlock")
def user_unlock_command(username: Annotated[str, typer.Argument()]) -> None:
    """解除暂停 Lift every sign-in pause of an account (from any address)."""
    from carbonpeak.services.logins import unlock

    try:
        paused = unlock(_store(), username, "cli")
    except KeyError:
        _fail(f"username: no user {username!r}")
    console.print(f"{username}: unlocked ({paused} paused address(es))", highlight=False)


DrawsOption = Annotated[
    int, typer.Option("--draws", min=1, max=200_000, help="Monte Carlo trajectories.")
]
SeedOption = Annotated[int, typer.Option(help="Random seed: the same seed, the same draws.")]


@scenario_app.command("list")
def scenario_list_command(fmt: FormatOption = OutputFormat.table) -> None:
    """情景列表 The scenario files, with their parents and versions."""
    rows = []
    for name in scenario_ids():
        scenario = load_scenario(name)
        rows.append(
            {
                "id": scenario.id,
                "parent": scenario.parent or "",
                "version": scenario.version,
                "title_zh": scenario.title_zh,
                "title_en": scenario.title_en,
                "horizon": scenario.horizon,
                "projects": len(scenario.projects),
            }
        )
    _emit(
        rows,
        fmt,
        [
            ("id", "情景 Scenario"),
            ("parent", "继承 Parent"),
            ("version", "版本 Version"),
            ("title_zh", "名称"),
            ("title_en", "Title"),
            ("horizon", "至 Horizon"),
            ("projects", "项目 Projects"),
        ],
        "情景 Scenarios",
    )


def _scenario_error(exc: Exception) -> NoReturn:
    if isinstance(exc, DataFileError):
        _fail(f"{exc.file}: " + "; ".join(str(p) for p in exc.problems))
    _fail(str(exc).strip('"'))


def _peak_year_text(year: int | None) -> str:
    return str(year) if year is not None else "no peak by the horizon 期内未达峰"


@scenario_app.command("run")
def scenario_run_command(
    name: Annotated[str, typer.Argument(help="Scenario id, e.g. baseline.")],
    draws: DrawsOption = 2000,
    seed: SeedOption = 20231101,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """情景模拟 Project a scenario from the accounted base year: peak year and value,
    P(peak ≤ 2030), and the probability of meeting each 2025 and 2030 target."""
    plan = load_plan().plan
    engine = _store()
    try:
        result = scenario_summary(run_scenario(engine, plan, name, draws, seed), plan)
    except (DataFileError, KeyError) as exc:
        _scenario_error(exc)
    if fmt is OutputFormat.json:
        payload = {**result, "synthetic_note": SYNTHETIC_NOTE}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    peak_text = (
        f"{result['peak_year']} ({result['peak_value']:,.0f} 万tCO2)"
        if result["peak_year"]
        else "not within the horizon 期内未达峰"
    )
    console.print(
        f"{result['title_zh']} {result['title_en']} · base year {result['base_year']} · "
        f"{result['draws']} draws\n"
        f"central path peak 峰值: {peak_text}\n"
        f"P(peak ≤ 2030) 2030年前达峰概率: {result['p_peak_by_2030']:.1%}\n"
        f"peak year over all draws 达峰年份 p50 [p5–p95]: "
        f"{_peak_year_text(result['peak_year_percentiles']['p50'])} "
        f"[{_peak_year_text(result['peak_year_percentiles']['p5'])}–"
        f"{_peak_year_text(result['peak_year_percentiles']['p95'])}]\n"
        f"{result['anchored_to']}",
        highlight=False,
    )
    rows = [
        {
            **t,
            "goal": f"{t['comparator']} {t['value']:g} {t['unit']}",
            "p": f"{t['probability']:.1%}" + (" (actual)" if t["actual"] else ""),
        }
        for t in result["targets"]
    ]
    _emit(
        rows,
        fmt,
        [
            ("clause", "条款 Clause"),
            ("indicator", "指标 Indicator"),
            ("year", "年 Year"),
            ("goal", "目标 Target"),
            ("median", "中位数 Median"),
            ("p", "概率 Probability"),
        ],
        f"目标实现概率 Probability of meeting the targets · {SYNTHETIC_NOTE}",
    )


@scenario_app.command("compare")
def scenario_compare_command(
    names: Annotated[list[str], typer.Argument(help="Two or more scenario ids.")],
    draws: DrawsOption = 2000,
    seed: SeedOption = 20231101,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """情景比较 Scenarios side by side, and the diff of their assumptions against the first."""
    if len(names) < 2:
        _fail("name at least two scenarios")
    plan = load_plan().plan
    try:
        result = compare_scenarios(_store(), plan, names, draws, seed)
    except (DataFileError, KeyError) as exc:
        _scenario_error(exc)
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    rows = [
        {
            **s,
            "co2_2030": f"{result['co2_2030'][s['scenario']]['p50']:,.0f} "
            f"[{result['co2_2030'][s['scenario']]['p5']:,.0f}–"
            f"{result['co2_2030'][s['scenario']]['p95']:,.0f}]",
            "p": f"{s['p_peak_by_2030']:.1%}",
        }
        for s in result["scenarios"]
    ]
    _emit(
        rows,
        fmt,
        [
            ("scenario", "情景 Scenario"),
            ("parent", "继承 Parent"),
            ("peak_year", "峰值年 Peak year"),
            ("peak_value", "峰值 Peak 万tCO2"),
            ("p", "P(≤2030)"),
            ("co2_2030", "2030 CO2 p50 [p5–p95]"),
        ],
        "情景比较 Scenario comparison",
    )
    for block in result["assumptions"]:
        _emit(
            [
                {"assumption": d["assumption"], "a": d[block["against"]], "b": d[block["scenario"]]}
                for d in block["differences"]
            ],
            fmt,
            [
                ("assumption", "假设 Assumption"),
                ("a", block["against"]),
                ("b", block["scenario"]),
            ],
            f"假设差异 Assumptions: {block['scenario']} against {block['against']}",
        )


@scenario_app.command("export")
def scenario_export_command(
    names: Annotated[list[str], typer.Argument(help="Scenario ids.")],
    output: Annotated[Path, typer.Option(help="IAMC file to write: .xlsx or .csv.")],
    draws: DrawsOption = 2000,
    seed: SeedOption = 20231101,
) -> None:
    """导出 Export scenarios in the IAMC format (readable by pyam): median, 5th and 95th
    percentiles of CO2, energy, coal, capture, new-energy and hydrogen capacity, GDP."""
    if output.suffix.lower() not in (".xlsx", ".csv"):
        _fail(f"--output: expected a .xlsx or .csv file; found {output.name!r}")
    plan = load_plan().plan
    engine = _store()
    try:
        runs = [run_scenario(engine, plan, name, draws, seed) for name in names]
    except (DataFileError, KeyError) as exc:
        _scenario_error(exc)
    table = iamc_table([(r.scenario.id, r.base, r.draws) for r in runs])
    if output.suffix.lower() == ".csv":
        table.to_csv(output, index=False)
    else:
        table.to_excel(output, index=False, sheet_name="data")
    console.print(f"{output}: {len(table)} rows, {len(names)} scenarios", highlight=False)


class ReportFormat(StrEnum):
    pdf = "pdf"
    xlsx = "xlsx"


@app.command("report")
def report_command(
    month: Annotated[str | None, typer.Option(help="Monthly report: YYYY-MM.")] = None,
    year: Annotated[int | None, typer.Option(help="Annual report: YYYY.")] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="pdf or xlsx.")] = ReportFormat.pdf,
    enterprise: Annotated[
        str | None, typer.Option(help="An enterprise's annual report (with --year).")
    ] = None,
    output: Annotated[Path | None, typer.Option(help="File to write (default: a name).")] = None,
    public: Annotated[
        bool, typer.Option(help="The base report's public edition: 保密 for confidential cells.")
    ] = False,
) -> None:
    """报告 The base's monthly or annual report, or an enterprise's annual report, as PDF (Chinese
    fonts embedded) or XLSX; the office's edition marks the confidential cells."""
    if (month is None) == (year is None):
        _fail("name either --month YYYY-MM or --year YYYY")
    if month is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        _fail(f"--month: expected YYYY-MM; found {month!r}")
    engine = _store()
    plan = load_plan().plan
    try:
        made = report_file(
            engine, plan, fmt.value, year=year, month=month, enterprise=enterprise, public=public
        )
    except ValueError as exc:
        _fail(exc)
    except KeyError as exc:
        _fail(str(exc).strip('"'))
    target = output or Path(made.filename)
    target.write_bytes(made.content)
    console.print(f"{target} ({target.stat().st_size:,} bytes)", highlight=False)


def main() -> None:
    app()
