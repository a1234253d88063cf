"""Small inline SVG sparklines that need no script at all (a template helper). The Plotly
figures the pages draw come ready-made in their view models (services/charts.py)."""

from __future__ import annotations

import math

from markupsafe import Markup

__all__ = ["sparkline"]


def _readable(value: float) -> str:
    """Four significant digits, grouped, never a float repr (an aria-label is read aloud).

    >>> _readable(12345.678), _readable(0.012345), _readable(1e6), _readable(0.0)
    ('12,346', '0.01235', '1,000,000', '0')
    """
    if not math.isfinite(value) or value == 0:
        return "0" if value == 0 else ""
    decimals = min(5, max(0, 3 - math.floor(math.log10(abs(value)))))
    return f"{value:,.{decimals}f}"


def sparkline(
    series: dict[str, float], target: float | None = None, width: int = 120, height: int = 28
) -> Markup:
    """A trajectory as an SVG polyline, with the target level dashed.

    >>> "polyline" in sparkline({"2020": 1.0, "2021": 2.0}, 3.0)
    True
    """
    if not series:
        return Markup("")
    years = [int(y) for y in series]
    values = list(series.values())
    span_values = [*values, *([target] if target is not None else [])]
    low, high = min(span_values), max(span_values)
    first, last = min(years), max(years)
    if target is not None:
        last = max(last, first + 1)

    def x(year: int) -> float:
        return 2 + (width - 4) * ((year - first) / (last - first) if last > first else 0.5)

    def y(value: float) -> float:
        return height - 2 - (height - 4) * ((value - low) / (high - low) if high > low else 0.5)

    points = " ".join(
        f"{x(year):.1f},{y(value):.1f}" for year, value in zip(years, values, strict=True)
    )
    target_line = (
        f'<line x1="2" x2="{width - 2}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
        'stroke="#9ca3af" stroke-dasharray="3,2"/>'
        if target is not None
        else ""
    )
    last_point = (
        f'<circle cx="{x(years[-1]):.1f}" cy="{y(values[-1]):.1f}" r="2.5" fill="#1f6feb"/>'
    )
    label = ", ".join(
        f"{year}: {_readable(value)}" for year, value in zip(years, values, strict=True)
    )
    return Markup(
        f'<svg class="spark" width="{width}" height="{height}" role="img" '
        f'aria-label="{Markup.escape(label)}">{target_line}'
        f'<polyline fill="none" stroke="#1f6feb" stroke-width="1.5" points="{points}"/>'
        f"{last_point}</svg>"
    )
