"""Checks of the plan's qualitative goals against yearly series, each with its reasoning.

Statuses: ``met``; ``not_met``; ``pending`` (holding so far, but the period has not ended);
``not_assessable`` (too little data); ``not_checkable`` (a direction no data can check).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from carbonpeak.messages import Message, message
from carbonpeak.tracking.wording import figure, whole_percent
from carbonpeak.tracking.wording import years as year_list

__all__ = ["PLATEAU_TOLERANCE", "GoalCheck", "check_goal", "peak_year"]

# 稳中有降 ("stable with a slight fall"): a year within 1 % above the start still counts as stable
# (the plateau tolerance of docs/scenarios.md).
PLATEAU_TOLERANCE = 0.01


@dataclass(frozen=True)
class GoalCheck:
    status: str
    reason: Message  # why, in either language

    @property
    def reasoning(self) -> str:
        """The reason in English (the API's and the logs' text)."""
        return self.reason.text("en")


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
            return GoalCheck("not_assessable", message("goal.too_few_years"))
        peak = peak_year(series)
        if end_year is not None and peak > end_year:
            return GoalCheck("not_met", message("goal.peak_after", peak=peak, end=end_year))
        later = [y for y in years if y > peak]
        if not later:
            return GoalCheck(
                "not_met" if _ended(years, end_year) else "pending",
                message("goal.no_peak_yet", year=years[-1], value=figure(series[peak])),
            )
        ended = _ended(years, end_year)
        return GoalCheck(
            "met" if ended else "pending",
            message(
                "goal.peaked",
                peak=peak,
                value=figure(series[peak]),
                count=len(later),
                confirm="" if ended else message("goal.confirmed_after", year=end_year),
            ),
        )
    if kind == "no_increase":
        before = [y for y in years if start_year is not None and y <= start_year]
        after = [y for y in years if start_year is not None and y > start_year]
        if not before:
            return GoalCheck("not_assessable", message("goal.no_value_before", year=start_year))
        reference = series[before[-1]]
        above = [y for y in after if series[y] > reference]
        if above:
            return GoalCheck(
                "not_met",
                message(
                    "goal.above_level",
                    year=before[-1],
                    value=figure(reference),
                    years=year_list(above),
                ),
            )
        return GoalCheck(
            "met" if _ended(years, end_year) else "pending",
            message("goal.never_above", year=before[-1], value=figure(reference)),
        )
    window = [
        y
        for y in years
        if (start_year is None or y >= start_year) and (end_year is None or y <= end_year)
    ]
    if len(window) < 2:
        return GoalCheck(
            "not_assessable",
            message("goal.too_few_years_in", start=start_year or "", end=end_year or ""),
        )
    if kind == "rising":
        falls = [b for a, b in itertools.pairwise(window) if series[b] <= series[a]]
        if falls:
            return GoalCheck("not_met", message("goal.not_rising", years=year_list(falls)))
        return GoalCheck(
            "met" if _ended(window, end_year) else "pending",
            message("goal.rising", start=window[0], end=window[-1]),
        )
    if kind == "higher_at_end":
        first, last = series[window[0]], series[window[-1]]
        if last <= first:
            status = "not_met" if _ended(window, end_year) else "pending"
            return GoalCheck(status, message("goal.not_above_first", **_ends(series, window)))
        return GoalCheck(
            "met" if _ended(window, end_year) else "pending",
            message("goal.above_first", **_ends(series, window)),
        )
    if kind == "decreasing":
        rises = [b for a, b in itertools.pairwise(window) if series[b] >= series[a]]
        rule = "falls"
    elif kind == "non_increasing":
        ceiling = series[window[0]] * (1 + PLATEAU_TOLERANCE)
        rises = [y for y in window[1:] if series[y] > ceiling]
        rule = "plateau"
    else:
        return GoalCheck("not_assessable", message("goal.kind_unchecked"))
    tolerance = whole_percent(PLATEAU_TOLERANCE)
    values = {"start": window[0], "end": window[-1], "tolerance": tolerance}
    if rises:
        return GoalCheck("not_met", message(f"goal.not_{rule}", years=year_list(rises), **values))
    return GoalCheck(
        "met" if _ended(window, end_year) else "pending", message(f"goal.{rule}", **values)
    )


def _reaches_level(
    series: dict[int, float], years: list[int], end_year: int | None, threshold: float | None
) -> GoalCheck:
    if threshold is None:
        return GoalCheck("not_assessable", message("goal.no_level"))
    if not years:
        return GoalCheck("not_assessable", message("goal.no_values"))
    level = figure(threshold)
    reached = [y for y in years if series[y] >= threshold]
    if reached and (end_year is None or reached[0] <= end_year):
        value = figure(series[reached[0]])
        return GoalCheck("met", message("goal.reaches", value=value, year=reached[0], level=level))
    latest = years[-1]
    if end_year is not None and latest >= end_year:
        value = figure(series[end_year] if end_year in series else series[latest])
        return GoalCheck(
            "not_met", message("goal.below_by_end", value=value, end=end_year, level=level)
        )
    value = figure(series[latest])
    return GoalCheck("pending", message("goal.below_so_far", value=value, year=latest, level=level))


def _ends(series: dict[int, float], window: list[int]) -> dict[str, object]:
    """The first and last years of ``window`` and their values, for a reason's text."""
    return {
        "start": window[0],
        "first": figure(series[window[0]]),
        "end": window[-1],
        "last": figure(series[window[-1]]),
    }
