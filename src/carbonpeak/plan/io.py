"""Read plan files (YAML, ``carbonpeak-plan/1``), checked against their source document."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from carbonpeak.datafile import DataFileError, Problem, problems_from_validation
from carbonpeak.factors import resolve_reference_value
from carbonpeak.plan.model import Plan
from carbonpeak.plan.rules import ValueResolver, validate_plan

__all__ = ["PlanDocument", "default_plan_path", "load_plan", "parse_plan", "read_plan"]


@dataclass(frozen=True)
class PlanDocument:
    """A parsed plan with where it came from, for lineage."""

    plan: Plan
    file: str
    sha256: str
    source_text: str | None


def parse_plan(text: str | bytes, name: str) -> Plan:
    """Parse plan content; raise :class:`DataFileError` naming every schema problem."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    try:
        document = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise DataFileError(name, [Problem("file", f"not valid YAML: {exc}")]) from exc
    if not isinstance(document, dict):
        raise DataFileError(
            name,
            [
                Problem(
                    "file",
                    "expected a mapping at the top level",
                    expected="mapping",
                    found=type(document).__name__,
                )
            ],
        )
    try:
        return Plan.model_validate(document)
    except ValidationError as exc:
        raise DataFileError(name, problems_from_validation(exc)) from exc


def read_plan(path: str | Path) -> PlanDocument:
    """Read a plan file and the source document it names, without checking consistency."""
    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise DataFileError(str(file), [Problem("file", f"cannot read: {exc.strerror}")]) from exc
    plan = parse_plan(raw, str(file))
    source_text = None
    if plan.plan.source_document:
        source = file.parent / plan.plan.source_document
        try:
            source_text = source.read_text(encoding="utf-8")
        except OSError as exc:
            raise DataFileError(
                str(file),
                [
                    Problem(
                        "plan.source_document",
                        f"cannot read {source}: {exc.strerror}",
                        expected="a readable UTF-8 file beside the plan",
                        found=plan.plan.source_document,
                    )
                ],
            ) from exc
    return PlanDocument(plan, str(file), hashlib.sha256(raw).hexdigest(), source_text)


def load_plan(
    path: str | Path | None = None,
    resolve_value: ValueResolver | None = resolve_reference_value,
) -> PlanDocument:
    """Read and validate a plan (the packaged Ningdong plan by default); raise on any problem."""
    document = read_plan(path if path is not None else default_plan_path())
    problems = validate_plan(document.plan, document.source_text, resolve_value)
    if problems:
        raise DataFileError(document.file, problems)
    return document


def default_plan_path() -> Path:
    """The packaged plan of the first user, the Ningdong base."""
    resource = resources.files("carbonpeak").joinpath("data", "plans", "ningdong", "plan.yaml")
    return Path(str(resource))
