"""The base boundary: the base's own total by the regional method, nothing counted twice.

A base's CO2 is not the sum of its units' scope 1 + 2: a unit buying power from a coal plant of the
base would count the plant's coal a second time. The regional (assessment) view counts

    direct CO2 of every unit in the base (combustion and process)
  + CO2 of electricity imported into the base net of exports × the grid factor (negative for a
    net exporter)
  + CO2 of heat imported into the base net of exports × the heat factor
  − CO2 captured,

and electricity or heat one unit of the base sells to another nets out: it leaves the seller and
enters the buyer within the same boundary. Energy follows the same rule: units' fuels, plus
in-base non-fossil generation, plus net imported electricity (negative for a net exporter), each
electricity term at the value the column uses (calorific 0.1229 kgce/kWh, or the equivalent
value). Sources and the worked example: ``docs/accounting.md``, "The base boundary".

Electricity flows, summed over the base's units per month (MWh):

- ``grid_in``: ``electricity`` consumed (``energy_input``), bought from the grid or another unit;
  ``green_in`` is the part with green certificates or green-power trades;
- ``own_non_fossil_in``: ``renewable_electricity`` consumed, the unit's own non-fossil generation
  behind its meter (power bought from anyone else is ``electricity``);
- ``fossil_supplied``, ``non_fossil_supplied``: generation supplied (``electricity_supplied``);
- ``delivered``, ``delivered_non_fossil``: electricity a unit delivers outside itself
  (``energy_output``) without being a supplying generator.

net import = grid_in − fossil_supplied − non_fossil_supplied − delivered − delivered_non_fossil.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np
import pandas as pd

from carbonpeak.accounting.activity import Role
from carbonpeak.accounting.catalogue import Category, FactorSet, FactorValue, items
from carbonpeak.datafile import Problem

__all__ = [
    "BOUNDARY_METRICS",
    "ENTERPRISE_SUM_NOTE",
    "FLOWS",
    "base_lineage",
    "base_view",
    "boundary_problems",
    "deducts_green",
    "flows_by",
    "period_flows",
    "regional_view",
]

# Columns the base (regional) view adds to the units' metrics. Not additive over units.
BOUNDARY_METRICS: dict[str, tuple[str, str]] = {
    "co2_net_imported_electricity_t": (
        "tCO2",
        "CO2 of electricity imported into the base net of exports (negative for a net exporter)",
    ),
    "co2_net_imported_heat_t": ("tCO2", "CO2 of heat imported into the base net of exports"),
    "net_imported_electricity_mwh": (
        "MWh",
        "electricity bought by the base's units less electricity its units supply or deliver",
    ),
    "green_electricity_mwh": (
        "MWh",
        "electricity with green certificates or green-power trades, counted at zero",
    ),
    "net_imported_heat_gj": ("GJ", "heat bought by the base's units less heat they deliver"),
    "non_fossil_generation_mwh": ("MWh", "non-fossil electricity generated in the base"),
    "fossil_generation_mwh": ("MWh", "fossil electricity supplied by generators in the base"),
    "non_fossil_exported_mwh": (
        "MWh",
        "in-base non-fossil generation leaving the base, pro rata of in-base generation",
    ),
    "non_fossil_imported_mwh": (
        "MWh",
        "non-fossil part of net imported grid electricity (grid non-fossil share)",
    ),
}
ENTERPRISE_SUM_NOTE = (
    "sum of every unit's scope 1 + 2: counts electricity and heat traded between units of the "
    "base twice and does not net exports; not additive, not a base total"
)
FLOWS = (
    "grid_in",
    "green_in",
    "own_non_fossil_in",
    "fossil_supplied",
    "non_fossil_supplied",
    "delivered",
    "delivered_non_fossil",
    "heat_in",
    "heat_out",
)


def _equals(column: pd.Series, value: str) -> np.ndarray:
    """Rows of a categorical column equal to ``value``, compared by code."""
    categories = list(column.cat.categories.astype(str))
    if value not in categories:
        return np.zeros(len(column), dtype=bool)
    return np.asarray(column.cat.codes.to_numpy() == categories.index(value))


def _item_masks(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(electricity, fossil, heat) per row, from the item catalogue."""
    catalogue = items()
    keys = rows["item"].cat.categories
    codes = rows["item"].cat.codes.to_numpy()
    category = np.array([catalogue[str(k)].category for k in keys], dtype=object)[codes]
    fossil = np.array([catalogue[str(k)].fossil for k in keys], dtype=bool)[codes]
    return category == Category.electricity, fossil, category == Category.heat


