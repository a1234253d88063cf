"""The data the review stands on: the two-high list (a reference file with its edition), the
office's review rules, and the labels (zh_CN, en) of every status (from the message catalogue)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from carbonpeak.datafile import DataFileError, problems_from_validation
from carbonpeak.messages import has_text, text

__all__ = [
    "TWO_HIGH_EDITION",
    "Ban",
    "ReviewRules",
    "TwoHighList",
    "label",
    "review_rules",
    "two_high_list",
]

TWO_HIGH_EDITION = "national-2021"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TwoHighSector(_Frozen):
    key: str
    name_zh: str
    name_en: str
    prefixes: tuple[str, ...]


class Ban(_Frozen):
    product: str
    clause: str
    text_zh: str


class BenchmarkRule(_Frozen):
    clause: str
    products: tuple[str, ...]


class Rectification(_Frozen):
    deadline: date
    clause: str
    status: str


class TwoHighList(_Frozen):
    kind: str
    id: str
    edition: str
    title_zh: str
    title_en: str
    publisher: str
    valid_from: date
    status: str
    source: str
    sectors: tuple[TwoHighSector, ...]
    benchmark_required: BenchmarkRule
    bans: tuple[Ban, ...]
    rectification: dict[str, Rectification]

    @property
    def reference(self) -> str:
        return (
            f"data/reference/two_high_list/{TWO_HIGH_EDITION}.yaml "
            f"(edition {self.edition}, {self.status})"
        )

    def sector_of(self, code: str) -> TwoHighSector | None:
        """The two-high sector group a GB/T 4754 code falls in (longest prefix), if any."""
        matches = [s for s in self.sectors if any(code.startswith(p) for p in s.prefixes)]
        return max(matches, key=lambda s: max(len(p) for p in s.prefixes), default=None)

    def ban_on(self, product: str) -> Ban | None:
        return next((b for b in self.bans if b.product == product), None)


class AcceptanceRules(_Frozen):
    tolerance_pct: float
    min_months: int


class ReviewRules(_Frozen):
    format: str
    edition: str
    source: str
    scenario: str
    draws: int
    seed: int
    acceptance: AcceptanceRules
    target_probability_likely: float


def _yaml(*parts: str) -> Any:
    path = resources.files("carbonpeak").joinpath("data", *parts)
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def two_high_list() -> TwoHighList:
    name = f"data/reference/two_high_list/{TWO_HIGH_EDITION}.yaml"
    try:
        return TwoHighList.model_validate(
            _yaml("reference", "two_high_list", f"{TWO_HIGH_EDITION}.yaml")
        )
    except ValidationError as exc:
        raise DataFileError(name, problems_from_validation(exc)) from None


@lru_cache(maxsize=1)
def review_rules() -> ReviewRules:
    try:
        return ReviewRules.model_validate(_yaml("projects", "rules.yaml"))
    except ValidationError as exc:
        raise DataFileError("data/projects/rules.yaml", problems_from_validation(exc)) from None


def label(group: str, key: str, locale: str = "zh_CN") -> str:
    """The label of a status, from the message catalogue (``project.<group>.<key>``); an unknown
    key reads as itself, never as a blank."""
    found = f"project.{group}.{key}"
    if not has_text(found):
        return key
    return text(found, "en" if locale == "en" else "zh")
