"""The base boundary in a projection: the base's CO2, energy and non-fossil share by the regional
method (``accounting/boundary.py``, docs/accounting.md "The base boundary"), from the base's
projected electricity flows, so that projections and accounted history are on one boundary.

Per year, with every flow summed over the base's units (MWh):

    net import      = bought − fossil supplied − fossil delivered − non-fossil supplied
                      − non-fossil delivered                     (negative for a net exporter)
    in-base non-fossil generation  G_nf = non-fossil supplied + delivered + own generation
    electricity CO2 = (net import − green power) × grid factor   (residual factor for an
                      import beside green power), the factor falling with the grid's change
    energy          = units' energy + (net import + G_nf − what the units counted) × 0.1229
    equivalent      = the same at the supply coal rate (electricity's equivalent value)
    non-fossil used = G_nf × (1 − export / in-base generation) + import × grid non-fossil share

The accounts apply these rules month by month and sum the months; a projection has years only.
Each term therefore starts from the accounted base-year value and moves by the change of the
yearly formula (``offsets``): a zero-change year reproduces the accounted base year exactly.

``terms`` works on numpy arrays (draws × years); ``terms_loop`` is the same in plain Python, for
``project_loop``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
from numpy.typing import NDArray

__all__ = ["Boundary", "Flows", "offsets", "terms", "terms_loop"]

Array = NDArray[np.float64]
T = TypeVar("T", float, Array)


@dataclass(frozen=True)
class Boundary:
    """The base year's regional accounts and the factors their rule used in that year."""

    grid_factor: float  # tCO2/MWh: the factor set's average grid factor in the base year
    residual_factor: float  # tCO2/MWh: excluding market-traded non-fossil power; NaN if none
    grid_non_fossil_share: float  # fraction of the grid's electricity that is non-fossil
    equivalent_tce_per_mwh: float  # the base year's supply coal rate (equivalent value)
    calorific_tce_per_mwh: float  # GB/T 2589 calorific value, 0.1229
    non_fossil_supplied_mwh: float  # in-base non-fossil generation supplied (existing plants)
    non_fossil_delivered_mwh: float  # non-fossil electricity delivered by non-generators
    # The accounted base-year totals (totals("base", "year")) the projection starts from.
    electricity_co2_t: float
    energy_tce: float
    energy_equivalent_tce: float
    non_fossil_tce: float


@dataclass(frozen=True)
class Flows(Generic[T]):
    """One year's (or every draw's and year's) base-wide flows and the units' energy."""

    bought: T  # grid electricity bought by the units (from the grid or from another unit)
    own: T  # own non-fossil generation used behind the unit's meter
    green: T  # the part of ``bought`` with green certificates (counted at zero)
    fossil_supplied: T  # fossil electricity supplied by the base's generators
    delivered: T  # fossil electricity delivered by units that are not supplying generators
    new_non_fossil: T  # generation of non-fossil capacity added after the base year
    units_energy: T  # the units' own energy consumption (tce), their electricity included
    grid: T  # grid factor index: 1 in the base year


def terms(boundary: Boundary, flows: Flows[Array], offset: dict[str, float]) -> dict[str, Array]:
    """The regional terms for arrays of flows: net import (MWh), electricity CO2 (t), energy
    and equivalent energy (tce) and non-fossil energy used (tce), each plus its ``offset``."""
    b = boundary
    non_fossil_out = b.non_fossil_supplied_mwh + b.non_fossil_delivered_mwh + flows.new_non_fossil
    net = flows.bought - flows.fossil_supplied - flows.delivered - non_fossil_out
    generated_non_fossil = non_fossil_out + flows.own
    generated = flows.fossil_supplied + generated_non_fossil
    exported = np.maximum(-net, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(generated > 0, np.minimum(exported / generated, 1.0), 0.0)
    # The grid's non-fossil share rises as its factor falls (non-fossil power emits nothing).
    grid_share = 1.0 - (1.0 - b.grid_non_fossil_share) * flows.grid
    used = generated_non_fossil * (1.0 - ratio) + np.maximum(net, 0.0) * grid_share
    rest = net - flows.green
    residual = (flows.green > 0) & (rest > 0) & (not math.isnan(b.residual_factor))
    factor = np.where(residual, b.residual_factor, b.grid_factor) * flows.grid
    counted = flows.bought + flows.own - flows.delivered - b.non_fossil_delivered_mwh
    boundary_mwh = net + generated_non_fossil
    energy = flows.units_energy + (boundary_mwh - counted) * b.calorific_tce_per_mwh
    equivalent = energy + boundary_mwh * (b.equivalent_tce_per_mwh - b.calorific_tce_per_mwh)
    return {
        "net_imported_electricity_mwh": net,
        "electricity_co2_t": rest * factor + offset["electricity_co2_t"] * flows.grid,
        "energy_tce": energy + offset["energy_tce"],
        "energy_equivalent_tce": equivalent + offset["energy_equivalent_tce"],
        "non_fossil_tce": used * b.equivalent_tce_per_mwh + offset["non_fossil_tce"],
    }


def terms_loop(
    boundary: Boundary, flows: Flows[float], offset: dict[str, float]
) -> dict[str, float]:
    """:func:`terms` for one draw and year, in plain Python (the reference)."""
    b = boundary
    non_fossil_out = b.non_fossil_supplied_mwh + b.non_fossil_delivered_mwh + flows.new_non_fossil
    net = flows.bought - flows.fossil_supplied - flows.delivered - non_fossil_out
    generated_non_fossil = non_fossil_out + flows.own
    generated = flows.fossil_supplied + generated_non_fossil
    ratio = min(max(-net, 0.0) / generated, 1.0) if generated > 0 else 0.0
    grid_share = 1.0 - (1.0 - b.grid_non_fossil_share) * flows.grid
    used = generated_non_fossil * (1.0 - ratio) + max(net, 0.0) * grid_share
    rest = net - flows.green
    residual = flows.green > 0 and rest > 0 and not math.isnan(b.residual_factor)
    factor = (b.residual_factor if residual else b.grid_factor) * flows.grid
    counted = flows.bought + flows.own - flows.delivered - b.non_fossil_delivered_mwh
    boundary_mwh = net + generated_non_fossil
    energy = flows.units_energy + (boundary_mwh - counted) * b.calorific_tce_per_mwh
    equivalent = energy + boundary_mwh * (b.equivalent_tce_per_mwh - b.calorific_tce_per_mwh)
    return {
        "net_imported_electricity_mwh": net,
        "electricity_co2_t": rest * factor + offset["electricity_co2_t"] * flows.grid,
        "energy_tce": energy + offset["energy_tce"],
        "energy_equivalent_tce": equivalent + offset["energy_equivalent_tce"],
        "non_fossil_tce": used * b.equivalent_tce_per_mwh + offset["non_fossil_tce"],
    }


def offsets(boundary: Boundary, base_year: Flows[float]) -> dict[str, float]:
    """The accounted base-year value of each term less the yearly formula's value on the base
    year's flows: what the month-by-month accounting adds (zero where every month is alike)."""
    zero = dict.fromkeys(("electricity_co2_t", "energy_tce", "energy_equivalent_tce"), 0.0)
    model = terms_loop(boundary, base_year, {**zero, "non_fossil_tce": 0.0})
    return {
        "electricity_co2_t": boundary.electricity_co2_t - model["electricity_co2_t"],
        "energy_tce": boundary.energy_tce - model["energy_tce"],
        "energy_equivalent_tce": boundary.energy_equivalent_tce - model["energy_equivalent_tce"],
        "non_fossil_tce": boundary.non_fossil_tce - model["non_fossil_tce"],
    }
