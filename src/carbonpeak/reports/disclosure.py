"""Statistical disclosure control: which aggregates of enterprises' data may be shown to anyone
but the carbon-peak office (docs/confidentiality.md).

A cell (a division's energy in a year, an indicator computed from a few plants) is confidential
when fewer than ``min_contributors`` enterprises make it up (threshold rule), or when one
enterprise's part exceeds ``dominance_share`` of the sum of the parts' absolute values ((1, k)
dominance rule). Complementary suppression then hides more cells wherever a confidential one
could be recovered by subtraction: cells tied by one linear equation (sectors and their
division's total, months and their year, gross = net + feedstock) never have exactly one hidden.

>>> rule = Thresholds(min_contributors=3, dominance_share=0.85, version="test")
>>> judge({"a": 90.0, "b": 5.0, "c": 5.0}, rule), judge({"a": 1.0, "b": 1.0}, rule)
(<Reason.dominance: 'dominance'>, <Reason.few_contributors: 'few_contributors'>)
>>> judge({"a": 40.0, "b": 30.0, "c": 30.0}, rule) is None
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from carbonpeak.factors import load_dataset
from carbonpeak.factors.model import Parameter
from carbonpeak.messages import text
from carbonpeak.reports.model import Column

__all__ = [
    "CONFIDENTIAL",
    "DATASET",
    "EDITION_NOTE",
    "REASON_TEXT",
    "Reason",
    "Thresholds",
    "confidential_column",
    "judge",
    "mark_row",
    "protect",
]

DATASET = "disclosure_control"
K = TypeVar("K", bound=Hashable)


class Reason(StrEnum):
    """Why a cell is confidential."""

    few_contributors = "few_contributors"  # fewer enterprises than the threshold
    dominance = "dominance"  # one enterprise above the dominance share
    complementary = "complementary"  # hidden so that another hidden cell cannot be recovered
    unclassified = "unclassified"  # an aggregate whose contributors are unknown: hidden to be safe


# What a reader sees in place of a confidential figure, and why it is hidden (Chinese, English),
# from the message catalogue (``confidential``, ``reason_<reason>``).
CONFIDENTIAL = (text("confidential", "zh"), text("confidential", "en"))
REASON_TEXT: dict[Reason, tuple[str, str]] = {
    reason: (text(f"reason_{reason.value}", "zh"), text(f"reason_{reason.value}", "en"))
    for reason in Reason
}


@dataclass(frozen=True)
class Thresholds:
    min_contributors: int
    dominance_share: float  # a fraction in (0, 1]
    version: str  # the reference dataset, id@edition

    @classmethod
    def load(cls, edition: str | None = None) -> Thresholds:
        """The thresholds of the packaged reference dataset (the newest edition by default)."""
        dataset = load_dataset(DATASET, edition)
        minimum, share = (dataset.record(k) for k in ("min_contributors", "dominance_share"))
        assert isinstance(minimum, Parameter)
        assert isinstance(share, Parameter)
        return cls(int(minimum.value.value), share.value.value / 100, dataset.version)


def _magnitude(value: float) -> float:
    return 0.0 if math.isnan(value) else abs(value)


def judge(contributions: Mapping[str, float], thresholds: Thresholds) -> Reason | None:
    """None when the cell may be shown to everyone; otherwise why it may not.

    ``contributions`` maps each enterprise in the cell to its part (any sign; NaN counts as
    zero). Every enterprise counts toward the threshold, a zero part too; dominance compares
    absolute values, so a cell whose parts are all zero has no dominant enterprise.
    """
    if len(contributions) < thresholds.min_contributors:
        return Reason.few_contributors
    parts = [_magnitude(v) for v in contributions.values()]
    total = sum(parts)
    if total > 0 and max(parts) > thresholds.dominance_share * total:
        return Reason.dominance
    return None


def protect(
    values: Mapping[K, float],
    primary: Mapping[K, Reason],
    relations: Iterable[Sequence[K]],
    rank: Callable[[K], int] = lambda _cell: 0,
) -> dict[K, Reason]:
    """The primary suppressions plus complementary ones.

    Each relation lists cells tied by one linear equation, all shown to the same readers (a
    total and its parts; the metrics of one row that sum to another). A relation with exactly
    one hidden cell gives it back by subtraction, so another cell of that relation is hidden
    too, until no relation has exactly one: a non-zero one first (a zero is easy to guess), then
    the lowest ``rank`` (the caller's information loss: a headline figure ranks high), then the
    smallest by absolute value. This protects against subtraction from shown cells; it does not
    stop a contributor to the complementary cell from subtracting its own part (the dominance
    rule's margin covers that only in part: docs/confidentiality.md).

    >>> protect({"t": 10.0, "a": 6.0, "b": 3.0, "c": 1.0}, {"a": Reason.dominance},
    ...         [("t", "a", "b", "c")])
    {'a': <Reason.dominance: 'dominance'>, 'c': <Reason.complementary: 'complementary'>}
    """
    hidden = dict(primary)
    tied = [tuple(r) for r in relations if len(r) > 1]
    holding: dict[K, list[int]] = {}  # cell → the relations it is in
    for index, relation in enumerate(tied):
        for cell in relation:
            holding.setdefault(cell, []).append(index)

    def order(cell: K) -> tuple[bool, int, float, str]:
        size = _magnitude(float(values.get(cell, 0.0)))
        return (size == 0, rank(cell), size, str(cell))

    # Only a relation holding a newly hidden cell can have come to hold exactly one.
    pending = sorted({i for cell in hidden for i in holding.get(cell, ())}, reverse=True)
    while pending:
        relation = tied[pending.pop()]
        if sum(1 for cell in relation if cell in hidden) != 1:
            continue
        chosen = min((cell for cell in relation if cell not in hidden), key=order)
        hidden[chosen] = Reason.complementary
        pending.extend(holding[chosen])
    return hidden


# What each edition of a report says about its confidential cells.
EDITION_NOTE = {
    False: text("report.edition.office", "zh"),
    True: text("report.edition.public", "zh"),
}


def mark_row(
    row: dict[str, object],
    hidden: Mapping[str, Reason],
    public: bool,
    names: Mapping[str, str],
) -> dict[str, object]:
    """A report row with its confidential cells: 保密 in their place in the public edition; in
    the office's, the values stay and the row's ``confidential`` cell names (``names``: column
    key → the reader's name) the cells that may not be published, and why.

    >>> names = {"a": "能耗", "b": "排放"}
    >>> mark_row({"a": 1.0, "b": 2.0}, {"a": Reason.dominance}, True, names)
    {'a': '保密', 'b': 2.0}
    >>> hidden = dict.fromkeys("ab", Reason.few_contributors)
    >>> mark_row({"a": 1.0, "b": 2.0}, hidden, False, names)["confidential"]
    '能耗、排放：企业数少于保密阈值'
    """
    marked = dict(row)
    if not hidden:
        return marked
    if public:
        marked.update(dict.fromkeys(hidden, CONFIDENTIAL[0]))
        return marked
    by_reason: dict[Reason, list[str]] = {}
    for key, reason in hidden.items():
        by_reason.setdefault(reason, []).append(names[key])
    marked["confidential"] = "；".join(
        f"{'、'.join(cells)}：{REASON_TEXT[reason][0]}" for reason, cells in by_reason.items()
    )
    return marked


def confidential_column(public: bool) -> tuple[Column, ...]:
    """The office's edition has a column saying which cells of a row are confidential."""
    return () if public else (Column("confidential", "保密", "Confidential"),)
