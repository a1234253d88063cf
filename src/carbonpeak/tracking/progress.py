"""Progress of an indicator toward its target, judged in the target's own year.

- Once the target year has passed, the target is ``achieved`` or ``missed`` on the target year's
  value alone; later values are shown beside it and never change the verdict.
- Before it, by the required-versus-observed growth method (Eurostat, as Open SDG implements it):
  R = d · CAGR_observed / |CAGR_required| (d = +1 where an increase is wanted, −1 otherwise):
  R ≥ 0.95 on track; 0.60 ≤ R < 0.95 acceleration needed; 0 ≤ R < 0.60 limited progress; R < 0
  deterioration. From a zero or near-zero base no growth rate exists: progress is then judged
  linearly against the time elapsed (时序进度). No extrapolation leaves the indicator's domain
  (shares in [0, 100] %, counts non-negative whole numbers): such a trend value is not shown and
  the reasoning says why.

Thresholds and their sources: ``data/methods/tracking.yaml``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any, Literal

from carbonpeak.messages import Message, message
from carbonpeak.plan import Domain
from carbonpeak.tracking.domains import in_domain
from carbonpeak.tracking.method import tracking_method
from carbonpeak.tracking.wording import (
    approx_band,
    figure,
    later_values,
    signed_percent,
    whole_percent,
)

__all__ = ["APPROX_TOLERANCE", "Assessment", "Status", "assess", "geometric_path", "met"]

_PARAMETERS = tracking_method().parameters
# "左右" (approximately): within this fraction of the target counts as meeting it.
APPROX_TOLERANCE: float = float(_PARAMETERS["approx_tolerance"])
ON_TRACK = float(_PARAMETERS["on_track_ratio"])
ACCELERATION = float(_PARAMETERS["acceleration_ratio"])
NEAR_ZERO = float(_PARAMETERS["near_zero_base"])


class Status(StrEnum):
    achieved = "achieved"
    missed = "missed"
    on_track = "on_track"
    acceleration_needed = "acceleration_needed"
    limited_progress = "limited_progress"
    deterioration = "deterioration"
    awaiting_data = "awaiting_data"
    not_assessable = "not_assessable"


@dataclass(frozen=True)
class Assessment:
    status: Status
    reason: Message  # why, in either language (``reasoning``: its English, for the API and logs)
    method: str = "none"  # target_year_value, trend, linear_progress, scenario, none
    base_year: int | None = None
    base_value: float | None = None
    latest_year: int | None = None
    latest_value: float | None = None
    target_year: int | None = None
    target_value: float | None = None
    observed_cagr: float | None = None
    required_cagr: float | None = None
    ratio: float | None = None
    path_value: float | None = None  # where the path to the target stands in the latest year
    gap_to_path: float | None = None  # latest − path, in the indicator's unit
    extrapolated: float | None = None  # the target year's value at the observed pace

    @property
    def reasoning(self) -> str:
        return self.reason.text("en")

    def as_dict(self) -> dict[str, Any]:
        """The assessment as plain values: ``reasoning`` in English, ``reasoning_zh`` in Chinese."""
        data = asdict(self)
        del data["reason"]
        data["status"] = self.status.value
        data["reasoning"] = self.reason.text("en")
        data["reasoning_zh"] = self.reason.text("zh")
        return data


def geometric_path(
    base_value: float, target_value: float, base_year: int, target_year: int, year: int
) -> float:
    """y*(t) = y₀ · (y_T / y₀)^((t − t₀)/(T − t₀))."""
    share = (year - base_year) / (target_year - base_year)
    return float(base_value * (target_value / base_value) ** share)


def met(value: float, target: float, increase: bool, comparator: str) -> bool:
    """Whether ``value`` meets ``target`` under ``comparator`` (左右 within the tolerance)."""
    if comparator == "approx":
        return abs(value - target) <= APPROX_TOLERANCE * abs(target) or (
            value > target if increase else value < target
        )
    if comparator == "gt":
        return value > target
    if comparator == "lt":
        return value < target
    return value >= target if increase else value <= target


def _band(comparator: str) -> Message | str:
    return approx_band(comparator, APPROX_TOLERANCE)


def _ratio_status(ratio: float) -> Status:
    if ratio >= ON_TRACK:
        return Status.on_track
    if ratio >= ACCELERATION:
        return Status.acceleration_needed
    return Status.limited_progress if ratio >= 0 else Status.deterioration


def _judged_in_target_year(
    series: dict[int, float],
    target_value: float,
    target_year: int,
    increase: bool,
    comparator: str,
    common: dict[str, Any],
    data_due: bool,
) -> Assessment:
    band = _band(comparator)
    shown = later_values({y: v for y, v in series.items() if y > target_year})
    if target_year not in series:
        if not data_due:
            return Assessment(
                Status.awaiting_data,
                message("reasoning.target_year_awaited", year=target_year, later=shown),
                "target_year_value",
                **common,
            )
        return Assessment(
            Status.missed,
            message("reasoning.target_year_missing", year=target_year, later=shown),
            "target_year_value",
            **common,
        )
    value = series[target_year]
    common = {**common, "latest_year": target_year, "latest_value": value}
    verdict = met(value, target_value, increase, comparator)
    return Assessment(
        Status.achieved if verdict else Status.missed,
        message(
            "reasoning.target_year_met" if verdict else "reasoning.target_year_not_met",
            value=figure(value),
            year=target_year,
            target=figure(target_value),
            band=band,
            later=shown,
        ),
        "target_year_value",
        **common,
    )


def assess(
    series: dict[int, float],
    target_value: float,
    target_year: int,
    direction: Literal["increase", "decrease"],
    comparator: str = "ge",
    base_year: int | None = None,
    domain: Domain = Domain.real,
    year_passed: bool = False,
    data_due: bool = True,
) -> Assessment:
    """Assess a yearly ``series`` against ``target_value`` due in ``target_year``.

    ``year_passed``: the target year is over, so the target is judged on its own year's value;
    ``data_due``: its value was due by now (the assessment date has come), so a missing value
    is a miss rather than awaited. ``base_year`` defaults to the first year of the series.
    """
    increase = direction == "increase"
    years = sorted(y for y, v in series.items() if v is not None and math.isfinite(v))
    if base_year is not None:
        years = [y for y in years if y >= base_year]
    clean = {y: series[y] for y in years}
    common: dict[str, Any] = {"target_year": target_year, "target_value": target_value}
    if years:
        common |= {
            "base_year": years[0],
            "base_value": clean[years[0]],
            "latest_year": years[-1],
            "latest_value": clean[years[-1]],
        }
    if year_passed:
        return _judged_in_target_year(
            clean, target_value, target_year, increase, comparator, common, data_due
        )
    if len(years) < 2:
        return Assessment(
            Status.not_assessable,
            message("reasoning.too_few_years", years=", ".join(map(str, years)) or "–"),
            **common,
        )
    t0, t = years[0], years[-1]
    y0, yt = clean[t0], clean[t]
    band = _band(comparator)
    if met(yt, target_value, increase, comparator):
        return Assessment(
            Status.on_track,
            message(
                "reasoning.already_meets",
                value=figure(yt),
                year=t,
                target=figure(target_value),
                band=band,
                target_year=target_year,
            ),
            "trend",
            **common,
        )
    if (y0 < 0) != (yt < 0) and y0 != 0 and yt != 0:
        return Assessment(Status.not_assessable, message("reasoning.opposite_signs"), **common)
    d = 1.0 if increase else -1.0
    if abs(y0) <= NEAR_ZERO * abs(target_value) or y0 == 0:
        return _linear(clean, t0, t, target_value, target_year, domain, band, common)
    observed = (yt / y0) ** (1 / (t - t0)) - 1
    required = (target_value / y0) ** (1 / (target_year - t0)) - 1
    path = geometric_path(y0, target_value, t0, target_year, t)
    trend = yt * (1 + observed) ** (target_year - t)
    if required == 0 or (d * required) < 0:
        # The target lies behind the base: any movement the right way keeps it.
        status = Status.on_track if d * observed >= 0 else Status.deterioration
        ratio = None
    else:
        ratio = (-1.0 if y0 < 0 else 1.0) * d * observed / abs(required)
        status = _ratio_status(ratio)
    extrapolated, note = _within(trend, domain)
    reasoning = message(
        "reasoning.trend",
        start=t0,
        end=t,
        observed=signed_percent(observed),
        required=signed_percent(required),
        target=figure(target_value),
        target_year=target_year,
        band=band,
        path=figure(path),
        note=note,
    )
    return Assessment(
        status,
        reasoning,
        "trend",
        observed_cagr=observed,
        required_cagr=required,
        ratio=ratio,
        path_value=path,
        gap_to_path=yt - path,
        extrapolated=extrapolated,
        **common,
    )


def _within(trend: float, domain: Domain) -> tuple[float | None, Message]:
    """The trend value in the target year, unless it leaves the indicator's domain."""
    if not in_domain(domain, trend):
        return None, message(
            "reasoning.trend_leaves_domain", domain=message(f"domain.{domain.value}")
        )
    if domain is Domain.whole_number:
        trend = float(math.floor(trend))
    return trend, message("reasoning.trend_reaches", value=figure(trend))


