"""What commands read: the plan file, the store (opened through the services, disposed of when
the command ends), and the options several commands share."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine

from carbonpeak.plan import PlanDocument, load_plan
from carbonpeak.services.plans import register_plan
from carbonpeak.services.store import open_store, upgrade_store

__all__ = [
    "EvidenceOption",
    "PlanOption",
    "YearArgument",
    "dispose_stores",
    "load_plan_file",
    "open_database",
    "plan_in_store",
    "upgrade_database",
]

PlanOption = Annotated[
    Path | None,
    typer.Option(
        "--plan", envvar="CARBONPEAK_PLAN", help="Plan file 方案文件 (default: Ningdong)."
    ),
]

EvidenceOption = Annotated[
    Path | None, typer.Option(help="Evidence file to attach (stored with its SHA-256).")
]
YearArgument = Annotated[int, typer.Argument(help="Year, YYYY.")]

_ENGINES: list[Engine] = []


def load_plan_file(path: Path | None) -> PlanDocument:
    """The plan at ``path`` (default: Ningdong); a bad file is a DataFileError naming its
    problems, which ends the command with the exit code of invalid input."""
    return load_plan(path)


def open_database() -> Engine:
    """The configured store, migrated; disposed of when the command ends."""
    engine = open_store()
    _ENGINES.append(engine)
    return engine


def plan_in_store() -> tuple[PlanDocument, Engine]:
    """The packaged plan and the store, the plan registered there (a report names its units)."""
    document = load_plan()
    engine = open_database()
    register_plan(engine, document)
    return document, engine


def upgrade_database(revision: str) -> str:
    """Migrate the configured store to ``revision``; where it is, without credentials."""
    engine, shown = upgrade_store(revision)
    _ENGINES.append(engine)
    return shown


def dispose_stores() -> None:
    while _ENGINES:
        _ENGINES.pop().dispose()
