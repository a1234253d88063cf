"""Progress of an indicator toward its target, by the required-vs-observed growth method
(Eurostat, as Open SDG implements it; modeling.md §4.1), with the geometric path and the
extrapolated value in the target year.

R = d · CAGR_observed / |CAGR_required| (d = +1 where an increase is wanted, −1 otherwise):
R ≥ 0.95 on track; 0.60 ≤ R < 0.95 acceleration needed; 0 ≤ R < 0.60 limited progress; R < 0
deterioration. A target already met is achieved, whatever the trend.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any, Literal

__all__ = ["APPROX_TOLERANCE", "Assessment", "Status", "assess", "geometric_path"]

# "左右" (approximately): within this fraction of the target counts as meeting it. A method choice
# (the plan gives no band); recorded in every assessment that uses it.
APPROX_TOLERANCE = 0.05
ON_TRACK, ACCELERATION = 0.95, 0.60
ZERO_REPLACEMENT = 0.001  # Open SDG's replacement for a zero base or target value


class Status(StrEnum):
    achieved = "achieved"
    on_track = "on_track"
    acceleration_needed = "acceleration_needed"
    limited_progress = "limited_progress"
    deterioration = "deterioration"
    not_assessable = "not_assessable"


@dataclass(frozen=True)
class Assessment:
    status: Status
    reasoning: str
    base_year: int | None = None
    base_value: float | None = None
    latest_year: int | None = None
    latest_value: float | None = None
    target_year: int | None = None
    target_value: float | None = None
    observed_cagr: float | None = None
    required_cagr: float | None = None
    ratio: float | None = None
    path_value: float | None = None  # where the geometric path to the target stands now
    gap_to_path: float | None = None  # latest − path, in the indicator's unit
    extrapolated: float | None = None  # the target year's value at the observed growth

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = self.status.value
        return data


def geometric_path(
    base_value: float, target_value: float, base_year: int, target_year: int, year: int
) -> float:
    """y*(t) = y₀ · (y_T / y₀)^((t − t₀)/(T − t₀))."""
    share = (year - base_year) / (target_year - base_year)
    return float(base_value * (target_value / base_value) ** share)


def _met(value: float, target: float, increase: bool, comparator: str) -> bool:
    if comparator == "approx":
        return abs(value - target) <= APPROX_TOLERANCE * abs(target) or (
            value > target if increase else value < target
        )
    if comparator == "gt":
        return value > target
    if comparator == "lt":
        return value < target
    return value >= target if increase else value <= target


def assess(
    series: dict[int, float],
    target_value: float,
    target_year: int,
    direction: Literal["increase", "decrease"],
    comparator: str = "ge",
    base_year: int | None = None,
) -> Assessment:
    """Assess a yearly ``series`` against ``target_value`` due in ``target_year``.

    ``base_year`` defaults to the first year of the series (the next available year if the
    series starts later).
    """
    increase = direction == "increase"
    years = sorted(y for y, v in series.items() if v is not None and math.isfinite(v))
    if base_year is not None:
        years = [y for y in years if y >= base_year]
    if len(years) < 2:
        return Assessment(
            Status.not_assessable,
            f"fewer than two years of data ({years})",
            target_year=target_year,
            target_value=target_value,
        )
    t0, t = years[0], years[-1]
    y0, yt = series[t0], series[t]
    common: dict[str, Any] = {
        "base_year": t0,
        "base_value": y0,
        "latest_year": t,
        "latest_value": yt,
        "target_year": target_year,
        "target_value": target_value,
    }
    band = f" (≈ within {APPROX_TOLERANCE:.0%})" if comparator == "approx" else ""
    if _met(yt, target_value, increase, comparator):
        return Assessment(
            Status.achieved,
            f"{yt:g} in {t} already meets the target {target_value:g}{band}",
            **common,
        )
    if (y0 < 0) != (yt < 0) and y0 != 0 and yt != 0:
        return Assessment(
            Status.not_assessable, "base and latest values have opposite signs", **common
        )
    if t >= target_year:
        return Assessment(
            Status.deterioration if _worse(yt, y0, increase) else Status.limited_progress,
            f"the target year {target_year} has passed without meeting {target_value:g}{band}",
            **common,
        )
    base = y0 if y0 != 0 else ZERO_REPLACEMENT
    goal = target_value if target_value != 0 else ZERO_REPLACEMENT
    latest = yt if yt != 0 else ZERO_REPLACEMENT
    sign = -1.0 if base < 0 else 1.0
    observed = (latest / base) ** (1 / (t - t0)) - 1
    required = (goal / base) ** (1 / (target_year - t0)) - 1
    d = 1.0 if increase else -1.0
    path = geometric_path(base, goal, t0, target_year, t)
    extrapolated = latest * (1 + observed) ** (target_year - t)
    if required == 0 or (d * required) < 0:
        # The target lies behind the base: any movement the right way keeps it, or it is met.
        status = Status.on_track if d * observed >= 0 else Status.deterioration
        ratio = None
    else:
        ratio = sign * d * observed / abs(required)
        status = (
            Status.on_track
            if ratio >= ON_TRACK
            else Status.acceleration_needed
            if ratio >= ACCELERATION
            else Status.limited_progress
            if ratio >= 0
            else Status.deterioration
        )
    reasoning = (
        f"{t0}→{t}: {observed:+.2%}/yr observed against {required:+.2%}/yr required "
        f"to reach {target_value:g} by {target_year}{band}; the path stands at "
        f"{path:.4g} in {t}, the trend reaches {extrapolated:.4g} in {target_year}"
    )
    return Assessment(
        status,
        reasoning,
        observed_cagr=observed,
        required_cagr=required,
        ratio=ratio,
        path_value=path,
        gap_to_path=yt - path,
        extrapolated=extrapolated,
        **common,
    )


def _worse(latest: float, base: float, increase: bool) -> bool:
    return latest < base if increase else latest > base
