"""Every target's status and numbers, and every checkable goal's, as pure functions of the plan,
the indicator values and the date they are judged on (the as-of date).

A target whose year is over is judged on that year's value (achieved or missed); before, by the
scenario's probability of meeting it where the scenario engine projects the indicator, else by
the observed trend (:mod:`carbonpeak.tracking.progress`). Each row says which method was used,
and gives the target's value in the target's own unit: for a "下降 x %" target the reduction
achieved, for every other target the indicator's value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from carbonpeak.messages import has_text, message
from carbonpeak.plan import Measure, Plan, ValueSource
from carbonpeak.tracking.goals import GoalCheck, check_goal
from carbonpeak.tracking.indicators import IndicatorValue
from carbonpeak.tracking.method import assessment_date, tracking_method
from carbonpeak.tracking.progress import Assessment, Status, assess
from carbonpeak.tracking.wording import figure, whole_percent

__all__ = ["ScenarioOutlook", "scenario_status", "track_goals", "track_targets"]


@dataclass(frozen=True)
class ScenarioOutlook:
    """A scenario run's view of one future target."""

    scenario: str  # scenario id and version, e.g. "policy@3"
    probability: float  # of meeting the target in its year, over all draws
    median: float | None  # the median projected value, in the target's own unit


def scenario_status(probability: float) -> Status:
    """The status a probability of meeting a target earns (calibrated likelihood language)."""
    parameters = tracking_method().parameters
    if probability >= float(parameters["likely_probability"]):
        return Status.on_track
    if probability >= float(parameters["as_likely_as_not_probability"]):
        return Status.acceleration_needed
    if probability >= float(parameters["very_unlikely_probability"]):
        return Status.limited_progress
    return Status.deterioration


def _series(
    values: Iterable[IndicatorValue], indicator: str, up_to: int | None
) -> dict[int, float]:
    return {
        v.year: v.value
        for v in values
        if v.indicator == indicator and v.period is None and (up_to is None or v.year <= up_to)
    }


def track_targets(
    plan: Plan,
    values: list[IndicatorValue],
    as_of: date,
    outlooks: Mapping[str, ScenarioOutlook] | None = None,
    year: int | None = None,
) -> list[dict[str, Any]]:
    """Every quantitative target judged on ``as_of``; ``year`` limits the values to that year
    and earlier (an assessment of that year); ``outlooks`` maps target ids to a scenario's
    probabilities of meeting them."""
    outlooks = outlooks or {}
    rows = []
    for target in plan.targets:
        indicator = plan.indicator(target.indicator)
        series = _series(values, target.indicator, year)
        shown_series = _series(values, target.indicator, None)
        sources = sorted({v.source for v in values if v.indicator == target.indicator})
        year_passed = as_of > date(target.year, 12, 31)
        data_due = as_of >= assessment_date(target.year)
        level: float | None = target.value
        if target.measure is Measure.reduction_from_baseline:
            base_year = target.baseline_year or plan.plan.base_year
            level = series[base_year] * (1 - target.value / 100) if base_year in series else None
            assessment = (
                assess(
                    series,
                    level,
                    target.year,
                    "decrease",
                    "le",
                    base_year,
                    indicator.domain,
                    year_passed,
                    data_due,
                )
                if level is not None
                else Assessment(
                    Status.not_assessable,
                    message("reasoning.no_base_year_value", year=base_year),
                    target_year=target.year,
                )
            )
        else:
            assessment = assess(
                series,
                target.value,
                target.year,
                indicator.direction.value,
                target.comparator.value,
                None,
                indicator.domain,
                year_passed,
                data_due,
            )
        outlook = outlooks.get(target.id)
        if outlook is not None and not year_passed:
            assessment = Assessment(
                scenario_status(outlook.probability),
                message(
                    "reasoning.scenario",
                    scenario=outlook.scenario,
                    probability=whole_percent(outlook.probability),
                    year=target.year,
                    median=""
                    if outlook.median is None
                    else message(
                        "reasoning.scenario_median",
                        value=figure(outlook.median),
                        unit=_UNIT_SHOWN.get(target.unit, target.unit),
                    ),
                ),
                "scenario",
                **{
                    k: getattr(assessment, k)
                    for k in ("base_year", "base_value", "latest_year", "latest_value")
                },
                target_year=target.year,
                target_value=level,
            )
        if not series and assessment.status is Status.not_assessable:
            kind = "accounted" if indicator.value_source is ValueSource.accounted else "reported"
            assessment = Assessment(
                Status.not_assessable,
                message(f"reasoning.no_{kind}_values"),
                target_year=target.year,
                target_value=level,
            )
        value, value_year = _target_value(target.measure, assessment)
        rows.append(
            {
                "id": target.id,
                "indicator": target.indicator,
                "name_zh": indicator.name_zh,
                "name_en": indicator.name_en,
                "clause": target.clause,
                "year": target.year,
                "comparator": target.comparator.value,
                "target": target.value,
                "target_unit": target.unit,
                "target_level": level,
                "unit": indicator.unit,
                "domain": indicator.domain.value,
                "lead_unit": plan.responsible_units(target)[0].name_zh,
                "lead_unit_id": plan.responsible_units(target)[0].id,
                "series": {str(k): round(v, 6) for k, v in sorted(shown_series.items())},
                "sources": sources,
                "value": value,
                "value_year": value_year,
                "achieved_reduction_pct": value
                if target.measure is Measure.reduction_from_baseline
                else None,
                "as_of": as_of.isoformat(),
                "provisional": year_passed and not data_due,
                "probability": None if outlook is None or year_passed else outlook.probability,
                "scenario": None if outlook is None or year_passed else outlook.scenario,
                "scenario_median": None if outlook is None or year_passed else outlook.median,
                **assessment.as_dict(),
            }
        )
    return rows


