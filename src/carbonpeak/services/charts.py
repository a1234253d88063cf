"""Charts as plain Plotly JSON, drawn in the browser by the locally served plotly.js: the pages'
view models carry them ready to draw (services/page_views.py)."""

from __future__ import annotations

from typing import Any

from carbonpeak.units import WAN

__all__ = ["PALETTE", "bar_figure", "fan_figure", "in_wan", "line_figure"]

PALETTE = ["#1f6feb", "#d97706", "#059669", "#7c3aed", "#dc2626", "#0891b2", "#65a30d", "#db2777"]
FONT = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"


def in_wan(value: float | None) -> float | None:
    """A value in 万 for a chart; a confidential (null) value stays a gap.

    >>> in_wan(25000.0), in_wan(None)
    (2.5, None)
    """
    return None if value is None else value / WAN


def _layout(title: str, y_title: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": {"text": title, "font": {"size": 15}, "x": 0, "xanchor": "left", "y": 0.98},
        "font": {"family": FONT, "size": 12},
        # The legend sits above the plot: below it, it hid the (rotated) month labels of the x
        # axis; it pushes the top margin as it wraps. The page shows the title above the chart
        # (static/app.js), where it cannot collide with the legend. automargin makes room for
        # long tick labels.
        "margin": {"l": 60, "r": 20, "t": 30, "b": 50},
        # Ticks as grouped digits, never 1e+06 or SI prefixes (1M) a Chinese reader does not use.
        "yaxis": {
            "title": {"text": y_title},
            "rangemode": "tozero",
            "automargin": True,
            "exponentformat": "none",
            "separatethousands": True,
        },
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"},
        # Years and months are labels, not numbers.
        "xaxis": {"type": "category", "automargin": True},
        "autosize": True,
        **extra,
    }


def bar_figure(
    title: str, y_title: str, x: list[str], series: dict[str, list[float | None]]
) -> dict[str, Any]:
    """Stacked bars, one trace per series."""
    return {
        "data": [
            {"type": "bar", "name": name, "x": x, "y": values, "marker": {"color": PALETTE[i % 8]}}
            for i, (name, values) in enumerate(series.items())
        ],
        "layout": _layout(title, y_title, barmode="stack"),
    }


def line_figure(
    title: str, y_title: str, x: list[str], series: dict[str, list[float | None]]
) -> dict[str, Any]:
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name,
                "x": x,
                "y": values,
                "line": {"color": PALETTE[i % 8]},
            }
            for i, (name, values) in enumerate(series.items())
        ],
        "layout": _layout(title, y_title),
    }


def fan_figure(
    title: str,
    y_title: str,
    quantiles: list[dict[str, Any]],
    central: dict[int, float],
    base_year: int,
    labels: dict[str, str],
) -> dict[str, Any]:
    """A fan chart: 5–95 % and 25–75 % bands of the trajectories, their median, the central
    (deterministic) path dashed, and the actual history solid."""
    future = [q for q in quantiles if q["year"] >= base_year]
    years = [str(q["year"]) for q in future]

    def band(low: str, high: str, name: str, colour: str) -> list[dict[str, Any]]:
        return [
            {
                "type": "scatter",
                "mode": "lines",
                "x": years,
                "y": [q[low] for q in future],
                "line": {"width": 0},
                "showlegend": False,
                "hoverinfo": "skip",
            },
            {
                "type": "scatter",
                "mode": "lines",
                "x": years,
                "y": [q[high] for q in future],
                "fill": "tonexty",
                "fillcolor": colour,
                "line": {"width": 0},
                "name": name,
            },
        ]

    history = [q for q in quantiles if q["year"] <= base_year]
    layout = _layout(title, y_title)
    layout["yaxis"]["rangemode"] = "normal"
    actual = {
        "type": "scatter",
        "mode": "lines+markers",
        "x": [str(q["year"]) for q in history],
        "y": [q["p50"] for q in history],
        "name": labels["actual"],
        "line": {"color": "#111827"},
    }
    return {
        "data": [
            actual,  # first, so the years run in order along the category axis
            *band("p5", "p95", labels["p5_p95"], "rgba(31,111,235,0.15)"),
            *band("p25", "p75", labels["p25_p75"], "rgba(31,111,235,0.30)"),
            {
                "type": "scatter",
                "mode": "lines",
                "x": years,
                "y": [q["p50"] for q in future],
                "name": labels["median"],
                "line": {"color": "#1f6feb"},
            },
            {
                "type": "scatter",
                "mode": "lines",
                "x": [str(y) for y in central if y >= base_year],
                "y": [v for y, v in central.items() if y >= base_year],
                "name": labels["central"],
                "line": {"color": "#d97706", "dash": "dash"},
            },
        ],
        "layout": layout,
    }
