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

__all__ = [
    "QUANTILES",
    "PeakResult",
    "full_series",
    "iamc_table",
    "peak",
    "quantiles",
    "target_probabilities",
]

Array = NDArray[np.float64]
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass(frozen=True)
class PeakResult:
    """Per trajectory: the peak year and value (the first year of the maximum), whether the
    maximum lies before the horizon's last year, and the plateau test of modeling.md §2.1."""

    years: tuple[int, ...]
    series: Array  # trajectories × years
    tolerance: float
    year: NDArray[np.int64]
    value: Array
    within_horizon: NDArray[np.bool_]

    def peaked_by(self, year: int) -> NDArray[np.bool_]:
        """Peaked by ``year``: the highest value up to ``year`` is never exceeded afterwards by
        more than the tolerance (the plateau after the peak), through the horizon, and it is not
        the horizon's last year."""
        upto = np.asarray(self.years) <= year
        if not upto.any():
            return np.zeros(self.series.shape[0], dtype=bool)
        head = self.series[:, upto]
        index = np.argmax(head, axis=1)
        top = head[np.arange(head.shape[0]), index]
        later = np.arange(self.series.shape[1])[None, :] > index[:, None]
        within = np.all(~later | (self.series <= top[:, None] * (1 + self.tolerance)), axis=1)
        peaked: NDArray[np.bool_] = within & (index < self.series.shape[1] - 1)
        return peaked

    def probability_by(self, year: int) -> float:
        return float(self.peaked_by(year).mean())

    def distribution(self) -> dict[str, float]:
        """Share of trajectories per peak year; "not within horizon" where the maximum is the
        last year."""
        labels = np.where(self.within_horizon, self.year.astype(str), "not within horizon")
        found, counts = np.unique(labels, return_counts=True)
        return {str(k): float(c) / len(labels) for k, c in zip(found, counts, strict=True)}


def peak(series: Array, years: list[int] | tuple[int, ...], tolerance: float = 0.0) -> PeakResult:
    """The peak of each row of ``series`` (trajectories × years), by modeling.md §2.1.

    >>> series = np.array([[1.0, 3.0, 2.0, 2.5], [1.0, 2.0, 3.0, 4.0]])
    >>> result = peak(series, [2028, 2029, 2030, 2031])
    >>> result.year.tolist(), result.within_horizon.tolist(), result.peaked_by(2030).tolist()
    ([2029, 2031], [True, False], [True, False])
    """
    values = np.atleast_2d(np.asarray(series, dtype=float))
    index = np.argmax(values, axis=1)
    return PeakResult(
        years=tuple(int(y) for y in years),
        series=values,
        tolerance=tolerance,
        year=np.asarray(years, dtype=np.int64)[index],
        value=values[np.arange(values.shape[0]), index],
        within_horizon=index < values.shape[1] - 1,
    )


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
    plan: Plan, base: BaseYear, projection: Projection, years: tuple[int, ...] = (2025, 2030)
) -> list[dict[str, Any]]:
    """The share of trajectories meeting each target of ``years`` that the model projects.
    Years up to the base year are actual: their probability is 0 or 1."""
    rows = []
    for target in plan.targets:
        if target.year not in years or target.indicator not in INDICATORS:
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
        if target.measure is Measure.reduction_from_baseline:
            increase = True  # a larger reduction is better
        else:
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
