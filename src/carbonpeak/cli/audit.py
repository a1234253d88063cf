"""`carbonpeak audit`: the hash-chained audit log."""

from __future__ import annotations

from typing import Annotated

import typer

from carbonpeak.cli.inputs import open_database
from carbonpeak.cli.output import console, errors
from carbonpeak.errors import InvalidInput
from carbonpeak.messages import message
from carbonpeak.services import audit

audit_app = typer.Typer(help="审计 The hash-chained audit log.", no_args_is_help=True)


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
            raise InvalidInput(message("error.audit_head", found=head))
        exported = (int(seq), digest.strip())
    count, problems = audit.verify(open_database(), exported)
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
    head = audit.checkpoint(open_database())
    if head is None:
        console.print("audit log empty: nothing to anchor", highlight=False)
        return
    console.print(f"anchored audit entry {head[0]}:{head[1]}", highlight=False)
