"""Docs that cannot drift: every plan-format field and every CLI command is documented."""

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from carbonpeak.cli import app
from carbonpeak.plan import Action, Goal, Indicator, Organisation, Plan, PlanInfo, Target, Task

DOCS = Path(__file__).resolve().parents[1] / "docs"
README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_plan_field_is_documented() -> None:
    text = (DOCS / "plan-format.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_]+)`", text))
    model: type[BaseModel]
    for model in (Plan, PlanInfo, Organisation, Indicator, Action, Task, Target, Goal):
        missing = set(model.model_fields) - documented
        assert not missing, f"{model.__name__} fields missing from docs/plan-format.md: {missing}"


def test_every_cli_command_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"carbonpeak {name}" in text, name
    for group in app.registered_groups:
        for command in group.typer_instance.registered_commands:
            name = command.name or command.callback.__name__
            assert f"carbonpeak {group.name} {name}" in text, f"{group.name} {name}"


def test_every_scenario_field_is_documented() -> None:
    from carbonpeak.scenarios import (
        Discrete,
        Project,
        Ramp,
        Scenario,
        SectorAssumptions,
        Step,
        Uncertain,
    )

    text = (DOCS / "scenarios.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_0-9]+)`", text))
    model: type[BaseModel]
    for model in (Scenario, SectorAssumptions, Project, Ramp, Uncertain, Discrete, Step):
        missing = set(model.model_fields) - documented
        assert not missing, f"{model.__name__} fields missing from docs/scenarios.md: {missing}"


def test_every_indicator_formula_and_status_is_in_the_tracking_docs() -> None:
    from carbonpeak.tracking.formulas import formulas
    from carbonpeak.tracking.method import tracking_method

    text = (DOCS / "tracking.md").read_text(encoding="utf-8")
    for indicator, formula in formulas().formulas.items():
        assert f"| `{indicator}` | `{formula.kind}` |" in text, indicator
    method = tracking_method()
    for status, info in method.statuses.items():
        assert f"| `{status}` | {info.zh} | {info.en} |" in text, status
    for name, value in method.parameters.items():
        assert f"| `{name}` | {value} |" in text, name


# --- Reference docs checked against the code (as Datasette checks its CLI docs) --------------
# docs/cli.md, docs/settings.md and docs/api.md are written by scripts/docs.py; a command,
# option, setting or route added without its docs fails here, saying what to add where.

REGENERATE = "run `PYTHONPATH=src python scripts/docs.py` (or write the row by hand)"


def _docs_script() -> Any:
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "scripts" / "docs.py"
    spec = importlib.util.spec_from_file_location("carbonpeak_docs_script", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _section(text: str, title: str) -> str | None:
    """The part of docs/cli.md under the heading ``## `title` `` (to the next heading)."""
    match = re.search(rf"^## `{re.escape(title)}`\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    return match.group(1) if match else None


def _help_options(path: str) -> set[str]:
    """The options `carbonpeak PATH --help` prints."""
    from typer.testing import CliRunner

    result = CliRunner().invoke(
        app,
        [*path.split(), "--help"],
        env={"TERMINAL_WIDTH": "200", "COLUMNS": "200", "NO_COLOR": "1"},
    )
    assert result.exit_code == 0, (path, result.output)
    # A group's listing of its commands may quote their options: only its own options count.
    options = re.split(r"─ Commands ─|^Commands:", result.output, flags=re.M)[0]
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[a-z])(?![\w-])", options)) - {"--help"}


def test_every_cli_command_and_option_is_in_docs_cli() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    missing: list[str] = []
    for path, command in _docs_script().command_paths(app):
        title = f"carbonpeak {path}".strip()
        section = _section(text, title)
        if section is None:
            missing.append(f"a section '## `{title}`' with its options")
            continue
        names = _help_options(path)
        names |= {
            f"{(p.metavar or p.name).upper()}"
            for p in command.params
            if not p.opts[0].startswith("-")
        }
        for name in sorted(names):
            if not re.search(rf"`{re.escape(name)}`", section):
                missing.append(f"'{name}' in the section '## `{title}`'")
    assert not missing, "docs/cli.md lacks:\n  " + "\n  ".join(missing) + f"\n{REGENERATE}"


def test_every_cli_command_and_option_has_help() -> None:
    lacking = []
    for path, command in _docs_script().command_paths(app):
        title = f"carbonpeak {path}".strip()
        if not (command.help or "").strip():
            lacking.append(f"{title}: the command's docstring (or its Typer help=)")
        for parameter in command.params:
            if not getattr(parameter, "hidden", False) and not (parameter.help or "").strip():
                lacking.append(f"{title} {parameter.name}: help= on its typer.Option/Argument")
    assert not lacking, "help text missing:\n  " + "\n  ".join(lacking)


def test_every_exit_code_is_in_docs_cli() -> None:
    from carbonpeak.cli.errors import EXIT_CODES

    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    for error, (code, _meaning) in EXIT_CODES.items():
        assert f"| {code} | `{error.__name__}` |" in text, (
            f"docs/cli.md: the exit-code table lacks '| {code} | `{error.__name__}` |'; "
            + REGENERATE
        )


def test_every_setting_is_in_docs_settings_and_the_readme() -> None:
    from carbonpeak.settings import SETTINGS

    settings_text = (DOCS / "settings.md").read_text(encoding="utf-8")
    readme = README.read_text(encoding="utf-8")
    missing = [
        f"{where}: a row '| `{s.variable}` | default | meaning |'"
        for s in SETTINGS
        for where, text in (("docs/settings.md", settings_text), ("README.md", readme))
        if f"| `{s.variable}` |" not in text
    ]
    assert not missing, "\n".join(missing) + f"\n(docs/settings.md: {REGENERATE})"


def test_every_environment_variable_in_src_is_a_setting() -> None:
    """A CARBONPEAK_* variable read anywhere is a field of the one settings table."""
    from carbonpeak.settings import SETTINGS

    known = {s.variable for s in SETTINGS}
    src = Path(__file__).resolve().parents[1] / "src" / "carbonpeak"
    stray = {
        f"{name} ({path.relative_to(src.parent)})"
        for path in src.rglob("*.py")
        for name in re.findall(r"\bCARBONPEAK_[A-Z_]+[A-Z]\b", path.read_text(encoding="utf-8"))
        if name not in known
    }
    assert not stray, (
        "not in the settings table (add a field with a description to "
        f"src/carbonpeak/settings.py, then document it): {sorted(stray)}"
    )


def test_every_api_route_is_in_docs_api() -> None:
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    missing = [
        f"| `{method} {path}` | what it does |"
        for method, path, _route in _docs_script().api_routes()
        if f"`{method} {path}`" not in text
    ]
    assert not missing, "docs/api.md lacks the rows:\n  " + "\n  ".join(missing) + f"\n{REGENERATE}"


def test_nothing_cites_a_path_outside_the_repository() -> None:
    root = Path(__file__).resolve().parents[1]
    files = [root / "README.md", *(root / "docs").rglob("*"), *(root / "src").rglob("*")]
    citing = [
        str(path.relative_to(root))
        for path in files
        if path.is_file()
        and path.suffix in {".md", ".py", ".yaml", ".yml", ".txt", ".html", ".toml", ".csv"}
        and "../shared" in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert not citing, (
        f"{citing} cite ../shared: copy the facts into docs/ (docs/sources.md, "
        "docs/reference-data.md) with their original sources, and point there"
    )
