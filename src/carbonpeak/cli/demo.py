"""`carbonpeak demo`: the synthetic demo base, with progress bars."""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine

from carbonpeak.cli.inputs import open_database
from carbonpeak.cli.output import console, errors
from carbonpeak.demo import SYNTHETIC_NOTE, generate, last_full_month
from carbonpeak.plan import load_plan
from carbonpeak.services.demo import load_demo
from carbonpeak.services.store import TelemetryStore
from carbonpeak.services.telemetry import telemetry_store

commands = typer.Typer()


@commands.command("demo")
def demo_command(
    end: Annotated[
        str | None, typer.Option(help="Last month (default: the last full month).")
    ] = None,
) -> None:
    """演示基地 Load the synthetic demo base into the store (合成数据, synthetic)."""
    load_demo_with_progress(open_database(), telemetry_store(), end)


def load_demo_with_progress(
    engine: Engine, store: TelemetryStore, end: str | None = None
) -> dict[str, int]:
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
