"""`carbonpeak publication`: accounts published frozen, restated only as a new version."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from carbonpeak.cli.account import account_file, print_factor_changes
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
from carbonpeak.services.publications import (
    compare_with_publication,
    publications,
    publish,
    restate_publication,
)

publication_app = typer.Typer(
    help="发布 Published accounts: frozen once published, restated only as a new version.",
    no_args_is_help=True,
)


@publication_app.command("publish")
def publication_publish(
    name: Annotated[str, typer.Argument(help="Publication name, e.g. 2024-annual.")],
    file: Annotated[Path, typer.Argument(help="Activity table.")],
    factors: Annotated[str, typer.Option(help="Factor set.")] = "ningxia",
) -> None:
    """发布 Account a table and publish the results, frozen, as version 1 of NAME."""
    result = account_file(file, factors)
    published = publish(open_database(), result, name)
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
        for p in publications(open_database(), name)
    ]
    emit(
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
    result = account_file(file, factors)
    engine = open_database()
    report = compare_with_publication(engine, name, result)
    rows = frame_records(report.changes)
    if fmt is OutputFormat.json:
        emit_json(
            {
                "factors_removed": report.factors_removed,
                "factors_added": report.factors_added,
                "changes": rows,
            }
        )
    else:
        print_factor_changes(report)
        emit(
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
    published = restate_publication(engine, name, result, reason)
    errors.print(
        f"{name} v{published.version} published, superseding v{published.supersedes_version}",
        highlight=False,
    )
