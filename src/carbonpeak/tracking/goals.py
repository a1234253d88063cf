"""Checks of the plan's qualitative goals against yearly series, each with its reasoning.

Statuses: ``met``; ``not_met``; ``pending`` (holding so far, but the period has not ended);
``not_assessable`` (too little data); ``not_checkable`` (a direction no data can check).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

__all__ = ["PLATEAU_TOLERANCE", "GoalCheck", "check_goal", "peak_year"]

# 稳中有降 ("stable with a slight fall"): a year within 1 % above the start still counts as stable
# (the plateau tolerance of docs/scenarios.md).
PLATEAU_TOLERANCE = 0.01


@dataclass(frozen=True)
class GoalCheck:
    status: str
    reasoning: str


def peak_year(series: dict[int, float]) -> int:
    """The year of the highest value (the earliest, if tied)."""
    return max(sorted(series), key=lambda year: series[year])


def _ended(years: list[int], end_year: int | None) -> bool:
    return end_year is not None and bool(years) and years[-1] >= end_year


def check_goal(
    kind: str,
    series: dict[int, float],
    start_year: int | None,
    end_year: int | None,
    threshold: float | None = None,
) -> GoalCheck:
    """Check a ``peak_by``, ``decreasing``, ``non_increasing``, ``no_increase``, ``rising``,
    ``higher_at_end`` or ``reaches_level`` goal."""
    years = sorted(series)
    if kind == "reaches_level":
        return _reaches_level(series, years, end_year, threshold)
    if kind == "peak_by":
        if len(years) < 2:
            return GoalCheck("not_assessable", "fewer than two years of data")
        peak = peak_year(series)
        if end_year is not None and peak > end_year:
            return GoalCheck("not_met", f"the highest value is in {peak}, after {end_year}")
        later = [y for y in years if y > peak]
        if not later:
            return GoalCheck(
                "not_met" if _ended(years, end_year) else "pending",
                f"{years[-1]} is the highest year so far ({series[peak]:g}): no peak yet",
            )
        reasoning = (
            f"highest in {peak} ({series[peak]:g}), lower in each of the {len(later)} year(s) since"
        )
        return GoalCheck(
            "met" if _ended(years, end_year) else "pending",
            reasoning
            + ("" if _ended(years, end_year) else f"; confirmed once {end_year} has passed"),
        )
    if kind == "no_increase":
        before = [y for y in years if start_year is not None and y <= start_year]
        after = [y for y in years if start_year is not None and y > start_year]
        if not before:
            return GoalCheck("not_assessable", f"no value at or before {start_year}")
        reference = series[before[-1]]
        above = [y for y in after if series[y] > reference]
        if above:
            return GoalCheck("not_met", f"above the {before[-1]} level ({reference:g}) in {above}")
        return GoalCheck(
            "met" if _ended(years, end_year) else "pending",
            f"never above the {before[-1]} level ({reference:g})",
        )
    window = [
        y
        for y in years
        if (start_year is None or y >= start_year) and (end_year is None or y <= end_year)
    ]
    if len(window) < 2:
        return GoalCheck("not_assessable", f"fewer than two years in {start_year}–{end_year}")
    if kind == "rising":
        falls = [b for a, b in itertools.pairwise(window) if series[b] <= series[a]]
        if falls:
            return GoalCheck("not_met", f"should rise every year; did not in {falls}")
        return GoalCheck(
            "met" if _ended(window, end_year) else "pending",
            f"rises every year over {window[0]}–{window[-1]}",
        )
    if kind == "higher_at_end":
        first, last = series[window[0]], series[window[-1]]
        if last <= first:
            status = "not_met" if _ended(window, end_year) else "pending"
            return GoalCheck(
                status, f"{last:g} in {window[-1]} is not above {first:g} in {window[0]}"
            )
        return GoalCheck(
            "met" if _ended(window, end_year) else "pending",
            f"{last:g} in {window[-1]} is above {first:g} in {window[0]}",
        )
    if kind == "decreasing":
        rises = [b for a, b in itertools.pairwise(window) if series[b] >= series[a]]
        rule = "falls every year"
    elif kind == "non_increasing":
        ceiling = series[window[0]] * (1 + PLATEAU_TOLERANCE)
        rises = [y for y in window[1:] if series[y] > ceiling]
        rule = f"stays within {PLATEAU_TOLERANCE:.0%} of its {window[0]} level or falls"
    else:
        return GoalCheck("not_assessable", f"goal kind {kind!r} is not checked against a series")
    if rises:
        return GoalCheck(
            "not_met", f"should have {rule.replace('falls', 'fallen', 1)}; did not in {rises}"
        )
    return GoalCheck(
        "met" if _ended(window, end_year) else "pending", f"{rule} over {window[0]}–{window[-1]}"
    )


def _reaches_level(
    series: dict[int, float], years: list[int], end_year: int | None, threshold: float | None
) -> GoalCheck:
    if threshold is None:
        return GoalCheck("not_assessable", "the goal states no level")
    if not years:
        return GoalCheck("not_assessable", "no values yet")
    reached = [y for y in years if series[y] >= threshold]
    if reached and (end_year is None or reached[0] <= end_year):
        return GoalCheck("met", f"{series[reached[0]]:g} in {reached[0]} reaches {threshold:g}")
    latest = years[-1]
    if end_year is not None and latest >= end_year:
        return GoalCheck(
            "not_met",
            f"{series[end_year] if end_year in series else series[latest]:g} "
            f"by {end_year}, below {threshold:g}",
        )
    return GoalCheck("pending", f"{series[latest]:g} in {latest}, below {threshold:g} so far")
