"""The ``carbonpeak`` command line, assembled from one module per command group: formatting and
exit codes only; the work happens in the services below."""

from __future__ import annotations

from typing import Annotated

import typer

from carbonpeak import __version__
from carbonpeak.cli import (
    account,
    audit,
    budgets,
    db,
    demo,
    intake,
    monitor,
    notices,
    plan,
    portal,
    projects,
    publication,
    reference,
    registry,
    reports,
    scenarios,
    serve,
    tasks,
    tracking,
    users,
)
from carbonpeak.cli.errors import VocabularyGroup
from carbonpeak.cli.inputs import dispose_stores
from carbonpeak.cli.output import console

__all__ = ["app", "main"]

app = typer.Typer(
    cls=VocabularyGroup,  # the error vocabulary's exit codes, for every command (cli/errors.py)
    help="carbonpeak 碳达峰管理平台: the carbon-peak plan as a working management system.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

# Top-level commands, in the order `carbonpeak --help` lists them.
for module_commands in (
    account.commands,
    demo.commands,
    intake.commands,
    tracking.commands,
    budgets.commands,
    tasks.commands,
    serve.commands,
    reports.commands,
):
    app.registered_commands.extend(module_commands.registered_commands)

app.add_typer(plan.plan_app, name="plan")
app.add_typer(db.db_app, name="db")
app.add_typer(reference.reference_app, name="reference")
app.add_typer(publication.publication_app, name="publication")
app.add_typer(audit.audit_app, name="audit")
app.add_typer(tasks.task_app, name="task")
app.add_typer(monitor.monitor_app, name="monitor")
app.add_typer(scenarios.scenario_app, name="scenario")
app.add_typer(users.user_app, name="user")
app.add_typer(projects.project_app, name="project")
app.add_typer(registry.registry_app, name="registry")
app.add_typer(notices.notices_app, name="notices")
app.add_typer(portal.publish_app, name="publish")


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    ctx.call_on_close(dispose_stores)
    if version:
        console.print(f"carbonpeak {__version__}")
        raise typer.Exit()


def main() -> None:
    app()
