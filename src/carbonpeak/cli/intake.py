"""Report intake: enterprise reports (ingest, template, review, submit), the enterprises that
report, and plan indicators' reported values."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from carbonpeak.accounting import read_table
from carbonpeak.accounting.template import write_template
from carbonpeak.cli.inputs import (
    EvidenceOption,
    YearArgument,
    open_database,
    plan_in_store,
)
from carbonpeak.cli.output import FormatOption, OutputFormat, console, emit, frame_records
from carbonpeak.demo import last_full_month
from carbonpeak.services.indicator_reports import report_indicator
from carbonpeak.services.registry import enterprises
from carbonpeak.services.submissions import (
    ingest,
    review,
    submit_draft,
    template_rows,
)

commands = typer.Typer()


@commands.command("ingest")
def ingest_command(
    file: Annotated[
        Path, typer.Argument(help="Report file: .xlsx template, .csv, .parquet, .json.")
    ],
    reason: Annotated[
        str | None, typer.Option(help="Why, when this amends stored reports.")
    ] = None,
    draft: Annotated[bool, typer.Option(help="Keep as draft instead of submitting.")] = False,
    actor: Annotated[str, typer.Option(help="Who submits (the audit log records it).")] = "cli",
) -> None:
    """报送 Ingest enterprise reports: validated whole; nothing is written if anything is wrong."""
    raw = read_table(file)
    result = ingest(
        open_database(), raw, str(file), actor, reason, "draft" if draft else "submitted"
    )
    console.print(
        f"{len(result.created)} submissions stored ({result.amended} amendments), "
        f"{result.unchanged} unchanged",
        highlight=False,
    )


@commands.command("template")
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
    row, rows = template_rows(open_database(), enterprise)
    target = out or Path(f"{enterprise}-{period}.xlsx")
    target.write_bytes(
        write_template(enterprise, row.name_zh, row.sector_code, period, rows, row.synthetic)
    )
    console.print(f"template 模板: {target} ({len(rows)} pre-filled rows)", highlight=False)


@commands.command("review")
def review_command(
    submission: Annotated[int, typer.Argument(help="Submission id.")],
    accept: Annotated[bool, typer.Option("--accept/--return", help="Accept or return.")],
    note: Annotated[str | None, typer.Option(help="Note (required to return).")] = None,
    actor: Annotated[str, typer.Option(help="Who reviews (the audit log records it).")] = "office",
) -> None:
    """审核 Accept a submitted report, or return it with a note."""
    row = review(open_database(), submission, accept, actor, note)
    console.print(f"submission {submission}: {row.state}", highlight=False)


@commands.command("submit")
def submit_command(
    submission: Annotated[int, typer.Argument(help="Draft submission id.")],
    actor: Annotated[str, typer.Option(help="Who submits (the audit log records it).")] = "cli",
) -> None:
    """提交 Submit a draft report to the office."""
    submit_draft(open_database(), submission, actor)
    console.print(f"submission {submission}: submitted", highlight=False)


@commands.command("enterprises")
def enterprises_command(fmt: FormatOption = OutputFormat.table) -> None:
    """企业名录 List registered enterprises."""
    rows = frame_records(enterprises(open_database()))
    emit(
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


@commands.command("report-indicator")
def report_indicator_command(
    indicator: Annotated[str, typer.Argument(help="Indicator id, e.g. rail_freight_share.")],
    year: YearArgument,
    value: Annotated[float, typer.Argument(help="Value, in --unit.")],
    unit: Annotated[str, typer.Option(help="Unit of the value.")],
    reporting_unit: Annotated[str, typer.Option("--by", help="Reporting unit (名称 or id).")],
    evidence: EvidenceOption = None,
    reason: Annotated[str | None, typer.Option(help="Why, when correcting a report.")] = None,
    actor: Annotated[str, typer.Option(help="Who reports (the audit log records it).")] = "cli",
) -> None:
    """指标报送 Report a plan indicator's value, with evidence."""
    document, engine = plan_in_store()
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
    console.print(
        f"{indicator} {year} = {value:g} {unit} recorded"
        + (f"; evidence sha256 {row.evidence_sha256[:12]}…" if row.evidence_sha256 else ""),
        highlight=False,
    )
