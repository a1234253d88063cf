"""The one error type for a data file that does not load: file, location, expected and found."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from carbonpeak.errors import InvalidInput
from carbonpeak.messages import Message

__all__ = ["DataFileError", "Problem", "problems_from_validation"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in a data file."""

    location: str
    problem: str | Message  # a Message reads in the page's language; str() gives English
    expected: str | Message | None = None
    found: Any = None

    def __str__(self) -> str:
        text = f"{self.location}: {self.problem}"
        if self.expected is not None:
            text += f" (expected {self.expected}, found {self.found!r})"
        return text


class DataFileError(InvalidInput):
    """A data file with one or more problems; nothing from it is used."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{file}: {len(problems)} problem(s)\n{lines}")


def problems_from_validation(exc: ValidationError, prefix: str = "") -> list[Problem]:
    """Turn pydantic's errors into :class:`Problem` rows with dotted locations."""
    problems = []
    for error in exc.errors():
        location = ".".join(str(part) for part in error["loc"])
        problems.append(
            Problem(
                location=f"{prefix}{location}" if location else prefix or "file",
                problem=error["msg"],
                found=error.get("input"),
            )
        )
    return problems
