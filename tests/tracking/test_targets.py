"""Target statuses as pure functions of the plan, the values and the as-of date."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbonpeak.plan import Domain, PlanDocument
from carbonpeak.tracking import Status, assess
from carbonpeak.tracking.indicators import IndicatorValue
from carbonpeak.tracking.targets import ScenarioOutlook, scenario_status, track_targets


def _values(indicator: str, series: dict[int, float], unit: str) -> list[IndicatorValue]:
    return [IndicatorValue(indicator, y, v, unit, "test") for y, v in series.items()]


def _row(rows: list[dict[str, object]], target: str) -> dict[str, object]:
    return next(r for r in rows if r["id"] == target)


def test_missed_in_2025_stays_missed_when_2026_meets_it(plan_document: PlanDocument) -> None:
    plan = plan_document.plan
    values = _values("rail_freight_share", {2020: 34, 2025: 49, 2026: 56}, "percent")
    in_2026 = _row(track_targets(plan, values, date(2026, 6, 1)), "rail_freight_share_2025")
    in_2027 = _row(track_targets(plan, values, date(2027, 6, 1)), "rail_freight_share_2025")
    for row in (in_2026, in_2027):
        assert row["status"] == "missed"
        assert row["value"] == 49 and row["value_year"] == 2025
        assert row["method"] == "target_year_value"
        assert "2026: 56" in str(row["reasoning"])
    # Before the year was over, the same target was judged on its trend.
    before = _row(track_targets(plan, values[:1], date(2024, 6, 1)), "rail_freight_share_2025")
    assert before["method"] != "target_year_value"


def test_reduction_target_reads_as_the_reduction_achieved(plan_document: PlanDocument) -> None:
    values = _values("energy_intensity_gdp", {2020: 4.0, 2025: 3.0}, "tce/万元")
    row = _row(
        track_targets(plan_document.plan, values, date(2026, 6, 1)), "energy_intensity_gdp_2025"
    )
    assert row["value"] == pytest.approx(25.0)  # −25 % against 2020, in the target's percent
    assert row["target_unit"] == "percent"
    assert row["status"] == "achieved"


def test_scenario_probability_decides_a_future_target(plan_document: PlanDocument) -> None:
    plan = plan_document.plan
    values = _values("non_fossil_share", {2020: 0.0, 2024: 4.0, 2025: 5.0}, "percent")
    outlook = {"non_fossil_share_2030": ScenarioOutlook("policy@1", 0.02, 6.1)}
    row = _row(track_targets(plan, values, date(2026, 6, 1), outlook), "non_fossil_share_2030")
    assert row["method"] == "scenario"
    assert row["status"] == "deterioration"
    assert row["probability"] == 0.02
    trend = _row(track_targets(plan, values, date(2026, 6, 1)), "non_fossil_share_2030")
    assert trend["method"] == "linear_progress"  # zero base: no compound growth from nothing


@pytest.mark.parametrize(
    ("probability", "status"),
    [
        (0.9, Status.on_track),
        (0.66, Status.on_track),
        (0.5, Status.acceleration_needed),
        (0.2, Status.limited_progress),
        (0.05, Status.deterioration),
    ],
)
def test_scenario_status_bands(probability: float, status: Status) -> None:
    assert scenario_status(probability) is status


@given(
    base=st.floats(0.5, 60),
    growth=st.floats(0.0, 2.0),
    years=st.integers(1, 4),
)
def test_no_trend_value_outside_a_share(base: float, growth: float, years: int) -> None:
    latest = min(base * (1 + growth) ** years, 99.0)
    result = assess(
        {2020: base, 2020 + years: latest}, 100.0, 2035, "increase", "ge", None, Domain.share
    )
    if result.extrapolated is not None:
        assert 0 <= result.extrapolated <= 100
    else:
        assert "domain" in result.reasoning


@given(base=st.integers(0, 30), step=st.integers(0, 20))
def test_count_trends_are_whole_numbers(base: int, step: int) -> None:
    result = assess(
        {2020: float(base), 2022: float(base + step)},
        200.0,
        2025,
        "increase",
        "ge",
        None,
        Domain.whole_number,
    )
    if result.extrapolated is not None:
        assert float(result.extrapolated).is_integer() and result.extrapolated >= 0
