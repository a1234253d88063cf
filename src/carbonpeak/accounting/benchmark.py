"""Unit-product energy against efficiency levels, and the share of capacity at the benchmark.

A facility's unit-product value is, per year, its energy (tce, feedstock included, as the limit
standards count it; without feedstock where the levels are set on that basis) or its electricity
(MWh, for levels in kWh/t) over the output of its main product: the product with efficiency
levels it makes most of.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbonpeak.accounting.catalogue import items
from carbonpeak.accounting.engine import Accounts
from carbonpeak.units import is_compatible, to_magnitude

__all__ = ["benchmark_capacity_share", "unit_product_energy"]

POSITIONS = (
    "at_benchmark",  # at or better than the benchmark level (标杆)
    "between_benchmark_and_baseline",
    "worse_than_baseline",  # worse than the baseline level (基准): to be upgraded or closed
    "level_1",
    "level_2",
    "level_3",
    "worse_than_level_3",  # limit-standard grades
)


def _position(
    value: float,
    benchmark: float | None,
    baseline: float | None,
    limits: tuple[float | None, float | None, float | None],
) -> str:
    if benchmark is not None and baseline is not None:
        if value <= benchmark:
            return "at_benchmark"
        return "between_benchmark_and_baseline" if value <= baseline else "worse_than_baseline"
    for name, limit in zip(("level_1", "level_2", "level_3"), limits, strict=True):
        if limit is not None and value <= limit:
            return name
    return "worse_than_level_3"


def unit_product_energy(accounts: Accounts) -> pd.DataFrame:
    """One row per facility, year and main product with its unit value, levels and position."""
    rows = accounts.rows
    catalogue = items()
    products = rows[
        (rows["role"] == "product_output")
        & rows["item"].map(lambda k: bool(catalogue[k].efficiency_levels)).astype(bool)
    ]
    if products.empty:
        return pd.DataFrame(columns=["enterprise", "facility", "year", "product"])
    output = (
        products.groupby(["enterprise", "facility", "year", "item"], observed=True)["quantity"]
        .sum()
        .reset_index()
    )
    main = (
        output.sort_values("quantity")
        .groupby(["enterprise", "facility", "year"], observed=True)
        .tail(1)
    )
    totals = {
        (str(r["enterprise"]), str(r["facility"]), int(r["year"])): r
        for r in accounts.totals("facility", "year").to_dict("records")
    }
    records = []
    for row in main.to_dict("records"):
        item = catalogue[str(row["item"])]
        facility = totals[(str(row["enterprise"]), str(row["facility"]), int(row["year"]))]
        for reference in item.efficiency_levels:
            resolved = accounts.factors.efficiency_level(reference)
            if resolved is None:
                continue
            version, level = resolved
            electric = is_compatible(level.unit, "kWh/t")
            energy = (
                "energy_consumption_tce"
                if level.basis == "feedstock_excluded"
                else "energy_gross_tce"
            )
            numerator, unit = (
                (facility["electricity_mwh"], "MWh") if electric else (facility[energy], "tce")
            )
            value = to_magnitude(float(numerator) / float(row["quantity"]), f"{unit}/t", level.unit)
            records.append(
                {
                    "enterprise": row["enterprise"],
                    "facility": row["facility"],
                    "year": row["year"],
                    "product": row["item"],
                    "output_t": float(row["quantity"]),
                    "unit_value": value,
                    "unit": level.unit,
                    "levels": f"{version}:{level.key}",
                    "status": level.status.value,
                    "benchmark_level": level.benchmark_level,
                    "baseline_level": level.baseline_level,
                    "limit_level_1": level.limit_level_1,
                    "limit_level_2": level.limit_level_2,
                    "limit_level_3": level.limit_level_3,
                    "position": _position(
                        value,
                        level.benchmark_level,
                        level.baseline_level,
                        (level.limit_level_1, level.limit_level_2, level.limit_level_3),
                    ),
                }
            )
    return pd.DataFrame.from_records(records)


def benchmark_capacity_share(
    unit_values: pd.DataFrame, capacities: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per product and year, the share of capacity at or better than the benchmark level.

    ``capacities`` has columns enterprise, facility, capacity (any one unit per product); where a
    facility has no capacity its annual output is its weight, and the row says so.
    """
    assessed = unit_values[unit_values["benchmark_level"].notna()].copy()
    if assessed.empty:
        return pd.DataFrame(columns=["product", "year", "share_pct", "weight"])
    assessed["weight"] = assessed["output_t"]
    weighting = "output"
    if capacities is not None:
        merged = assessed.merge(
            capacities[["enterprise", "facility", "capacity"]],
            on=["enterprise", "facility"],
            how="left",
        )
        if merged["capacity"].notna().all():
            assessed["weight"] = merged["capacity"].to_numpy()
            weighting = "capacity"
    assessed["at"] = np.where(assessed["position"] == "at_benchmark", assessed["weight"], 0.0)
    grouped = assessed.groupby(["product", "year"], observed=True)[["at", "weight"]].sum()
    grouped["share_pct"] = 100 * grouped["at"] / grouped["weight"]
    grouped["facilities"] = assessed.groupby(["product", "year"], observed=True).size()
    grouped["weighting"] = weighting
    return grouped.reset_index()[["product", "year", "share_pct", "facilities", "weighting"]]
