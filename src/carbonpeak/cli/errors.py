"""The one table from the error vocabulary (``carbonpeak.errors``) to exit codes, and the root
group that applies it to every command: a refusal is printed on stderr as a sentence and ends
the command with its code. No command catches the vocabulary itself.

docs/cli.md shows the table; ``tests/test_docs.py`` keeps the two in step.
"""

from __future__ import annotations

from typing import Any

import typer
from rich.markup import escape
from typer.core import TyperGroup

from carbonpeak.cli.output import errors
from carbonpeak.errors import Conflict, Forbidden, InvalidInput, NotFound, Unavailable, said
from carbonpeak.messages import text
from carbonpeak.settings import settings

__all__ = ["EXIT_CODES", "ExitCode", "VocabularyGroup", "exit_code_of", "message_of"]


class ExitCode:
    """What the exit status of ``carbonpeak`` says (0 is success)."""

    INVALID_INPUT = 1
    NOT_FOUND = 2  # also click's code for a usage error: a name the command line gave is unknown
    FORBIDDEN = 3
    CONFLICT = 4
    UNAVAILABLE = 5  # this installation lacks what the command needs (a font, a server)


# The vocabulary's exit codes, looked up along the error's MRO (a service's "not found" that is
# also its input error gets the code of the first of them). ``KeyError`` and ``ValueError`` are
# the built-in types the vocabulary subclasses: lookups and checks in the core that still raise
# them (the factor catalogue, units) end a command as the vocabulary does.
EXIT_CODES: dict[type[Exception], tuple[int, str]] = {
    NotFound: (ExitCode.NOT_FOUND, "no such thing: a plan entry, record, dataset or data"),
    Forbidden: (ExitCode.FORBIDDEN, "this role, unit or enterprise may not do this"),
    Conflict: (ExitCode.CONFLICT, "changed by someone else at the same moment; nothing written"),
    InvalidInput: (ExitCode.INVALID_INPUT, "invalid input: a bad file, value or option"),
    Unavailable: (ExitCode.UNAVAILABLE, "this installation lacks what is needed (e.g. a CJK font)"),
    KeyError: (ExitCode.NOT_FOUND, "a lookup that found nothing (as NotFound)"),
    ValueError: (ExitCode.INVALID_INPUT, "a value out of its domain (as InvalidInput)"),
}


def exit_code_of(exc: BaseException) -> int | None:
    """The exit code of an error of the vocabulary; None for anything else (a bug: traceback)."""
    return next(
        (EXIT_CODES[cls][0] for cls in type(exc).__mro__ if cls in EXIT_CODES),
        None,
    )


def message_of(exc: BaseException, language: str | None = None) -> str:
    """The error as the sentence it carries, in ``language`` (default: the ``language``
    setting) when it has a catalogue text; a KeyError's without the repr's quotes."""
    return said(exc, language or settings().language)


class VocabularyGroup(TyperGroup):
    """The root group: runs every command and turns the vocabulary into its exit code."""

    def invoke(self, ctx: Any) -> Any:  # typer's (vendored) click Context
        try:
            return super().invoke(ctx)
        except Exception as exc:
            code = exit_code_of(exc)
            if code is None:
                raise
            language = settings().language
            errors.print(
                f"[red]{text('cli.error', language)}[/red]: {escape(message_of(exc, language))}",
                markup=True,
                highlight=False,
                soft_wrap=True,
            )
            raise typer.Exit(code) from exc
