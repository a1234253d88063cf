"""What commands print: rows as a table, JSON or CSV; JSON documents; the consoles (errors and
notes go to stderr; cli/errors.py prints a refusal there with its exit code)."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from carbonpeak.messages import number, text
from carbonpeak.settings import settings

__all__ = [
    "FormatOption",
    "OutputFormat",
    "console",
    "emit",
    "emit_json",
    "errors",
    "frame_records",
]

# Wide enough for bilingual tables when output is piped (rich assumes 80 columns there).
console = Console(width=None if sys.stdout.isatty() else 140)
errors = Console(stderr=True)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]

# Chinese names and clause ids stay on one line in a table; English wraps.
NO_WRAP_COLUMNS = {"clause", "id", "name_zh", "title_zh", "dataset", "kind"}


def emit_json(
    payload: Any, *, default: Callable[[Any], Any] | None = None, allow_nan: bool = True
) -> None:
    """Print one JSON document: Chinese as it is, indented."""
    text = json.dumps(payload, ensure_ascii=False, indent=2, default=default, allow_nan=allow_nan)
    sys.stdout.write(text + "\n")


def emit(
    rows: list[dict[str, Any]], fmt: OutputFormat, columns: list[tuple[str, str]], title: str
) -> None:
    """Print rows as a table (the given columns), JSON (every field) or CSV (every field)."""
    if fmt is OutputFormat.json:
        emit_json(rows)
        return
    if fmt is OutputFormat.csv:
        buffer = io.StringIO()
        # Every field of every row (a base row carries its parts beside the units' metrics).
        fields = list(dict.fromkeys(k for row in rows for k in row)) or [k for k, _ in columns]
        writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n", restval="")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {k: "、".join(map(str, v)) if isinstance(v, list) else v for k, v in row.items()}
            )
        sys.stdout.write(buffer.getvalue())
        return
    table = Table(title=title, show_lines=False)
    for key, header in columns:
        table.add_column(header, no_wrap=key in NO_WRAP_COLUMNS)
    for row in rows:
        table.add_row(*(_cell(row.get(key)) for key, _ in columns))
    console.print(table)


def _cell(value: Any) -> str:
    """A table cell as a person reads it in the command line's language: yes/no from the
    catalogue, never a Python literal or a float in scientific notation.

    >>> _cell(True), _cell(None), _cell(2.5), _cell(3.4e-05), _cell(1234567.5)
    ('是', '', '2.5', '0.000034', '1,234,567.50')
    """
    language = settings().language
    if value is None:
        return ""
    if isinstance(value, bool):
        return text("yes" if value else "no", language)
    if isinstance(value, list):
        return "、".join(map(str, value))
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        shown = f"{value:.6g}"
        if "e" in shown:  # Python's scientific notation: fixed decimals instead
            return number(value, language, 2 if abs(value) >= 1 else 6)
        return shown
    return str(value)


def frame_records(frame: Any) -> list[dict[str, Any]]:
    """A data frame's rows as JSON-ready dicts (NaN as None, timestamps as text)."""
    records: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", force_ascii=False))
    return records
