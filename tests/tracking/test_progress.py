"""Progress assessment (modeling.md §4.1) on hand-made series and its edge cases."""

from __future__ import annotations

import pytest

from carbonpeak.tracking import Status, assess, geometric_path


def test_required_cagr_of_the_energy_intensity_target() -> None:
    # −17 % over 2020→2025 needs −3.658 %/yr (modeling.md §4.4).
    result = assess({2020: 1.0, 2022: 0.93}, 0.83, 2025, "decrease", "le")
    assert result.required_cagr == pytest.approx(0.83 ** (1 / 5) - 1)
    assert result.required_cagr == pytest.approx(-0.03658, abs=1e-5)


@pytest.mark.parametrize(
    ("series", "status"),
    [
        ({2020: 100, 2023: 100 * 1.16466**3}, Status.on_track),  # exactly on the required rate
        ({2020: 100, 2023: 100 * 1.12**3}, Status.acceleration_needed),  # R ≈ 0.73
        ({2020: 100, 2023: 100 * 1.05**3}, Status.limited_progress),  # R ≈ 0.30
        ({2020: 100, 2023: 90}, Status.deterioration),
    ],
)
def test_status_bands_for_an_increase(series: dict[int, float], status: Status) -> None:
    # 100 → 214.3 by 2025 requires +16.466 %/yr.
    assert assess(series, 100 * 1.16466**5, 2025, "increase").status is status


def test_decreasing_is_better() -> None:
    falling = assess({2020: 1.0, 2021: 0.96, 2023: 0.895}, 0.83, 2025, "decrease", "le")
    assert falling.status is Status.on_track
    observed, required = 0.895 ** (1 / 3) - 1, 0.83 ** (1 / 5) - 1
    assert falling.ratio == pytest.approx(-1 * observed / abs(required), rel=1e-9)  # d = −1
    rising = assess({2020: 1.0, 2023: 1.02}, 0.83, 2025, "decrease", "le")
    assert rising.status is Status.deterioration
    assert rising.ratio is not None and rising.ratio < 0


def test_target_met_before_its_year_is_on_track_not_achieved() -> None:
    # Judged in its own year: meeting it early is on track, and says so.
    result = assess({2020: 3.0, 2023: 9.0}, 8.0, 2025, "increase", "approx")
    assert result.status is Status.on_track
    assert "already meets" in result.reasoning
    near = assess({2020: 3.0, 2023: 7.7}, 8.0, 2025, "increase", "approx")  # within 5 % of ≈8
    assert "already meets" in near.reasoning
    assert "≈ within 5%" in near.reasoning
    strict = assess({2020: 3.0, 2023: 7.7}, 8.0, 2025, "increase", "ge")
    assert "already meets" not in strict.reasoning
    above = assess({2020: 500, 2023: 700}, 700, 2025, "increase", "gt")  # "超过 700": not yet
    assert "already meets" not in above.reasoning


def test_target_achieved_once_its_year_has_passed() -> None:
    near = assess({2020: 3.0, 2025: 7.7}, 8.0, 2025, "increase", "approx", year_passed=True)
    assert near.status is Status.achieved
    assert near.method == "target_year_value"
    strict = assess({2020: 3.0, 2025: 7.7}, 8.0, 2025, "increase", "ge", year_passed=True)
    assert strict.status is Status.missed
    above = assess({2020: 500, 2025: 700}, 700, 2025, "increase", "gt", year_passed=True)
    assert above.status is Status.missed


def test_fewer_than_two_years_and_missing_base() -> None:
    assert assess({2023: 5.0}, 8.0, 2025, "increase").status is Status.not_assessable
    later_base = assess({2021: 4.0, 2023: 6.0}, 8.0, 2025, "increase", base_year=2020)
    assert later_base.base_year == 2021  # the next available year stands in for the base


def test_zero_and_negative_bases() -> None:
    zero = assess({2020: 0.0, 2023: 30.0}, 65.0, 2025, "increase")  # e.g. charging piles
    assert zero.status in {Status.on_track, Status.acceleration_needed}
    assert zero.base_value == 0.0
    assert zero.method == "linear_progress"  # no compound growth from nothing
    assert zero.observed_cagr is None
    opposite = assess({2020: -5.0, 2023: 5.0}, 10.0, 2025, "increase")
    assert opposite.status is Status.not_assessable


def test_path_and_extrapolation() -> None:
    result = assess({2020: 100.0, 2022: 110.0}, 150.0, 2025, "increase")
    assert result.path_value == pytest.approx(geometric_path(100, 150, 2020, 2025, 2022))
    assert result.path_value == pytest.approx(100 * 1.5**0.4)
    assert result.gap_to_path == pytest.approx(110 - 100 * 1.5**0.4)
    assert result.extrapolated == pytest.approx(110 * 1.1**1.5)


def test_target_year_passed_is_judged_on_that_year_alone() -> None:
    # Missed in 2025; a 2026 value that meets the target does not rewrite the 2025 result.
    result = assess({2020: 3.0, 2025: 6.0, 2026: 8.5}, 8.0, 2025, "increase", year_passed=True)
    assert result.status is Status.missed
    assert result.latest_year == 2025 and result.latest_value == 6.0
    assert "2026: 8.5" in result.reasoning  # later values are shown beside it
    met = assess({2020: 3.0, 2025: 8.0, 2026: 6.0}, 8.0, 2025, "increase", year_passed=True)
    assert met.status is Status.achieved  # and a later fall does not unmake it


def test_missing_target_year_value_awaited_then_missed() -> None:
    series = {2020: 3.0, 2024: 6.0}
    waiting = assess(series, 8.0, 2025, "increase", year_passed=True, data_due=False)
    assert waiting.status is Status.awaiting_data
    due = assess(series, 8.0, 2025, "increase", year_passed=True, data_due=True)
    assert due.status is Status.missed
    assert "no value for 2025" in due.reasoning
