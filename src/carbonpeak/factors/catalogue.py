"""Load reference datasets from the packaged data files (or any file in the same format)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from carbonpeak.factors.model import DatasetKind, ReferenceDataset

__all__ = [
    "ReferenceDataError",
    "dataset_files",
    "load_all",
    "load_dataset",
    "parse_dataset",
    "read_dataset",
]

# Dataset-level fields a record inherits when it does not state them itself.
_INHERITED = ("status", "source", "valid_from", "valid_to")


@dataclass(frozen=True)
class ReferenceDataError(ValueError):
    """A reference file that does not load: names the file, the record and the field."""

    file: str
    location: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}: {self.location}: {self.problem}"


def parse_dataset(text: str | bytes, name: str) -> ReferenceDataset:
    """Parse one reference-data file's content; ``name`` is used in error messages."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    try:
        document = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise ReferenceDataError(name, "file", f"not valid YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise ReferenceDataError(name, "file", "expected a mapping at the top level")
    records = document.get("records")
    if not isinstance(records, list) or not records:
        raise ReferenceDataError(name, "records", "expected a non-empty list")
    kind = document.get("kind")
    merged: list[dict[str, Any]] = []
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise ReferenceDataError(name, f"records[{index}]", "expected a mapping")
        full = {field: document.get(field) for field in _INHERITED if field in document}
        full.update(record)
        full["kind"] = kind
        merged.append(full)
    payload = {**document, "records": merged, "sha256": hashlib.sha256(raw).hexdigest()}
    try:
        return ReferenceDataset.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        location = ".".join(str(part) for part in first["loc"])
        if first["loc"][:1] == ("records",) and len(first["loc"]) > 1:
            index = int(first["loc"][1])
            key = merged[index].get("key", "?")
            location = f"records[{index}] (key {key!r})." + ".".join(
                str(part) for part in first["loc"][3:]
            )
        raise ReferenceDataError(
            name, location, f"{first['msg']} (found {first.get('input')!r})"
        ) from exc


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
            raise ReferenceDataError(name, "kind", f"expected {kind.value}, found {dataset.kind}")
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
