"""`carbonpeak publish`: a period's indicator values and target statuses published to the
public portal, frozen; publishing the period again is a new version with a reason."""

from __future__ import annotations

from typing import Annotated

import typer

from carbonpeak.cli.inputs import open_database
from carbonpeak.cli.output import FormatOption, OutputFormat, console, emit
from carbonpeak.plan import load_plan
from carbonpeak.services.portal import publish_indicators, published_versions

publish_app = typer.Typer(
    help="公开发布 Publish indicator values and target statuses to the public portal.",
    no_args_is_help=True,
)


@publish_app.command("indicators")
def publish_indicator_values(
    period: Annotated[int, typer.Option(help="The year to publish, e.g. 2025.")],
    reason: Annotated[
        str | None, typer.Option(help="Why, when the period is already published.")
    ] = None,
    actor: Annotated[str, typer.Option(help="Who publishes.")] = "cli",
) -> None:
    """发布指标 Freeze the period's public indicator values and target statuses."""
    done = publish_indicators(open_database(), load_plan().plan, period, actor, reason)
    console.print(
        f"{done['period']} v{done['version']} published (sha256 {done['sha256'][:12]})",
        highlight=False,
    )


@publish_app.command("list")
def publish_list(fmt: FormatOption = OutputFormat.table) -> None:
    """发布版本 Every published version, newest first."""
    emit(
        published_versions(open_database()),
        fmt,
        [
            ("period", "期间 period"),
            ("version", "版本 version"),
            ("published_at", "发布时间 at"),
            ("published_by", "发布人 by"),
            ("reason", "原因 reason"),
        ],
        "公开发布 Publications",
    )
