"""The tracking core's reasons read in both languages (issue 16.1): each branch of a target's,
a goal's and a budget forecast's reasoning gives a Chinese text with no English phrase, raw id or
float repr, the same figures in both languages, and the English the API has always carried."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from carbonpeak.messages import Message
from carbonpeak.plan import Domain
from carbonpeak.tracking.goals import check_goal
from carbonpeak.tracking.progress import assess
from carbonpeak.tracking.warnings import forecast_budget
from carbonpeak.tracking.wording import figure
from tests.text_checks import FLOAT_REPR, problems

REASONS: list[Message] = [
    *(
        a.reason
        for a in (
            assess({2020: 100, 2021: 103, 2024: 112}, 130, 2030, "increase"),
            assess({2020: 0, 2022: 5}, 20, 2030, "increase"),
            assess({2020: 100, 2026: 8.5}, 90, 2025, "decrease", "approx", year_passed=True),
            assess({2020: 100}, 90, 2025, "decrease", year_passed=True, data_due=False),
            assess({2020: 100, 2025: 91}, 90, 2025, "decrease", year_passed=True),
            assess({2020: 100, 2025: 89}, 90, 2025, "decrease", year_passed=True),
            assess({2020: 100, 2024: 80}, 90, 2025, "decrease", "approx"),
            assess({2024: 80}, 90, 2025, "decrease"),
            assess({2020: -5, 2024: 3}, 10, 2030, "increase"),
            assess({2020: 50, 2024: 90}, 100, 2030, "increase", domain=Domain.share),
        )
    ),
    *(
        check_goal(kind, series, start, end).reason
        for kind, series, start, end in (
            ("peak_by", {2020: 1, 2021: 6594.31, 2022: 5000}, None, 2030),
            ("peak_by", {2020: 1, 2021: 2}, None, 2030),
            ("peak_by", {2020: 1, 2031: 2, 2032: 1}, None, 2030),
            ("no_increase", {2023: 50, 2024: 49}, 2023, 2030),
            ("no_increase", {2023: 50, 2024: 51}, 2023, 2030),
            ("rising", {2023: 1, 2024: 0.5}, 2023, None),
            ("rising", {2023: 1, 2024: 2}, 2023, None),
            ("rising", {2023: 1}, 2026, 2030),
            ("higher_at_end", {2023: 1, 2024: 0.5}, 2023, 2025),
            ("decreasing", {2023: 1, 2024: 2}, 2023, None),
            ("non_increasing", {2020: 1, 2021: 1.2}, 2020, 2025),
            ("non_increasing", {2020: 1, 2021: 1.0}, 2020, 2025),
        )
    ),
    check_goal("reaches_level", {2024: 80.0}, None, 2030, 100.0).reason,
    forecast_budget([10] * 8, 100).reason,
    forecast_budget([20] * 6, 100).reason,
    forecast_budget([8] * 12, 100).reason,
]


def test_every_reason_reads_in_chinese_and_in_english() -> None:
    for reason in REASONS:
        chinese, english = reason.text("zh"), reason.text("en")
        assert problems([chinese], "zh") == [], (reason.key, chinese)
        assert problems([english], "en") == [], (reason.key, english)
        # the same figures in both languages
        numbers = re.compile(r"\d+(?:[,.]\d+)*")
        assert sorted(numbers.findall(chinese)) == sorted(numbers.findall(english)), reason.key


def test_the_api_keeps_its_english_reasoning() -> None:
    row = assess({2020: 100, 2021: 103, 2024: 112}, 130, 2030, "increase").as_dict()
    assert row["reasoning"].startswith("2020→2024: +2.87%/yr observed against +2.66%/yr")
    assert row["reasoning_zh"].startswith("2020→2024年：实际年均增速+2.87%")
    assert "reason" not in row  # plain values only


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_a_figure_is_never_a_float_repr(value: float) -> None:
    shown = figure(value)
    assert not FLOAT_REPR.search(shown), shown
    assert "e" not in shown.lower()
