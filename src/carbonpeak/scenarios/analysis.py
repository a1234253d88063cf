"""The peak rule, the distribution of the peak, quantiles, target probabilities and the IAMC
table, from a projection joined to the actual history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from carbonpeak import __version__
from carbonpeak.plan import Comparator, Measure, Plan
from carbonpeak.scenarios.engine import INDICATORS, BaseYear, Projection
from carbonpeak.tracking import APPROX_TOLERANCE
from carbonpeak.units import to_magnitude

__all__ = [
    "NO_PEAK",
    "PERCENTILES",
    "QUANTILES",
    "PeakResult",
    "full_series",
    "iamc_table",
    "peak",
    "peak_summary",
    "quantiles",
    "target_probabilities",
]

Array = NDArray[np.float64]
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


NO_PEAK = "no_peak_by_horizon"  # the peak-year distribution's bar for "no peak by the horizon"
PERCENTILES = (5, 25, 50, 75, 95)


@dataclass(frozen=True)
class PeakResult:
    """Per trajectory, the one peak rule (docs/scenarios.md): ``peaked`` is
    false where the maximum is the horizon's last year; otherwise ``year`` is the first year
    whose value comes within the tolerance of the maximum (the start of the plateau: never
    exceeded afterwards by more than the tolerance) and ``value`` its value. Not-peaked rows
    carry ``year`` = horizon + 1 and ``value`` NaN. The headline probability, the distribution
    and the percentiles all read these two arrays."""

    years: tuple[int, ...]
    tolerance: float
    year: NDArray[np.int64]
    value: Array
    peaked: NDArray[np.bool_]

    @property
    def size(self) -> int:
        return int(self.year.shape[0])

    def peaked_by(self, year: int) -> NDArray[np.bool_]:
        """Peaked by ``year``: peaked, and the peak year is ``year`` or earlier."""
        result: NDArray[np.bool_] = self.peaked & (self.year <= year)
        return result

    def probability_by(self, year: int) -> float:
        """P(peak ≤ ``year``): the sum of the distribution's bars up to ``year``."""
        return int(self.peaked_by(year).sum()) / self.size

    def distribution(self) -> dict[str, float]:
        """Share of trajectories per peak year, every year from the first to the last peak
        year present (zeros included), then ``NO_PEAK``; the shares sum to 1."""
        counts: dict[str, float] = {}
        if self.peaked.any():
            found = self.year[self.peaked]
            for year in range(int(found.min()), int(found.max()) + 1):
                counts[str(year)] = int((found == year).sum()) / self.size
        counts[NO_PEAK] = int((~self.peaked).sum()) / self.size
        return counts

    def percentiles(self) -> dict[str, int | None]:
        """Peak-year percentiles over all trajectories, a no-peak one counting as later than
        every year: ``None`` where the percentile falls among those without a peak."""
        levels = np.percentile(self.year, PERCENTILES, method="inverted_cdf")
        beyond = self.years[-1] + 1
        return {
            f"p{q}": None if int(v) >= beyond else int(v)
            for q, v in zip(PERCENTILES, levels, strict=True)
        }


def peak(series: Array, years: list[int] | tuple[int, ...], tolerance: float = 0.0) -> PeakResult:
    """The peak of each row of ``series`` (trajectories × years), by the one rule.

    >>> series = np.array([[1.0, 3.0, 2.0, 2.5], [1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 2.01, 1.5]])
    >>> result = peak(series, [2028, 2029, 2030, 2031], tolerance=0.01)
    >>> result.peaked.tolist(), result.year.tolist(), result.peaked_by(2029).tolist()
    ([True, False, True], [2029, 2032, 2029], [True, False, True])
    """
    values = np.atleast_2d(np.asarray(series, dtype=float))
    rows, columns = values.shape
    top = np.argmax(values, axis=1)
    peaked = top < columns - 1
    maximum = values[np.arange(rows), top]
    # The first year within the tolerance of the maximum: the plateau's start.
    within = values >= (maximum / (1 + tolerance))[:, None]
    first = np.argmax(within, axis=1)
    calendar = np.asarray(years, dtype=np.int64)
    beyond = int(calendar[-1]) + 1 if columns else 0
    return PeakResult(
        years=tuple(int(y) for y in years),
        tolerance=tolerance,
        year=np.where(peaked, calendar[first], beyond).astype(np.int64),
        value=np.where(peaked, values[np.arange(rows), first], np.nan),
        peaked=peaked,
    )


def peak_summary(result: PeakResult, central: PeakResult) -> dict[str, Any]:
    """What every view reports of the peak, from the one rule: the central path's peak, the
    probabilities, the distribution and the percentiles over all trajectories."""
    percentiles = result.percentiles()
    peaked = bool(central.peaked[0])
    return {
        "peak_tolerance": result.tolerance,
        "peak_year": int(central.year[0]) if peaked else None,
        "peak_value": float(central.value[0]) if peaked else None,
        "peaked_within_horizon": peaked,
        "peak_year_median": percentiles["p50"],
        "peak_year_percentiles": percentiles,
        "p_peak_by_2025": result.probability_by(2025),
        "p_peak_by_2030": result.probability_by(2030),
        "peak_year_distribution": result.distribution(),
    }


