"""Checks a plan must pass beyond its schema: units, years, baselines, ownership, quotes."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from decimal import Decimal

from carbonpeak.datafile import Problem
from carbonpeak.plan.model import Goal, GoalKind, Measure, Plan, Target
from carbonpeak.units import (
    UnitError,
    annualised_unit,
    is_compatible,
    parse_stated_quantity,
    parse_unit,
    to_magnitude,
)

__all__ = ["ValueResolver", "compact", "validate_plan"]

# Resolves a target's value_reference ("dataset@edition:record.field") to (value, unit).
ValueResolver = Callable[[str], tuple[float, str]]

_WHITESPACE = re.compile(r"\s+")


def compact(text: str) -> str:
    """``text`` without whitespace or bold markers: PDF extraction breaks sentences across pages."""
    return _WHITESPACE.sub("", text).replace("**", "")


def validate_plan(
    plan: Plan,
    source_text: str | None = None,
    resolve_value: ValueResolver | None = None,
) -> list[Problem]:
    """Every problem with ``plan``; an empty list means it is consistent.

    ``source_text`` is the plan document: every quote must occur in it. ``resolve_value`` looks up
    targets stated as a reference level ("标杆水平") in the reference data.
    """
    problems: list[Problem] = []
    problems += _unique_ids(plan)
    problems += _responsible_units_exist(plan)
    problems += _indicators(plan)
    for index, target in enumerate(plan.targets):
        where = f"targets[{index}] ({target.id})"
        problems += _target(plan, target, where, resolve_value)
    for index, goal in enumerate(plan.goals):
        problems += _goal(plan, goal, f"goals[{index}] ({goal.id})")
    if source_text is not None:
        problems += _quotes_in_source(plan, compact(source_text))
    return problems


def _duplicates(kind: str, ids: Iterable[str]) -> list[Problem]:
    counts = Counter(ids)
    return [
        Problem(kind, f"id {name!r} is used {n} times", expected="unique ids", found=name)
        for name, n in counts.items()
        if n > 1
    ]


def _unique_ids(plan: Plan) -> list[Problem]:
    names = [name.casefold() for org in plan.organisations for name in org.names()]
    return (
        _duplicates("organisations", (o.id for o in plan.organisations))
        + _duplicates("organisations (names and aliases)", names)
        + _duplicates("indicators", (i.id for i in plan.indicators))
        + _duplicates("actions", (a.id for a in plan.actions))
        + _duplicates("tasks", (t.id for _, t in plan.tasks()))
        + _duplicates("targets", (t.id for t in plan.targets))
        + _duplicates("goals", (g.id for g in plan.goals))
    )


def _responsible_units_exist(plan: Plan) -> list[Problem]:
    problems = []
    for action in plan.actions:
        for task in action.tasks:
            if not task.id.startswith(action.id):
                problems.append(
                    Problem(
                        f"tasks ({task.id})",
                        "task clause is not inside its action's clause",
                        expected=f"a clause under {action.id}",
                        found=task.id,
                    )
                )
            for name in task.responsible_units:
                problems += _organisation_exists(plan, f"tasks ({task.id}).responsible_units", name)
    return problems


def _organisation_exists(plan: Plan, where: str, name: str) -> list[Problem]:
    try:
        plan.organisation(name)
    except KeyError:
        return [
            Problem(
                where,
                "unit is not in the organisation registry",
                expected="a registered organisation name or alias",
                found=name,
            )
        ]
    return []


def _indicators(plan: Plan) -> list[Problem]:
    problems = []
    for indicator in plan.indicators:
        try:
            parse_unit(indicator.unit)
        except UnitError as exc:
            problems.append(
                Problem(
                    f"indicators ({indicator.id}).unit",
                    str(exc),
                    expected="a unit the registry knows",
                    found=indicator.unit,
                )
            )
    return problems


def _owner(plan: Plan, owner: Target | Goal, where: str) -> list[Problem]:
    problems = []
    if owner.task is not None:
        try:
            plan.task(owner.task)
        except KeyError:
            problems.append(
                Problem(
                    f"{where}.task",
                    "no such task",
                    expected="a task id of this plan",
                    found=owner.task,
                )
            )
    elif not owner.responsible_units:
        problems.append(
            Problem(
                where, "nobody is responsible", expected="a task or responsible_units", found=None
            )
        )
    for name in owner.responsible_units:
        problems += _organisation_exists(plan, f"{where}.responsible_units", name)
    return problems


def _years(plan: Plan, where: str, *years: int | None) -> list[Problem]:
    low, high = plan.plan.base_year, plan.plan.horizon_year
    return [
        Problem(where, "year outside the plan's span", expected=f"{low}..{high}", found=year)
        for year in years
        if year is not None and not low <= year <= high
    ]


def _target(
    plan: Plan, target: Target, where: str, resolve_value: ValueResolver | None
) -> list[Problem]:
    problems = _owner(plan, target, where) + _years(plan, f"{where}.year", target.year)
    try:
        indicator = plan.indicator(target.indicator)
    except KeyError:
        return [
            *problems,
            Problem(
                f"{where}.indicator",
                "no such indicator",
                expected="an indicator id of this plan",
                found=target.indicator,
            ),
        ]
    try:
        parse_unit(target.unit)
    except UnitError as exc:
        return [
            *problems,
            Problem(f"{where}.unit", str(exc), expected="a known unit", found=target.unit),
        ]
    if target.measure is Measure.level:
        if not is_compatible(target.unit, indicator.unit):
            problems.append(
                Problem(
                    f"{where}.unit",
                    "not the indicator's dimension",
                    expected=f"a unit convertible to {indicator.unit}",
                    found=target.unit,
                )
            )
        if target.baseline_year is not None:
            problems.append(
                Problem(
                    f"{where}.baseline_year",
                    "a level target has no baseline",
                    expected=None,
                    found=target.baseline_year,
                )
            )
    else:
        if not is_compatible(target.unit, "percent"):
            problems.append(
                Problem(
                    f"{where}.unit",
                    "a relative target is a share",
                    expected="percent",
                    found=target.unit,
                )
            )
        if target.baseline_year is None:
            problems.append(
                Problem(
                    f"{where}.baseline_year",
                    "a relative target needs a baseline",
                    expected="a year before the target year",
                    found=None,
                )
            )
        elif target.baseline_year >= target.year:
            problems.append(
                Problem(
                    f"{where}.baseline_year",
                    "baseline is not before the target",
                    expected=f"< {target.year}",
                    found=target.baseline_year,
                )
            )
        else:
            problems += _years(plan, f"{where}.baseline_year", target.baseline_year)
    if compact(target.stated) not in compact(target.quote):
        problems.append(
            Problem(
                f"{where}.stated",
                "the stated figure is not in the quote",
                expected=f"text of {target.quote!r}",
                found=target.stated,
            )
        )
    problems += _stated_matches_value(target, where, resolve_value)
    return problems


def _stated_matches_value(
    target: Target, where: str, resolve_value: ValueResolver | None
) -> list[Problem]:
    if target.value_reference is not None:
        if resolve_value is None:
            return []
        try:
            value, unit = resolve_value(target.value_reference)
        except KeyError as exc:
            return [
                Problem(
                    f"{where}.value_reference",
                    f"does not resolve: {exc}",
                    expected="dataset@edition:record.field",
                    found=target.value_reference,
                )
            ]
        stated, stated_unit = Decimal(str(value)), unit
    else:
        try:
            stated, stated_unit = parse_stated_quantity(target.stated)
        except UnitError as exc:
            return [
                Problem(
                    f"{where}.stated",
                    str(exc),
                    expected="a number with a unit",
                    found=target.stated,
                )
            ]
    try:
        stated_unit = annualised_unit(stated_unit, target.unit)
    except UnitError as exc:
        return [Problem(f"{where}.unit", str(exc), expected=stated_unit, found=target.unit)]
    try:
        in_target_unit = to_magnitude(float(stated), stated_unit, target.unit)
    except UnitError as exc:
        return [Problem(f"{where}.unit", str(exc), expected=stated_unit, found=target.unit)]
    if abs(in_target_unit - target.value) > 1e-9 * max(1.0, abs(target.value)):
        return [
            Problem(
                f"{where}.value",
                "value differs from the stated figure",
                expected=f"{in_target_unit:g} {target.unit}",
                found=target.value,
            )
        ]
    return []


def _goal(plan: Plan, goal: Goal, where: str) -> list[Problem]:
    problems = _owner(plan, goal, where)
    problems += _years(plan, where, goal.start_year, goal.end_year)
    if goal.start_year and goal.end_year and goal.start_year > goal.end_year:
        problems.append(
            Problem(
                where,
                "period ends before it starts",
                expected=f"start_year <= {goal.end_year}",
                found=goal.start_year,
            )
        )
    if goal.indicator is not None:
        try:
            plan.indicator(goal.indicator)
        except KeyError:
            problems.append(
                Problem(
                    f"{where}.indicator",
                    "no such indicator",
                    expected="an indicator id of this plan",
                    found=goal.indicator,
                )
            )
    if (goal.threshold is None) != (goal.threshold_unit is None):
        problems.append(
            Problem(
                f"{where}.threshold",
                "threshold and threshold_unit go together",
                expected="both or neither",
                found=goal.threshold,
            )
        )
    return problems + _goal_needs(goal, where)


# What each goal kind needs beside its clause and quote.
_GOAL_NEEDS: dict[GoalKind, tuple[str, ...]] = {
    GoalKind.peak_by: ("indicator",),
    GoalKind.decreasing: ("indicator",),
    GoalKind.non_increasing: ("indicator",),
    GoalKind.no_increase: ("indicator", "start_year"),
    GoalKind.rising: ("indicator",),
    GoalKind.higher_at_end: ("indicator", "start_year"),
    GoalKind.reaches_level: ("indicator", "threshold"),
    GoalKind.not_checkable: ("note",),
}


def _goal_needs(goal: Goal, where: str) -> list[Problem]:
    return [
        Problem(
            f"{where}.{name}",
            f"a {goal.kind.value} goal needs {name}",
            expected=name,
            found=None,
        )
        for name in _GOAL_NEEDS.get(goal.kind, ())
        if getattr(goal, name) is None
    ]


def _quotes_in_source(plan: Plan, source: str) -> list[Problem]:
    problems = []
    quoted: list[tuple[str, str]] = []
    for target in plan.targets:
        quoted.append((f"targets ({target.id}).quote", target.quote))
        quoted += [
            (f"targets ({target.id}).restated_in ({r.clause})", r.quote) for r in target.restated_in
        ]
    quoted += [(f"goals ({goal.id}).quote", goal.quote) for goal in plan.goals]
    for action in plan.actions:
        quoted.append((f"actions ({action.id}).title_zh", action.title_zh))
        quoted += [(f"tasks ({task.id}).title_zh", task.title_zh) for task in action.tasks]
    for where, quote in quoted:
        if compact(quote) not in source:
            problems.append(
                Problem(
                    where,
                    "quote not found in the plan document",
                    expected="words of the source document",
                    found=quote,
                )
            )
    return problems