def _linear(
    series: dict[int, float],
    t0: int,
    t: int,
    target_value: float,
    target_year: int,
    domain: Domain,
    band: Message | str,
    common: dict[str, Any],
) -> Assessment:
    """Progress from a zero or near-zero base: the share of the way covered against the share
    of the time elapsed (时序进度); no compound growth from nothing."""
    y0, yt = series[t0], series[t]
    way = target_value - y0
    elapsed = (t - t0) / (target_year - t0)
    if way == 0 or elapsed <= 0:
        return Assessment(Status.not_assessable, message("reasoning.no_distance"), **common)
    covered = (yt - y0) / way
    ratio = covered / elapsed
    path = y0 + way * elapsed
    trend = y0 + (yt - y0) / elapsed
    extrapolated, note = _within(trend, domain)
    reasoning = message(
        "reasoning.linear",
        start=t0,
        base=figure(y0),
        covered=whole_percent(covered),
        target=figure(target_value),
        band=band,
        elapsed=whole_percent(elapsed),
        target_year=target_year,
        note=note,
    )
    return Assessment(
        _ratio_status(ratio),
        reasoning,
        "linear_progress",
        ratio=ratio,
        path_value=path,
        gap_to_path=yt - path,
        extrapolated=extrapolated,
        **common,
    )
