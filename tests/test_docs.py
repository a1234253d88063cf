"""Docs that cannot drift: every plan-format field and every CLI command is documented."""

import re
from pathlib import Path

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
