"""A report chart as SVG: a pure function of the chart's numbers (WeasyPrint draws inline SVG, so
the PDF needs no browser and no plotting library).

The legend sits above the plot and the axis labels below it, so neither hides the other.
"""

from __future__ import annotations

import math
from html import escape

from carbonpeak.reports.model import Chart, format_value

__all__ = ["PALETTE", "line_chart_svg", "nice_ticks"]

# Colour-blind-safe (Okabe–Ito), in the order series are drawn.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high], steps of 1, 2 or 5 × 10^k.

    >>> nice_ticks(0, 97)
    [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
    """
    if high <= low:
        high = low + 1.0
    raw = (high - low) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    ticks = [float(math.floor(low / step) * step)]
    while ticks[-1] < high - step * 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _text_width(text: str) -> float:
    """Approximate width at 10 px: CJK characters are square, Latin ones about half."""
    return sum(10.0 if ord(char) > 0x2E80 else 5.6 for char in text)


def line_chart_svg(chart: Chart, width: int = 640, height: int = 250, fonts: str = "") -> str:
    """The chart as an SVG document fragment (escaped text, fixed geometry)."""
    values = [v for s in chart.series for v in s.values if v is not None]
    low = min([0.0, *values])
    high = max([0.0, *values]) or 1.0
    ticks = nice_ticks(low, high)
    low, high = ticks[0], ticks[-1]
    left, right, top, bottom = 64, 16, 44, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(len(chart.categories), 1)

    def x(index: int) -> float:
        return left + plot_w * (index + 0.5) / count

    def y(value: float) -> float:
        return top + plot_h * (1 - (value - low) / (high - low))

    digits = 0 if ticks[1] - ticks[0] >= 1 else 1
    font = f' font-family="{escape(fonts)}, sans-serif"' if fonts else ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"{font} font-size="10">'
    ]
    for tick in ticks:
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            'stroke="#ddd" stroke-width="0.6"/>'
            f'<text x="{left - 6}" y="{y(tick) + 3:.1f}" text-anchor="end" fill="#444">'
            f"{escape(format_value(float(tick), digits))}</text>"
        )
    parts.append(
        f'<text x="{left - 6}" y="{top - 8}" text-anchor="end" fill="#444">'
        f"{escape(chart.unit)}</text>"
        f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" '
        'stroke="#888" stroke-width="0.8"/>'
    )
    for index, category in enumerate(chart.categories):
        parts.append(
            f'<text x="{x(index):.1f}" y="{top + plot_h + 14}" text-anchor="middle" '
            f'fill="#444">{escape(category)}</text>'
        )
    legend_x = float(left)
    for number, series in enumerate(chart.series):
        colour = PALETTE[number % len(PALETTE)]
        points = [(x(i), y(v)) for i, v in enumerate(series.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.8"/>'
            )
        parts.extend(
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="2.4" fill="{colour}"/>' for px, py in points
        )
        label = f"{series.name_zh} {series.name_en}"
        parts.append(
            f'<rect x="{legend_x}" y="{top - 30}" width="10" height="3" fill="{colour}"/>'
            f'<text x="{legend_x + 14}" y="{top - 26}" fill="#222">{escape(label)}</text>'
        )
        legend_x += 24 + _text_width(label)
    parts.append("</svg>")
    return "".join(parts)
