"""`carbonpeak account`: energy and CO2 accounts of an activity table or the accepted reports."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

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
    restate,
    unit_product_energy,
)
from carbonpeak.cli.inputs import open_database
from carbonpeak.cli.output import (
    FormatOption,
    OutputFormat,
    console,
    emit,
    emit_json,
    errors,
    frame_records,
)
from carbonpeak.services.submissions import accepted_activity

commands = typer.Typer()


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


def account_file(file: Path | None, factors: str) -> Accounts:
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
    ) as progress:
        name = file.name if file else "accepted reports 已受理月报"
        step = progress.add_task(f"读取 reading {name}", total=None)
        if file is None:
            activity = parse_activity(accepted_activity(open_database()), "accepted reports")
        else:
            activity = read_activity(file)
        progress.update(step, description=f"核算 accounting {len(activity):,} rows")
        return account(activity, factors)


def print_factor_changes(report: Restatement) -> None:
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


@commands.command("account")
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
    result = account_file(file, factors)
    if benchmark:
        values = unit_product_energy(result)
        shares = benchmark_capacity_share(values)
        if fmt is OutputFormat.json:
            emit_json({"facilities": frame_records(values), "shares": frame_records(shares)})
            return
        emit(
            frame_records(values),
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
            emit(
                frame_records(shares),
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
        emit_json(lineage(result, show_lineage, period))
        return
    if compare is not None:
        report = restate(result, account(result.rows, compare), level.value, frequency.value)
        payload = {
            "old_factor_set": report.old_factor_set,
            "new_factor_set": report.new_factor_set,
            "factors_removed": report.factors_removed,
            "factors_added": report.factors_added,
            "changes": frame_records(report.changes),
        }
        if fmt is OutputFormat.json:
            emit_json(payload)
            return
        print_factor_changes(report)
        key = "enterprise" if level is AccountLevel.enterprise else level.value
        time_key = "period" if frequency is Frequency.month else "year"
        emit(
            frame_records(report.changes),
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
    rows = frame_records(result.totals(level.value, frequency.value))
    base = frame_records(result.totals("base", frequency.value))
    problems = check(result)
    for problem in problems:
        errors.print(f"[yellow]核对 check[/yellow]: {problem}", highlight=False)
    if fmt is OutputFormat.json:
        emit_json(
            {
                "source": result.source,
                "factor_set": result.factor_set,
                "datasets": result.factors.datasets(),
                "factors": result.factor_values(),
                "units": {k: u for k, (u, _) in {**ADDITIVE_METRICS, **BOUNDARY_METRICS}.items()},
                "level": level.value,
                "level_note": LEVEL_NOTES.get(level.value),
                "rows": rows,
                "base": base,
                "problems": [str(p) for p in problems],
            }
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
    emit(
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
