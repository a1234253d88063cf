"""Tracking: target statuses, indicator values and their decomposition."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from carbonpeak.cli.inputs import open_database
from carbonpeak.cli.output import FormatOption, OutputFormat, emit, emit_json, frame_records
from carbonpeak.demo import SYNTHETIC_NOTE
from carbonpeak.errors import InvalidInput, NotFound, message_of
from carbonpeak.messages import message
from carbonpeak.plan import load_plan
from carbonpeak.services import dashboard
from carbonpeak.services.indicators import (
    co2_decomposition_table,
    indicator_values,
    monthly_indicator_values,
    track_goals,
)
from carbonpeak.services.report_tables import COMPARATOR_SIGN
from carbonpeak.tracking import decompose_table
from carbonpeak.tracking.method import goal_status_label, status_label
from carbonpeak.units import unit_label

commands = typer.Typer()


@commands.command("decompose")
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
    if file is None:
        frame = co2_decomposition_table(open_database())
        if frame.empty:
            raise NotFound(message("error.no_full_years_gdp"))
    try:  # a table that cannot be read or decomposed is named with its file
        if file is not None:
            frame = (
                pd.read_parquet(file)
                if file.suffix.lower() == ".parquet"
                else pd.read_csv(file, encoding="utf-8")
            )
        result = decompose_table(frame)
    except (OSError, ValueError) as exc:
        source = file or message("error.tracking.store")
        raise InvalidInput(
            message("error.tracking.table", source=source, problem=message_of(exc) or exc)
        ) from exc
    rows = frame_records(result.table())
    emit(
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


@commands.command("track")
def track_command(
    year: Annotated[int | None, typer.Option(help="Assess with data up to this year.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """目标跟踪 Every target's status, with the numbers behind it, from the store: the same
    rows the dashboard and the API give (one snapshot of the store)."""
    document = load_plan()
    engine = open_database()
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
        emit_json(payload, default=str, allow_nan=False)
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
    emit(
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
        emit(
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


@commands.command("indicators")
def indicators_command(
    monthly: Annotated[
        bool, typer.Option(help="Monthly values of the accounted indicators.")
    ] = False,
    indicator: Annotated[str | None, typer.Option(help="Only this indicator.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """指标 Plan indicator values from the store, each with its source."""
    engine = open_database()
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
    emit(
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
