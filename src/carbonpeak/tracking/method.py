"""The tracking method's parameters and vocabularies, read from ``data/methods/tracking.yaml``.

Thresholds, the assessment date and the target statuses (with their assessment points) are data
with their sources: the code, the pages and the docs read them here, so a status means the same
thing everywhere. Their Chinese and English texts are in the message catalogue
(``status.<id>``, ``goal_status.<id>``, ``method.<id>``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from carbonpeak.messages import text as catalogue_text

__all__ = [
    "METHOD_FILE",
    "StatusInfo",
    "TrackingMethod",
    "assessment_date",
    "goal_status_label",
    "method_label",
    "status_label",
    "tracking_method",
]

METHOD_FILE = "data/methods/tracking.yaml"


@dataclass(frozen=True)
class StatusInfo:
    id: str
    zh: str
    en: str
    points: float | None  # assessment points; None leaves the target out of the score
    meaning: str


@dataclass(frozen=True)
class TrackingMethod:
    parameters: dict[str, Any]
    sources: dict[str, str]
    statuses: dict[str, StatusInfo]
    goal_statuses: dict[str, tuple[str, str]]
    methods: dict[str, tuple[str, str]]

    def parameter(self, name: str) -> Any:
        return self.parameters[name]


def _texts(key: str) -> tuple[str, str]:
    return catalogue_text(key, "zh"), catalogue_text(key, "en")


@cache
def tracking_method() -> TrackingMethod:
    """The packaged method file, parsed once."""
    text = resources.files("carbonpeak").joinpath(METHOD_FILE).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    parameters = {k: v["value"] for k, v in data["parameters"].items()}
    sources = {k: str(v["source"]) for k, v in data["parameters"].items()}
    statuses = {
        key: StatusInfo(
            key,
            catalogue_text(f"status.{key}", "zh"),
            catalogue_text(f"status.{key}", "en"),
            None if v["points"] is None else float(v["points"]),
            str(v["meaning"]),
        )
        for key, v in data["statuses"].items()
    }
    goals = {key: _texts(f"goal_status.{key}") for key in data["goal_statuses"]}
    methods = {key: _texts(f"method.{key}") for key in data["methods"]}
    return TrackingMethod(parameters, sources, statuses, goals, methods)


def status_label(status: str, language: str = "zh") -> str:
    """A target status in ``language``.

    >>> status_label("missed"), status_label("missed", "en")
    ('未完成', 'Missed')
    """
    info = tracking_method().statuses[status]
    return info.en if language == "en" else info.zh


def goal_status_label(status: str, language: str = "zh") -> str:
    """A qualitative goal's status in ``language``.

    >>> goal_status_label("pending"), goal_status_label("not_met", "en")
    ('待评估', 'Not met')
    """
    zh, en = tracking_method().goal_statuses[status]
    return en if language == "en" else zh


def method_label(method: str, language: str = "zh") -> str:
    """How a status was judged, in ``language``."""
    zh, en = tracking_method().methods[method]
    return en if language == "en" else zh


def assessment_date(year: int) -> date:
    """The date year ``year`` is assessed on: only reports received by then count for it.

    >>> assessment_date(2024)
    datetime.date(2025, 3, 31)
    """
    month, day = (
        int(x) for x in str(tracking_method().parameter("assessment_month_day")).split("-")
    )
    return date(year + 1, month, day)
