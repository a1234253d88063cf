"""Write the reference parts of the docs from the code they describe: docs/cli.md (every command
and option, from the Typer app that `--help` renders, and the exit codes), docs/settings.md
(the settings table) and docs/api.md (every API route).

    PYTHONPATH=src python scripts/docs.py          # rewrite the three files
    PYTHONPATH=src python scripts/docs.py --check  # exit 1 if one of them is not up to date

tests/test_docs.py checks that every command, option, setting and route appears in these files;
this script is the quick way to make it so after adding one.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer
from typer.main import get_command

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

CLI_INTRO = """# Command line

`carbonpeak` is one Typer application assembled in `src/carbonpeak/cli/__init__.py` from one
module per command group. This page lists every command and option with the help text
`carbonpeak COMMAND --help` prints; it is written by `scripts/docs.py` and
`tests/test_docs.py` fails if a command or option is missing here. Settings that are
environment variables are in [settings.md](settings.md).

## Exit codes

A command that is refused ends with the exit code of the error, one table for every command
(`src/carbonpeak/cli/errors.py`, from the error vocabulary of `src/carbonpeak/errors.py`, which
the API maps to HTTP statuses in `src/carbonpeak/api/errors.py`). The message on stderr is a
sentence naming what was wrong, e.g. `错误 error: unknown factor set 'martian'; known: …`.

| code | error | meaning |
|---|---|---|
| 0 | | success |
"""

CLI_OUTRO = """
Typer's own usage errors (an unknown option, a missing argument, a value of the wrong type) end
with 2, as click's do. `carbonpeak audit verify` ends with 1 when the log is broken, after
listing every break.
"""


def _cell(text: Any) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def command_paths(app: typer.Typer) -> Iterator[tuple[str, Any]]:
    """Every command as ("plan tasks", command), groups before their commands, in the order
    `--help` lists them; the root as ("", command)."""
    root = get_command(app)

    def walk(prefix: str, command: Any) -> Iterator[tuple[str, Any]]:
        yield prefix, command
        sub = getattr(command, "commands", None)
        if sub is None:
            return
        context = typer.Context(command)
        for name in command.list_commands(context):
            yield from walk(f"{prefix} {name}".strip(), sub[name])

    yield from walk("", root)


def _parameter_rows(command: Any) -> list[str]:
    rows = []
    for parameter in command.params:
        if getattr(parameter, "hidden", False):
            continue
        if parameter.param_type_name == "argument":
            name = f"`{(parameter.metavar or parameter.name).upper()}`"
            kind = "argument"
        else:
            names = [*parameter.opts, *parameter.secondary_opts]
            name = " / ".join(f"`{n}`" for n in names)
            kind = "option"
        default = parameter.default
        shown = "" if default in (None, False, ()) or parameter.required else f"`{default}`"
        if hasattr(default, "value"):
            shown = f"`{default.value}`"
        if parameter.required:
            shown = "required"
        envvar = getattr(parameter, "envvar", None)
        help_text = _cell(getattr(parameter, "help", None) or "")
        if envvar:
            help_text += f" (environment: `{envvar}`)"
        rows.append(f"| {name} | {kind} | {help_text} | {shown} |")
    return rows


def cli_markdown() -> str:
    from carbonpeak.cli import app
    from carbonpeak.cli.errors import EXIT_CODES

    parts = [CLI_INTRO.rstrip("\n")]
    for error, (code, meaning) in sorted(EXIT_CODES.items(), key=lambda item: item[1][0]):
        parts.append(f"| {code} | `{error.__name__}` | {meaning} |")
    parts.append(CLI_OUTRO.rstrip("\n"))
    for path, command in command_paths(app):
        title = f"carbonpeak {path}".strip()
        parts.append(f"\n## `{title}`\n")
        parts.append(" ".join((command.help or "").split()))
        rows = _parameter_rows(command)
        if rows:
            parts.append("")
            parts.append("| name | kind | meaning | default |")
            parts.append("|---|---|---|---|")
            parts.extend(rows)
        sub = getattr(command, "commands", None)
        if sub:
            parts.append("")
            parts.append(
                "Commands: " + ", ".join(f"`{title} {name}`" for name in sub if name) + "."
            )
    return "\n".join(parts) + "\n"


SETTINGS_INTRO = """# Settings