def _target_value(measure: Measure, assessment: Assessment) -> tuple[float | None, int | None]:
    """The number a target is read by, in the target's own unit: the reduction achieved
    (percent) for a "下降 x %" target, the indicator's value for any other."""
    if assessment.latest_value is None:
        return None, None
    if measure is Measure.reduction_from_baseline:
        if not assessment.base_value:
            return None, None
        reduction = 100 * (1 - assessment.latest_value / assessment.base_value)
        return reduction, assessment.latest_year
    return assessment.latest_value, assessment.latest_year


# Goals whose check needs records the platform does not hold yet (what is missing: the
# catalogue's ``goal.needs.<kind>``).
_NEEDS = ("new_projects_at_benchmark", "monitoring_coverage", "external_target")
# A target's unit as a reason quotes it (``percent`` is a unit id, not a word).
_UNIT_SHOWN = {"percent": "%"}


def track_goals(
    plan: Plan, values: list[IndicatorValue], year: int | None = None
) -> list[dict[str, Any]]:
    """Every checkable qualitative goal with its status and reasoning; goals no data can check
    are listed as such, with why."""
    rows = []
    for goal in plan.goals:
        series = _series(values, goal.indicator, year) if goal.indicator else {}
        if goal.kind.value == "not_checkable":
            # Why no data can check it: the catalogue's words, else the plan file's note.
            note_key = f"goal_note.{goal.id}"
            note = (
                message(note_key)
                if has_text(note_key)
                else message("reasoning.as_written", text=goal.note or "")
            )
            check = GoalCheck("not_checkable", note)
        elif goal.kind.value in _NEEDS:
            check = GoalCheck("not_assessable", message(f"goal.needs.{goal.kind.value}"))
        else:
            check = check_goal(
                goal.kind.value, series, goal.start_year, goal.end_year, goal.threshold
            )
        rows.append(
            {
                "id": goal.id,
                "kind": goal.kind.value,
                "indicator": goal.indicator,
                "clause": goal.clause,
                "quote": goal.quote,
                "description_en": goal.description_en,
                "start_year": goal.start_year,
                "end_year": goal.end_year,
                "threshold": goal.threshold,
                "threshold_unit": goal.threshold_unit,
                "lead_unit": plan.responsible_units(goal)[0].name_zh,
                "lead_unit_id": plan.responsible_units(goal)[0].id,
                "series": {str(k): round(v, 6) for k, v in sorted(series.items())},
                "status": check.status,
                "reasoning": check.reason.text("en"),
                "reasoning_zh": check.reason.text("zh"),
            }
        )
    return rows
