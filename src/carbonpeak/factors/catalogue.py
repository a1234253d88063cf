"""Load reference datasets from the packaged data files (or any file in the same format)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from carbonpeak.datafile import DataFileError, Problem, problems_from_validation
from carbonpeak.factors.model import DatasetKind, Measured, ReferenceDataset

__all__ = [
    "ReferenceDataError",
    "dataset_files",
    "load_all",
    "load_dataset",
    "parse_dataset",
    "read_dataset",
    "resolve_reference_value",
]

# Dataset-level fields a record inherits when it does not state them itself.
_INHERITED = ("status", "source", "valid_from", "valid_to")


class ReferenceDataError(DataFileError):
    """A reference-data file that does not load."""


def _fail(name: str, location: str, problem: str, found: Any = None) -> ReferenceDataError:
    return ReferenceDataError(name, [Problem(location, problem, found=found)])


def parse_dataset(text: str | bytes, name: str) -> ReferenceDataset:
    """Parse one reference-data file's content; ``name`` is used in error messages."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    try:
        document = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise _fail(name, "file", f"not valid YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise _fail(name, "file", "expected a mapping at the top level")
    records = document.get("records")
    if not isinstance(records, list) or not records:
        raise _fail(name, "records", "expected a non-empty list of records", found=records)
    kind = document.get("kind")
    merged: list[dict[str, Any]] = []
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise _fail(name, f"records[{index}]", "expected a mapping", found=record)
        full = {field: document.get(field) for field in _INHERITED if field in document}
        full.update(record)
        full["kind"] = kind
        merged.append(full)
    payload = {**document, "records": merged, "sha256": hashlib.sha256(raw).hexdigest()}
    try:
        return ReferenceDataset.model_validate(payload)
    except ValidationError as exc:
        problems = problems_from_validation(exc)
        # "records.3.efficiency_levels.unit" -> "records[3] (key 'x').unit"
        for i, problem in enumerate(problems):
            parts = problem.location.split(".")
            if parts[0] == "records" and len(parts) > 1 and parts[1].isdigit():
                index = int(parts[1])
                key = merged[index].get("key", "?")
                rest = ".".join(parts[3:])
                location = f"records[{index}] (key {key!r})" + (f".{rest}" if rest else "")
                problems[i] = Problem(location, problem.problem, found=problem.found)
        raise ReferenceDataError(name, problems) from exc


def read_dataset(path: str | Path) -> ReferenceDataset:
    """Read and parse one reference-data file."""
    file = Path(path)
    return parse_dataset(file.read_bytes(), str(file))


def _data_root() -> Traversable:
    return resources.files("carbonpeak").joinpath("data", "reference")


def dataset_files() -> Iterator[tuple[DatasetKind, Traversable]]:
    """The packaged reference files with the kind their folder declares, in a stable order."""
    root = _data_root()
    for kind in DatasetKind:
        folder = root.joinpath(kind.value)
        if folder.is_dir():
            for file in sorted(folder.iterdir(), key=lambda f: f.name):
                if file.name.endswith(".yaml"):
                    yield kind, file


@cache
def load_all() -> tuple[ReferenceDataset, ...]:
    """Every packaged reference dataset; a new edition is a new file, so all are kept."""
    datasets = []
    for kind, file in dataset_files():
        name = f"data/reference/{kind.value}/{file.name}"
        dataset = parse_dataset(file.read_bytes(), name)
        if dataset.kind != kind:
            raise _fail(name, "kind", f"expected {kind.value}", found=dataset.kind.value)
        datasets.append(dataset)
    return tuple(datasets)


def load_dataset(dataset_id: str, edition: str | None = None) -> ReferenceDataset:
    """A packaged dataset by id, the newest edition unless one is named."""
    matches = [d for d in load_all() if d.id == dataset_id]
    if edition is not None:
        matches = [d for d in matches if d.edition == edition]
    if not matches:
        known = sorted({d.version for d in load_all()})
        raise KeyError(f"no reference dataset {dataset_id!r} edition {edition!r}; known: {known}")
    return max(matches, key=lambda d: d.valid_from)


_REFERENCE = re.compile(
    r"(?P<id>[a-z0-9_.-]+)@(?P<edition>[^:]+):(?P<key>[a-z0-9_]+)\.(?P<field>\w+)"
)


def resolve_reference_value(reference: str) -> tuple[float, str]:
    """Look up ``"dataset@edition:record.field"`` and return ``(value, unit)``.

    Lets a plan state a target as a reference level ("标杆水平") and still carry a number.

    >>> resolve_reference_value("ndrc_benchmark@2023:calcium_carbide.benchmark_level")
    (805.0, 'kgce/t')
    """
    match = re.fullmatch(
        r"(?P<id>[a-z0-9_.-]+)@(?P<edition>[^:]+):(?P<key>[a-z0-9_]+)\.(?P<field>\w+)", reference
    )
    if match is None:
        raise KeyError(f"malformed reference {reference!r}; expected dataset@edition:record.field")
    record = load_dataset(match["id"], match["edition"]).record(match["key"])
    field = getattr(record, match["field"], None)
    if isinstance(field, Measured):
        return field.value, field.unit
    unit = getattr(record, "unit", None)
    if not isinstance(field, int | float) or not isinstance(unit, str):
        raise KeyError(f"{reference!r} is not a numeric field with a unit")
    return float(field), unit
