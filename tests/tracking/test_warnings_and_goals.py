"""Pace-aware budget warnings and qualitative goal checks."""

from __future__ import annotations

import pytest

from carbonpeak.tracking import Level, check_goal, forecast_budget, seasonal_profile


def test_seventy_percent_after_eight_months_is_warned() -> None:
    # The case: 70 % of the annual budget used after eight months, no seasonality.
    budget = 120_000.0
    monthly = [budget * 0.70 / 8] * 8
    result = forecast_budget(monthly, budget)
    assert result.level is Level.warning
    assert result.used_share == pytest.approx(0.70)
    assert result.forecast_share == pytest.approx(1.05)
    assert "105%" in result.reasoning
    assert forecast_budget([budget * 0.60 / 8] * 8, budget).level is Level.ok  # 90 %
    assert forecast_budget([budget * 1.01 / 8] * 8, budget).level is Level.exceeded


def test_seasonality_changes_the_verdict() -> None:
    # A unit whose January-August normally carries 75 % of its year: 70 % by August is on course
    # (93 %); with a flat profile it is warned (105 %).
    front_loaded = [[10, 10, 10, 10, 10, 9, 9, 7, 6, 6, 6, 7]] * 3
    profile = seasonal_profile(front_loaded)
    assert sum(profile) == pytest.approx(1.0)
    result = forecast_budget([70 / 8] * 8, 100, profile)
    assert result.expected_share == pytest.approx(sum(profile[:8]))
    assert result.level is Level.ok
    assert result.forecast_share == pytest.approx(0.70 / 0.75)
    assert seasonal_profile([]) == [1 / 12] * 12


def test_budget_input_checks() -> None:
    with pytest.raises(ValueError, match="positive"):
        forecast_budget([1.0], 0)
    with pytest.raises(ValueError, match="1-12 months"):
        forecast_budget([], 10)


@pytest.mark.parametrize(
    ("series", "end", "status"),
    [
        ({2020: 90, 2021: 95, 2022: 100, 2023: 99, 2024: 98}, 2030, "pending"),
        ({2020: 90, 2026: 100, 2028: 99, 2030: 97, 2031: 96}, 2030, "met"),
        ({2020: 90, 2025: 95, 2031: 99}, 2030, "not_met"),  # highest after 2030
        ({2020: 90, 2021: 95, 2022: 100}, 2030, "pending"),  # still rising: no peak yet
        ({2020: 90, 2030: 100}, 2030, "not_met"),  # rising through 2030
        ({2020: 90}, 2030, "not_assessable"),
    ],
)
def test_peak_by(series: dict[int, float], end: int, status: str) -> None:
    assert check_goal("peak_by", series, None, end).status == status


def test_coal_falling_and_stable_with_a_fall() -> None:
    falling = {2025: 100.0, 2026: 99.0, 2027: 97.0, 2028: 96.0, 2029: 94.0, 2030: 90.0}
    assert check_goal("decreasing", falling, 2026, 2030).status == "met"
    bump = {**falling, 2028: 98.0}
    result = check_goal("decreasing", bump, 2026, 2030)
    assert result.status == "not_met"
    assert "2028" in result.reasoning
    plateau = {2026: 100.0, 2027: 100.5, 2028: 99.0}
    assert check_goal("non_increasing", plateau, 2026, 2030).status == "pending"
    assert check_goal("non_increasing", {2026: 100.0, 2027: 102.0}, 2026, 2030).status == "not_met"


def test_no_new_capacity() -> None:
    capacity = {2022: 50.0, 2023: 50.0, 2024: 50.0, 2025: 50.0}
    assert check_goal("no_increase", capacity, 2023, 2035).status == "pending"
    grown = check_goal("no_increase", {**capacity, 2025: 55.0}, 2023, 2035)
    assert grown.status == "not_met"
    assert "2025" in grown.reasoning
    assert check_goal("no_increase", {2025: 50.0}, 2023, 2035).status == "not_assessable"


def test_a_forecast_within_five_percent_of_the_budget_is_watched() -> None:
    from carbonpeak.tracking import Level, forecast_budget

    watched = forecast_budget([8.0] * 12, 100.0)  # 96 %
    assert watched.level is Level.watch
    assert forecast_budget([7.0] * 12, 100.0).level is Level.ok  # 84 %
    assert forecast_budget([8.5] * 12, 100.0).level is Level.exceeded  # 102 %, year complete