def period_flows(rows: pd.DataFrame) -> pd.DataFrame:
    """The base's electricity (MWh) and heat (GJ) flows per period, summed over its units."""
    return flows_by(rows, ["period"])


def flows_by(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The flows of :data:`FLOWS` summed per the ``keys`` columns of ``rows`` (e.g. enterprise
    and year: what a projection of the base carries forward per unit)."""
    electricity, fossil, heat = _item_masks(rows)
    q = np.nan_to_num(rows["quantity"].to_numpy(dtype=float))
    role_in = _equals(rows["role"], Role.energy_input)
    role_out = _equals(rows["role"], Role.energy_output)
    supplied = _equals(rows["role"], Role.electricity_supplied)
    green = rows["green_certificate"].to_numpy(dtype=bool)
    masks = {
        "grid_in": role_in & electricity & fossil,
        "green_in": role_in & electricity & fossil & green,
        "own_non_fossil_in": role_in & electricity & ~fossil,
        "fossil_supplied": supplied & fossil,
        "non_fossil_supplied": supplied & ~fossil,
        "delivered": role_out & electricity & fossil,
        "delivered_non_fossil": role_out & electricity & ~fossil,
        "heat_in": role_in & heat,
        "heat_out": role_out & heat,
    }
    frame = pd.DataFrame({name: np.where(mask, q, 0.0) for name, mask in masks.items()})
    for key in keys:
        frame[key] = rows[key].to_numpy()
    return frame.groupby(keys, observed=True, sort=True).sum()


def deducts_green(rows: pd.DataFrame, green_input: np.ndarray) -> np.ndarray:
    """Rows of an enterprise and month in which the enterprise deducts green power at zero: its
    other grid electricity takes the factor excluding market-traded non-fossil power."""
    return (
        pd.Series(green_input, index=rows.index)
        .groupby([rows["enterprise"], rows["period"]], observed=True)
        .transform("any")
        .to_numpy(dtype=bool)
    )


def _per_year(years: np.ndarray, lookup: Callable[[int], FactorValue | None]) -> np.ndarray:
    """A per-period array of a yearly factor (NaN where the lookup gives none)."""
    table: dict[int, float] = {}
    for year in np.unique(years).tolist():
        found = lookup(int(year))
        table[int(year)] = np.nan if found is None else found.value
    return np.array([table[int(y)] for y in years], dtype=float)


def regional_view(units: pd.DataFrame, flows: pd.DataFrame, factors: FactorSet) -> pd.DataFrame:
    """The base's totals per period by the regional method.

    ``units`` holds the units' metrics summed per period (every unit's scope 1 + 2, derived
    metrics included) with a ``period`` column; ``flows`` is :func:`period_flows`. Returns
    ``units`` with the boundary-dependent metrics replaced by their regional values and the
    parts of :data:`BOUNDARY_METRICS` added; derived metrics must be recomputed by the caller.
    """
    view = units.copy()
    f = flows.reindex(view["period"].to_numpy()).fillna(0.0)
    years = np.array([int(str(p)[:4]) for p in view["period"]])
    col = {name: f[name].to_numpy(dtype=float) for name in FLOWS}
    catalogue = items()
    calorific = factors.tce_per_unit(catalogue["electricity"])
    assert calorific is not None
    rate = _per_year(years, factors.equivalent_rate)

    net = (
        col["grid_in"]
        - col["fossil_supplied"]
        - col["non_fossil_supplied"]
        - col["delivered"]
        - col["delivered_non_fossil"]
    )
    generated_non_fossil = (
        col["non_fossil_supplied"] + col["delivered_non_fossil"] + col["own_non_fossil_in"]
    )
    generated = col["fossil_supplied"] + generated_non_fossil
    exported = np.maximum(-net, 0.0)
    # A tiny generation beside a large export overflows to inf: capped at 1, as it should be.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        export_ratio = np.where(generated > 0, np.minimum(exported / generated, 1.0), 0.0)
    non_fossil_exported = generated_non_fossil * export_ratio
    imported = np.maximum(net, 0.0)
    share = _per_year(years, factors.grid_non_fossil_share) if imported.any() else 0.0
    non_fossil_imported = imported * share
    non_fossil_used = generated_non_fossil - non_fossil_exported + non_fossil_imported

    # Green power counts at zero once; grid power imported beside it takes the factor excluding
    # market-traded non-fossil power. Exports are the base's own generation, at the average.
    market_based = factors.spec.green_power == "market_based"
    green = col["green_in"] if market_based else np.zeros(len(view))
    rest = net - green
    average = _per_year(years, factors.electricity_factor) if len(view) else np.zeros(0)
    residual = _per_year(years, factors.residual_factor) if green.any() else average
    use_residual = (green > 0) & (rest > 0) & ~np.isnan(residual)
    co2_electricity = rest * np.where(use_residual, residual, average)

    # Units counted their own purchases and deliveries; the base counts net import and
    # in-base non-fossil generation instead (fossil generation is already in the fuel).
    counted = col["grid_in"] + col["own_non_fossil_in"] - col["delivered"]
    counted -= col["delivered_non_fossil"]
    boundary = net + generated_non_fossil
    view["energy_gross_tce"] += (boundary - counted) * calorific.value
    view["energy_gross_equivalent_tce"] += (boundary - counted) * rate
    view["non_fossil_tce"] = non_fossil_used * rate
    view["co2_electricity_t"] = co2_electricity
    parts = {
        "co2_net_imported_electricity_t": co2_electricity,
        "co2_net_imported_heat_t": view["co2_heat_t"].to_numpy(dtype=float),
        "net_imported_electricity_mwh": net,
        "green_electricity_mwh": green,
        "net_imported_heat_gj": col["heat_in"] - col["heat_out"],
        "non_fossil_generation_mwh": generated_non_fossil,
        "fossil_generation_mwh": col["fossil_supplied"],
        "non_fossil_exported_mwh": non_fossil_exported,
        "non_fossil_imported_mwh": np.broadcast_to(non_fossil_imported, net.shape).copy(),
    }
    for name, values in parts.items():
        view[name] = values
    return view


def base_view(
    units: pd.DataFrame,
    rows: pd.DataFrame,
    factors: FactorSet,
    frequency: Literal["month", "year"],
) -> pd.DataFrame:
    """:func:`regional_view` per month, summed to years where asked (a year is its months)."""
    view = regional_view(units, period_flows(rows), factors)
    if frequency == "month":
        return view.drop(columns=["year"], errors="ignore")
    numeric = view.drop(columns=["period"]).assign(year=[int(str(p)[:4]) for p in view["period"]])
    return numeric.groupby("year", sort=True).sum().reset_index()


BASE_LINEAGE = (
    "co2_direct_t",
    "co2_net_imported_electricity_t",
    "co2_net_imported_heat_t",
    "co2_captured_t",
    "co2_net_t",
    "energy_consumption_tce",
    "energy_consumption_equivalent_tce",
    "non_fossil_tce",
    *(k for k in BOUNDARY_METRICS if k.endswith("_mwh") or k.endswith("_gj")),
)


def base_lineage(months: pd.DataFrame, factors: FactorSet) -> tuple[dict[str, float], set[str]]:
    """The base's regional total and parts over the months of ``months`` (the base view per
    month), and the sources of the reference values its rule used in those months."""
    years = sorted({int(str(p)[:4]) for p in months["period"]})
    sources = {factors.equivalent_rate(y).source for y in years}
    sources |= {factors.electricity_factor(y).source for y in years}
    calorific = factors.tce_per_unit(items()["electricity"])
    if calorific is not None:
        sources.add(calorific.source)
    for record in months.to_dict("records"):
        year = int(str(record["period"])[:4])
        green, net = record["green_electricity_mwh"], record["net_imported_electricity_mwh"]
        residual = factors.residual_factor(year)
        if green > 0 and net - green > 0 and residual is not None:
            sources.add(residual.source)
        if net > 0:
            sources.add(factors.grid_non_fossil_share(year).source)
    if (months["co2_net_imported_heat_t"] != 0).any():
        sources.add(factors.heat_factor().source)
    totals = {name: float(months[name].sum()) for name in BASE_LINEAGE}
    return totals, sources


def boundary_problems(rows: pd.DataFrame) -> list[Problem]:
    """Records the base boundary would count twice: a facility reporting the same month's power
    both as ``electricity_supplied`` and as ``energy_output``."""
    electricity, _, _ = _item_masks(rows)
    supplied = _equals(rows["role"], Role.electricity_supplied)
    delivered = _equals(rows["role"], Role.energy_output) & electricity
    keys = [rows["enterprise"], rows["facility"], rows["period"]]
    both = (
        pd.DataFrame({"supplied": supplied, "delivered": delivered}, index=rows.index)
        .groupby(keys, observed=True)
        .any()
    )
    both = both[both["supplied"] & both["delivered"]]
    return [
        Problem(
            f"enterprise {enterprise}, facility {facility}, {period}",
            "electricity both supplied (electricity_supplied) and delivered (energy_output): "
            "the base boundary would subtract it twice",
            expected="generators record supply as electricity_supplied only",
            found="both",
        )
        for enterprise, facility, period in both.index
    ]
