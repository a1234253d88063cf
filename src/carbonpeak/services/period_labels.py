"""How a year is named on a page, a chart or a table: a year still in progress names the months
it holds (2026年1–11月, "2026 (Jan–Nov)"), so nobody reads it as a full year or compares it with
one."""

from __future__ import annotations

from typing import Any

__all__ = ["full_years", "is_partial", "month_names", "year_label"]

MONTH_ABBREVIATIONS = [
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
]


def is_partial(months: int) -> bool:
    return months < 12


def year_label(year: str | int, months: int, lang: str = "zh") -> str:
    """A year, with its months when it holds fewer than twelve.

    >>> year_label(2025, 12), year_label("2026", 11), year_label(2026, 11, "en")
    ('2025', '2026年1–11月', '2026 (Jan–Nov)')
    >>> year_label(2026, 1), year_label(2026, 1, "en")
    ('2026年1月', '2026 (Jan)')
    """
    if not is_partial(months) or months < 1:
        return str(year)
    if lang == "zh":
        return f"{year}年1月" if months == 1 else f"{year}年1–{months}月"
    last = MONTH_ABBREVIATIONS[months - 1]
    return f"{year} (Jan)" if months == 1 else f"{year} (Jan–{last})"


def full_years(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Annual rows split into the full years and the partial ones (``months`` < 12).

    >>> full, partial = full_years([{"year": "2025", "months": 12}, {"year": "2026", "months": 11}])
    >>> [r["year"] for r in full], [r["year"] for r in partial]
    (['2025'], ['2026'])
    """
    full = [r for r in rows if not is_partial(r["months"])]
    return full, [r for r in rows if is_partial(r["months"])]


def month_names(lang: str = "zh") -> list[str]:
    """The twelve months' short names, for a chart's axis.

    >>> month_names()[0], month_names("en")[11]
    ('1月', 'Dec')
    """
    return [f"{m}月" for m in range(1, 13)] if lang == "zh" else list(MONTH_ABBREVIATIONS)
