"""`carbonpeak db`: the database's schema."""

from __future__ import annotations

from typing import Annotated

import typer

from carbonpeak.cli.inputs import upgrade_database
from carbonpeak.cli.output import console

db_app = typer.Typer(help="数据库 The database.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """升级数据库 Create or migrate the schema (CARBONPEAK_DATABASE_URL, else SQLite)."""
    shown = upgrade_database(revision)
    console.print(f"database 数据库 at {shown}: upgraded to {revision}", highlight=False)