Every setting a user may change is an environment variable, read through one table:
`src/carbonpeak/settings.py` (a pydantic-settings `BaseSettings`; a malformed value stops the
program at start, naming the variable; an empty one keeps the default). This page is written
from that table by `scripts/docs.py`, and `tests/test_docs.py` fails if a setting is missing
here or in README.md.

| variable | default | meaning |
|---|---|---|
"""


def settings_markdown() -> str:
    from carbonpeak.settings import SETTINGS

    rows = []
    for setting in SETTINGS:
        default = "(unset)" if setting.default in (None, "") else f"`{setting.default}`"
        rows.append(f"| `{setting.variable}` | {default} | {_cell(setting.meaning)} |")
    return SETTINGS_INTRO + "\n".join(rows) + "\n"


API_INTRO = """# API

The API lives under `/api/v1`; its OpenAPI description is served at `/docs` (and
`/openapi.json`) by `carbonpeak serve`. Sign in with a per-client token
(`Authorization: Bearer cpk_…`, from `carbonpeak user token`). Every refusal has one shape,
`{"error", "file", "problems"}`, with the status of the error vocabulary
(`src/carbonpeak/api/errors.py`): 404 not found, 403 forbidden, 422 invalid input, 409 conflict.
Who may call a route is declared on it and checked for every role by
`tests/web/test_authorisation.py`.

This list is written from the application's routes by `scripts/docs.py`; `tests/test_docs.py`
fails if a route is missing here.

| route | what |
|---|---|
"""


def api_routes() -> list[tuple[str, str, Any]]:
    """Every public route of the API as (method, path, route), in the app's order."""
    from fastapi.routing import APIRoute

    from carbonpeak.api import create_app

    app = create_app(lambda: None, lambda: None)  # type: ignore[arg-type,return-value]
    found = []
    for route in app.routes:
        if isinstance(route, APIRoute) and route.include_in_schema:
            for method in sorted(route.methods):
                found.append((method, route.path, route))
    return found


def api_markdown() -> str:
    rows = []
    for method, path, route in api_routes():
        what = route.summary or (route.description or "").strip().split("\n\n")[0]
        rows.append(f"| `{method} {path}` | {_cell(what)} |")
    return API_INTRO + "\n".join(rows) + "\n"


def metrics_markdown() -> str:
    """docs/metrics.md: the metric catalogue, from data/accounting/metrics.yaml."""
    from carbonpeak.accounting.metrics import CATALOGUE, METRIC_CATALOGUE_FILE

    lines = [
        "# Metric catalogue",
        "",
        "Every metric the accounting engine computes, from one table,",
        f"`src/carbonpeak/{METRIC_CATALOGUE_FILE}`, which also feeds the engine and the pages;",
        "written by `scripts/docs.py`. The methods are those of [accounting.md](accounting.md).",
        "",
        "| metric | kind | unit | 名称 | name | meaning | method |",
        "|---|---|---|---|---|---|---|",
    ]
    for m in CATALOGUE.values():
        cells = [f"`{m.id}`", m.kind, m.unit, m.zh, m.en, m.description, m.method]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    outputs = {
        DOCS / "cli.md": cli_markdown(),
        DOCS / "settings.md": settings_markdown(),
        DOCS / "api.md": api_markdown(),
        DOCS / "metrics.md": metrics_markdown(),
    }
    stale = [p for p, text in outputs.items() if not p.exists() or p.read_text("utf-8") != text]
    if "--check" in argv:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is not up to date: run scripts/docs.py")
        return 1 if stale else 0
    for path in stale:
        path.write_text(outputs[path], encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
