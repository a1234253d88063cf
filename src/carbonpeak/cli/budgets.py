"""Energy and carbon budgets and their warnings."""

from __future__ import annotations

from typing import Annotated

import typer

from carbonpeak.cli.inputs import YearArgument, open_database
from carbonpeak.cli.output import FormatOption, OutputFormat, console, emit
from carbonpeak.demo import SYNTHETIC_NOTE
from carbonpeak.plan import load_plan
from carbonpeak.services.warnings import budget_warnings, set_budget

commands = typer.Typer()


@commands.command("warnings")
def warnings_command(
    year: Annotated[int | None, typer.Option(help="Budget year (default: latest).")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """预警 Budget warnings: the year's end forecast at the pace so far, by seasonality."""
    rows = budget_warnings(open_database(), load_plan().plan, year)
    if fmt is OutputFormat.table:
        for row in rows:
            row["used"] = f"{row['used_share']:.0%} / {row['months']} mo"
            row["forecast"] = f"{row['forecast_share']:.0%}"
    emit(
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


@commands.command("budget")
def budget_command(
    scope: Annotated[str, typer.Argument(help="Enterprise code, or base.")],
    year: YearArgument,
    kind: Annotated[str, typer.Argument(help="energy (tce) or carbon (tCO2).")],
    value: Annotated[float, typer.Argument(help="Annual budget.")],
    actor: Annotated[str, typer.Option(help="Who sets it (the audit log records it).")] = "office",
) -> None:
    """预算 Set an annual energy or carbon budget."""
    set_budget(open_database(), scope, year, kind, value, actor)
    console.print(f"budget {scope} {year} {kind} = {value:g}", highlight=False)