def full_series(base: BaseYear, projection: Projection, indicator: str) -> tuple[list[int], Array]:
    """History (actual, the same in every trajectory) then the projection: (years, N × years)."""
    history = base.history.get(indicator, {})
    past = sorted(y for y in history if y <= base.year)
    draws = projection.values[indicator].shape[0]
    known = np.array([[history[y] for y in past]] * draws, dtype=float).reshape(draws, len(past))
    return [*past, *projection.years], np.concatenate([known, projection.values[indicator]], 1)


def quantiles(years: list[int], series: Array) -> list[dict[str, Any]]:
    """Per year: p5, p25, p50, p75, p95 over trajectories."""
    levels = np.nanquantile(series, QUANTILES, axis=0) if series.size else np.empty((5, 0))
    return [
        {
            "year": year,
            **{f"p{round(q * 100)}": float(levels[i, j]) for i, q in enumerate(QUANTILES)},
        }
        for j, year in enumerate(years)
    ]


def _meets(
    value: Array, comparator: Comparator, target: float, increase: bool
) -> NDArray[np.bool_]:
    """As tracking judges it: "≈" is met within the band or beyond it in the wanted direction."""
    if comparator is Comparator.gt:
        return value > target
    if comparator is Comparator.ge:
        return value >= target
    if comparator is Comparator.le:
        return value <= target
    if comparator is Comparator.lt:
        return value < target
    beyond = value > target if increase else value < target
    return (np.abs(value - target) <= APPROX_TOLERANCE * abs(target)) | beyond


def target_probabilities(
    plan: Plan, base: BaseYear, projection: Projection, years: tuple[int, ...] | None = None
) -> list[dict[str, Any]]:
    """The share of trajectories meeting each target (of ``years``, default every year the
    series covers) whose indicator the model projects, with the median in the target's own
    unit and domain: a reduction target's median is the reduction in percent, a share's is
    within [0, 100]. Years up to the base year are actual: their probability is 0 or 1."""
    rows = []
    for target in plan.targets:
        if years is not None and target.year not in years:
            continue
        if target.indicator not in INDICATORS:
            continue
        series_years, series = full_series(base, projection, target.indicator)
        if target.year not in series_years:
            continue
        value = series[:, series_years.index(target.year)]
        if target.measure is Measure.reduction_from_baseline:
            reference_year = target.baseline_year or plan.plan.base_year
            if reference_year not in series_years:
                continue
            reference = series[:, series_years.index(reference_year)]
            value = 100 * (1 - value / reference)
            increase = True  # a larger reduction is better
        else:
            projected_unit = INDICATORS[target.indicator]
            if target.unit != projected_unit:  # the plan's units are linear: one factor
                value = value * to_magnitude(1.0, projected_unit, target.unit)
            if target.unit == "percent":
                value = np.clip(value, 0.0, 100.0)
            increase = plan.indicator(target.indicator).direction.value == "increase"
        met = _meets(value, target.comparator, target.value, increase)
        rows.append(
            {
                "target": target.id,
                "indicator": target.indicator,
                "year": target.year,
                "clause": target.clause,
                "comparator": target.comparator.value,
                "value": target.value,
                "unit": target.unit,
                "measure": target.measure.value,
                "actual": target.year <= base.year,
                "median": float(np.nanmedian(value)),
                "probability": float(np.mean(met)),
            }
        )
    return rows


def iamc_table(
    runs: list[tuple[str, BaseYear, Projection]], region: str = "Ningdong"
) -> pd.DataFrame:
    """IAMC wide format (Model, Scenario, Region, Variable, Unit, then one column per year):
    the median and the 5th and 95th percentiles of the main variables of each scenario."""
    variables = {
        "co2_emissions": ("Emissions|CO2", "Mt CO2/yr", 0.01),
        "energy_consumption": ("Primary Energy", "Mt ce/yr", 0.01),
        "coal_consumption": ("Primary Energy|Coal|Physical", "Mt/yr", 0.01),
        "co2_utilisation": ("Carbon Capture", "Mt CO2/yr", 0.01),
        "new_energy_capacity": ("Capacity|Electricity|Wind and Solar", "GW", 0.1),
        "green_hydrogen_capacity": ("Capacity|Hydrogen|Electrolysis", "Mt/yr", 0.01),
        "gdp": ("GDP|MER", "billion CNY_2020/yr", 1e-5),
    }
    rows: list[dict[str | int, object]] = []
    for scenario, base, projection in runs:
        for indicator, (variable, unit, scale) in variables.items():
            years, series = full_series(base, projection, indicator)
            for suffix, level in (("", 0.5), ("|5th Percentile", 0.05), ("|95th Percentile", 0.95)):
                values = np.nanquantile(series, level, axis=0) * scale
                row: dict[str | int, object] = {
                    "Model": f"carbonpeak {__version__}",
                    "Scenario": scenario,
                    "Region": region,
                    "Variable": variable + suffix,
                    "Unit": unit,
                }
                row.update({year: float(v) for year, v in zip(years, values, strict=True)})
                rows.append(row)
    frame = pd.DataFrame(rows)
    year_columns = sorted(c for c in frame.columns if isinstance(c, int))
    return frame[["Model", "Scenario", "Region", "Variable", "Unit", *year_columns]]
