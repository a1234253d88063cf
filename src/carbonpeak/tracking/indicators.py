"""Plan indicators per year, as pure functions of the data: the accounts of the accepted monthly
reports, the units' indicator reports and the office's statistics, and the registry's capacities.

Accounted indicators follow the formula table (:mod:`carbonpeak.tracking.formulas`) for full
calendar years only; a reported indicator's value is the latest report of its year received by
the cut-off (the assessment date, for an assessment). Every value keeps its source, and none lies
outside its indicator's domain.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from carbonpeak.accounting import (
    Accounts,
    items,
    unit_product_energy,
)
from carbonpeak.plan import Plan
from carbonpeak.tracking.domains import in_domain
from carbonpeak.tracking.formulas import Formula, FormulaTable, formulas
from carbonpeak.units import annualised_unit, to_magnitude

__all__ = [
    "IndicatorValue",
    "accounted_values",
    "full_years",
    "in_domain",
    "latest_reports",
    "reported_values",
    "statistic_series",
]


@dataclass(frozen=True)
class IndicatorValue:
    indicator: str
    year: int
    value: float
    unit: str
    source: str  # how it was obtained: "accounted: …" or "reported by …"
    period: str | None = None  # YYYY-MM for a monthly value; None for a year


def latest_reports(reports: pd.DataFrame, received_by: datetime | None = None) -> pd.DataFrame:
    """The latest report of each indicator (or statistic) and year, among those received by
    ``received_by`` (all when None). ``reports`` is in the order received."""
    if reports.empty:
        return reports
    chosen = reports
    if received_by is not None and "received_at" in reports.columns:
        cut = pd.Timestamp(received_by)
        cut = cut.tz_localize("UTC") if cut.tzinfo is None else cut.tz_convert("UTC")
        chosen = reports[pd.to_datetime(reports["received_at"], utc=True) <= cut]
    return chosen.drop_duplicates(["indicator", "year"], keep="last")


def statistic_series(reports: pd.DataFrame, statistic: str) -> dict[int, float]:
    """A statistic's (or indicator's) value per year from ``latest_reports``."""
    if reports.empty:
        return {}
    chosen = reports[reports["indicator"] == statistic]
    return {int(y): float(v) for y, v in zip(chosen["year"], chosen["value"], strict=True)}


def reported_values(plan: Plan, latest: pd.DataFrame) -> list[IndicatorValue]:
    """The reported plan indicators in ``latest`` (from :func:`latest_reports`)."""
    if latest.empty:
        return []
    known = {i.id: i for i in plan.indicators}
    values = []
    for row in latest.to_dict("records"):
        indicator = known.get(str(row["indicator"]))
        if indicator is None:
            continue
        # A report may use any unit of the indicator's dimension (a capacity in 万t is per
        # year, as the plan states capacities): kept in the indicator's unit.
        unit = annualised_unit(str(row["unit"]), indicator.unit)
        value = to_magnitude(float(row["value"]), unit, indicator.unit)
        if not in_domain(indicator.domain, value):
            continue  # refused at input since domains exist; older rows need a correction
        values.append(
            IndicatorValue(
                indicator.id,
                int(row["year"]),
                value,
                indicator.unit,
                f"reported by {row['reporting_unit']}",
            )
        )
    return values


def full_years(activity: pd.DataFrame) -> set[int]:
    """Years with all twelve months in ``activity``."""
    months = activity.groupby("year", observed=True)["period"].nunique().to_dict()
    return {int(str(y)) for y, n in months.items() if n == 12}


def _by_year(frame: pd.DataFrame) -> dict[int, dict[str, Any]]:
    return {
        int(str(r["year"])): {str(k): v for k, v in r.items()} for r in frame.to_dict("records")
    }


def _enterprise_sum(accounts: Accounts) -> pd.DataFrame:
    """Every enterprise's own account (scope 1 + 2) added up per year: not a base total, since
    electricity made and used inside the base is counted at the plant and at the user."""
    enterprise = accounts.totals("enterprise", "year")
    additive = [c for c in enterprise.columns if c not in ("enterprise", "sector", "year")]
    summed = enterprise.groupby("year", observed=True)[additive].sum(min_count=1).reset_index()
    return summed


class _Context:
    """What the formulas of one account read, each computed once."""

    def __init__(
        self,
        accounts: Accounts,
        latest: pd.DataFrame,
        capacities: pd.DataFrame | None,
    ) -> None:
        self.accounts = accounts
        self.latest = latest
        self.capacities = capacities
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, compute: Any) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def level(self, level: str) -> dict[int, dict[str, Any]]:
        found: dict[int, dict[str, Any]]
        if level == "enterprise_sum":
            found = self.memo("enterprise_sum", lambda: _by_year(_enterprise_sum(self.accounts)))
        else:
            found = self.memo("base", lambda: _by_year(self.accounts.totals("base", "year")))
        return found

    def divisions(self) -> pd.DataFrame:
        found: pd.DataFrame = self.memo(
            "division", lambda: self.accounts.totals("division", "year")
        )
        return found

    def products(self) -> pd.DataFrame:
        def compute() -> pd.DataFrame:
            products = unit_product_energy(self.accounts)
            if products.empty:
                return products
            return products[products["levels"].str.startswith("ndrc_benchmark")]

        frame: pd.DataFrame = self.memo("products", compute)
        return frame


def _benchmark_share(context: _Context, formula: Formula, year: int) -> tuple[float, str] | None:
    products = context.products()
    if products.empty:
        return None
    chosen = products[products["year"] == year]
    if formula.products != "all":
        chosen = chosen[chosen["product"].isin(formula.products or [])]
    if chosen.empty:
        return None
    capacities = context.capacities
    weight = chosen["output_t"].to_numpy(dtype=float)
    weighting = "output"
    if capacities is not None and not capacities.empty:
        merged = chosen.merge(
            capacities[["enterprise", "facility", "capacity"]],
            on=["enterprise", "facility"],
            how="left",
        )
        if merged["capacity"].notna().all():
            weight = merged["capacity"].to_numpy(dtype=float)
            weighting = "capacity"
    at = np.where(chosen["position"].to_numpy() == "at_benchmark", weight, 0.0)
    total = float(weight.sum())
    if total <= 0:
        return None
    return 100 * float(at.sum()) / total, f"{weighting}-weighted over {len(chosen)} facilities"


def _unit_energy(context: _Context, formula: Formula, year: int) -> tuple[float, str] | None:
    products = context.products()
    if products.empty:
        return None
    rows = products[(products["product"] == formula.product) & (products["year"] == year)]
    if rows.empty or rows["output_t"].sum() <= 0:
        return None
    weighted = (rows["unit_value"] * rows["output_t"]).sum() / rows["output_t"].sum()
    return float(weighted), f"output-weighted over {len(rows)} facilities"


def _final_electricity_share(
    context: _Context, formula: Formula, year: int
) -> tuple[float, str] | None:
    divisions = context.divisions()
    rows = divisions[
        (divisions["year"].astype(int) == year)
        & ~divisions["division"].astype(str).isin(formula.exclude_divisions or [])
    ]
    energy = float(rows["energy_consumption_tce"].sum())
    if energy <= 0:
        return None
    coefficient = context.accounts.factors.tce_per_unit(items()["electricity"])
    if coefficient is None:
        return None
    electricity_tce = float(rows["electricity_mwh"].sum()) * 1000 * coefficient.value / 1000
    excluded = ", ".join(formula.exclude_divisions or [])
    return 100 * electricity_tce / energy, (
        f"electricity at {coefficient.value:g} {coefficient.unit}; divisions {excluded} excluded"
    )


def _evaluate(
    context: _Context, formula: Formula, year: int, statistics: Mapping[str, dict[int, float]]
) -> tuple[float, str] | None:
    if formula.kind == "base_metric":
        totals = context.level(formula.level).get(year)
        if totals is None or formula.metric is None:
            return None
        value = totals.get(formula.metric)
        if value is None or not math.isfinite(float(value)):
            return None
        return float(value) * formula.scale, f"{formula.level} {formula.metric}"
    if formula.kind == "division_metric":
        divisions = context.divisions()
        rows = divisions[
            (divisions["year"].astype(int) == year)
            & (divisions["division"].astype(str) == formula.division)
        ]
        if rows.empty or formula.metric is None:
            return None
        return float(rows[formula.metric].iloc[0]) * formula.scale, (
            f"division {formula.division} {formula.metric}"
        )
    if formula.kind == "intensity":
        totals = context.level(formula.level).get(year)
        statistic = statistics.get(formula.statistic or "", {})
        if totals is None or year not in statistic or formula.metric is None:
            return None
        denominator = statistic[year] * formula.statistic_scale
        if denominator <= 0:
            return None
        return float(totals[formula.metric]) / denominator, (
            f"{formula.level} {formula.metric} over {formula.statistic} reported by the office"
        )
    if formula.kind == "benchmark_share":
        return _benchmark_share(context, formula, year)
    if formula.kind == "product_unit_energy":
        return _unit_energy(context, formula, year)
    if formula.kind == "final_electricity_share":
        return _final_electricity_share(context, formula, year)
    return None


def accounted_values(
    plan: Plan,
    accounts: Accounts,
    latest: pd.DataFrame,
    capacities: pd.DataFrame | None = None,
    table: FormulaTable | None = None,
) -> list[IndicatorValue]:
    """Every accounted plan indicator for every full year of ``accounts``; ``latest`` holds the
    office's statistics (GDP, industrial value added) among the reports."""
    table = table or formulas()
    context = _Context(accounts, latest, capacities)
    statistics: dict[str, dict[int, float]] = {}
    for formula in table.formulas.values():
        if formula.statistic and formula.statistic not in statistics:
            statistics[formula.statistic] = statistic_series(latest, formula.statistic)
    source = f"accounted: factor set {accounts.factor_set}, accepted reports, {table.version}"
    values = []
    indicators = {i.id: i for i in plan.indicators}
    for year in sorted(full_years(accounts.rows)):
        for indicator_id, formula in table.formulas.items():
            indicator = indicators.get(indicator_id)
            if indicator is None:
                continue
            result = _evaluate(context, formula, year, statistics)
            if result is None:
                continue
            value, how = result
            if not in_domain(indicator.domain, value):
                continue  # a value an indicator cannot take is no value: its inputs need review
            values.append(
                IndicatorValue(indicator_id, year, value, formula.unit, f"{source}; {how}")
            )
    return values
