"""`carbonpeak report`: the monthly and annual reports as PDF or XLSX."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from carbonpeak.cli.inputs import open_database
from carbonpeak.cli.output import console
from carbonpeak.errors import InvalidInput
from carbonpeak.messages import message
from carbonpeak.plan import load_plan
from carbonpeak.services.reports import report_file

commands = typer.Typer()


class ReportFormat(StrEnum):
    pdf = "pdf"
    xlsx = "xlsx"


@commands.command("report")
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
        raise InvalidInput(message("error.report_year_or_month"))
    if month is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise InvalidInput(message("error.month_format", option="--month", found=month))
    engine = open_database()
    plan = load_plan().plan
    made = report_file(
        engine, plan, fmt.value, year=year, month=month, enterprise=enterprise, public=public
    )
    target = output or Path(made.filename)
    target.write_bytes(made.content)
    console.print(f"{target} ({target.stat().st_size:,} bytes)", highlight=False)
