"""How the tracking core words its numbers inside a reasoning :class:`~carbonpeak.messages.Message`:
fixed decimals (never a float repr), the same in both languages, so the catalogue's Chinese and
English texts quote the same figures."""

from __future__ import annotations

import math
from collections.abc import Iterable

from carbonpeak.messages import Message, message, number

__all__ = ["approx_band", "figure", "later_values", "signed_percent", "whole_percent", "years"]


def figure(value: float | int | None) -> str:
    """``value`` to four significant digits in fixed notation (at most five decimals), trailing
    zeros dropped.

    >>> figure(6594.31), figure(8.5), figure(12345.6), figure(0.000123456), figure(1e6)
    ('6,594', '8.5', '12,346', '0.00012', '1,000,000')
    >>> figure(None), figure(0), figure(-2.5)
    ('', '0', '-2.5')
    """
    if value is None or not math.isfinite(value):
        return ""
    if value == 0:
        return "0"
    exponent = math.floor(math.log10(abs(value)))
    decimals = min(max(0, 3 - exponent), 5)  # six decimals would read as a float repr
    shown = number(float(value), "en", decimals)
    return shown.rstrip("0").rstrip(".") if "." in shown else shown


def signed_percent(fraction: float) -> str:
    """A fraction as a signed percent with two decimals: ``+2.94%``.

    >>> signed_percent(0.0294), signed_percent(-0.1)
    ('+2.94%', '-10.00%')
    """
    return f"{fraction * 100:+.2f}%"


def whole_percent(fraction: float) -> str:
    """A fraction as a whole percent: ``86%``.

    >>> whole_percent(0.856), whole_percent(1.04)
    ('86%', '104%')
    """
    return f"{fraction * 100:.0f}%"


def years(values: Iterable[int]) -> str:
    """Years as a list a reader reads in either language.

    >>> years([2024, 2025])
    '2024, 2025'
    """
    return ", ".join(str(y) for y in values)


def approx_band(comparator: str, tolerance: float) -> Message | str:
    """The "左右" band after a target, or nothing for an exact comparator."""
    return (
        message("reasoning.approx_band", tolerance=whole_percent(tolerance))
        if comparator == "approx"
        else ""
    )


def later_values(later: dict[int, float]) -> Message | str:
    """Values after the target year, shown beside the verdict (they never change it)."""
    if not later:
        return ""
    shown = ", ".join(f"{y}: {figure(v)}" for y, v in sorted(later.items()))
    return message("reasoning.later_values", values=shown)
