"""The projection engine: bottom-up per enterprise (or per GB/T 4754 division) from the accounted
base year, vectorised over Monte Carlo draws × units × years with numpy, and the same model as a
plain Python loop (the reference the tests and the benchmark compare against). A unit takes its
division's assumptions; the draws are per division, shared by its units.

Per unit s, draw n and year t after the base year (t = 1 … T):

    output index     A = (1 + g)^t · (1 − retired share)
    intensity index  I = max(floor, (1 − e)^t · (1 − retrofit share))
    energy           E = E0 · A · I
    combustion CO2   = Cc0 · A · I · (1 + f)^t              (fuel switching changes tCO2/tce)
    process CO2      = Cp0 · A                              (less green-hydrogen substitution)
    heat CO2         = Ch0 · A · I                          (net purchased heat)
    electricity      bought and own generation: M0 · A · I; fossil generation: S0 · A
    new projects     add their energy, CO2 and electricity from commissioning + delay
    new energy       added capacity × hours × load factor: in-base non-fossil generation
    CCUS             captured CO2 (the ramp's capacity × achieved share, after its delay)
    GDP              = GDP0 · (1 + q)^t

The base is on the accounts' boundary (regional method, :mod:`carbonpeak.scenarios.regional`):
Net CO2 = combustion + process + heat + projects − hydrogen + net imported electricity × grid
factor (negative for a net exporter) − captured; energy and the non-fossil share likewise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from carbonpeak.errors import NotFound
from carbonpeak.messages import message
from carbonpeak.scenarios.axis import on_division_axis
from carbonpeak.scenarios.indices import summed_over_classes, unit_indices
from carbonpeak.scenarios.model import Discrete, Ramp, Scenario, Uncertain
from carbonpeak.scenarios.regional import Boundary, Flows, offsets, terms, terms_loop
from carbonpeak.units import WAN

__all__ = [
    "INDICATORS",
    "BaseYear",
    "Draws",
    "Projection",
    "deterministic",
    "project",
    "project_loop",
    "sample",
]

Array = NDArray[np.float64]
MWH_PER_WKW_YEAR = 1e4 * 8760 / 1000  # 1 万千瓦 for a year at full output, in MWh
# What a projection yields per year, in the plan's units.
INDICATORS: dict[str, str] = {
    "co2_emissions": "万tCO2",
    "energy_consumption": "万tce",
    "coal_consumption": "万t",
    "energy_intensity_gdp": "tce/万元",
    "co2_intensity_gdp": "tCO2/万元",
    "new_energy_capacity": "万千瓦",
    "green_hydrogen_capacity": "万t/年",
    "co2_utilisation": "万t",
    "non_fossil_share": "percent",
    "gdp": "万元",
    "net_imported_electricity": "MWh",  # not a plan indicator: the base's regional balance
}


@dataclass(frozen=True)
class BaseYear:
    """The accounted base year the projection starts from, per unit (each unit's own account and
    electricity flows), the base's regional accounts that year, and the actual history of the
    projected indicators (all from the store)."""

    year: int
    divisions: tuple[str, ...]  # each unit's GB/T 4754 division (units may share one)
    energy_tce: Array  # the unit's own energy consumption, its electricity included
    combustion_co2_t: Array
    process_co2_t: Array
    heat_co2_t: Array  # net purchased heat (negative for a unit delivering heat)
    bought_mwh: Array  # electricity bought, from the grid or another unit of the base
    own_generation_mwh: Array  # own non-fossil generation used behind the unit's meter
    green_mwh: Array  # the part of bought_mwh with green certificates (market-based sets)
    fossil_supplied_mwh: Array  # fossil electricity the unit supplies as a generator
    delivered_mwh: Array  # fossil electricity delivered by a unit that is not a generator
    coal_t: Array
    captured_t: float
    boundary: Boundary  # the base's regional accounts in the base year
    gdp_wan: float
    new_energy_wkw: float
    green_hydrogen_wt: float
    history: dict[str, dict[int, float]] = field(default_factory=dict)
    source: str = ""
    # Per division: benchmark-level energy over actual, output-weighted over its products (≤ 1).
    benchmark_floor: dict[str, float] = field(default_factory=dict)
    # The units projected: enterprises (or, when empty, the divisions themselves).
    units: tuple[str, ...] = ()
    unit_floor: dict[str, float] = field(default_factory=dict)  # an enterprise's own gap

    @property
    def unit_names(self) -> tuple[str, ...]:
        return self.units or self.divisions

    @property
    def division_set(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.divisions)))

    def floor(self, division: str, stated: float | str, unit: str | None = None) -> float:
        """A unit's intensity floor: the stated share, or the accounted benchmark gap (the
        enterprise's own where it has one, else its division's)."""
        if stated != "benchmark":
            return float(stated)
        if unit is not None and unit in self.unit_floor:
            return self.unit_floor[unit]
        if division not in self.benchmark_floor:
            raise NotFound(
                message("error.scenarios.no_benchmark", division=division, year=self.year)
            )
        return self.benchmark_floor[division]

    def flows(self) -> Flows[float]:
        """The base year's flows, summed over the units (the projection's year zero)."""
        return Flows(
            bought=float(self.bought_mwh.sum()),
            own=float(self.own_generation_mwh.sum()),
            green=float(self.green_mwh.sum()),
            fossil_supplied=float(self.fossil_supplied_mwh.sum()),
            delivered=float(self.delivered_mwh.sum()),
            new_non_fossil=0.0,
            units_energy=float(self.energy_tce.sum()),
            grid=1.0,
        )


@dataclass(frozen=True)
class Draws:
    """Sampled uncertain inputs: one row per trajectory."""

    output_growth: Array  # (N, S)
    efficiency_gain: Array  # (N, S)
    fuel_factor_change: Array  # (N, S)
    grid_factor_change: Array  # (N,)
    gdp_growth: Array  # (N,)
    load_factor: Array  # (N,)
    hydrogen_achieved: Array  # (N,)
    hydrogen_delay: NDArray[np.int64]  # (N,)
    ccus_achieved: Array  # (N,)
    ccus_delay: NDArray[np.int64]  # (N,)
    project_delay: NDArray[np.int64]  # (N, P)

    @property
    def size(self) -> int:
        return int(self.gdp_growth.shape[0])


@dataclass(frozen=True)
class Projection:
    """Years base+1 … horizon: each indicator as an (N, T) array."""

    years: tuple[int, ...]
    values: dict[str, Array]
    # Direct and heat CO2 per division (N, D, T), divisions as BaseYear.division_set; the
    # electricity term is the base's (net import), not any division's.
    by_division: Array


def _normal(spec: Uncertain, z: Array) -> Array:
    values = spec.mean + spec.sd * z
    low = -np.inf if spec.low is None else spec.low
    high = np.inf if spec.high is None else spec.high
    return np.clip(values, low, high)


def _discrete(spec: Discrete, rng: np.random.Generator, n: int) -> NDArray[np.int64]:
    weights = np.asarray(spec.weights, dtype=float)
    return rng.choice(np.asarray(spec.values, dtype=np.int64), size=n, p=weights / weights.sum())


def sample(scenario: Scenario, base: BaseYear, n: int, seed: int = 20231101) -> Draws:
    """``n`` draws of every uncertain input (growth rates, efficiency, fuel and grid factors,
    load factor, hydrogen and CCUS ramp-up and delay, project commissioning delays)."""
    rng = np.random.default_rng(seed)
    divisions = base.division_set
    unit_index = np.array([divisions.index(d) for d in base.divisions], dtype=np.int64)

    def per_sector(name: str) -> Array:
        # One draw per division, shared by its units: a sector's fortunes move together.
        z = rng.standard_normal((n, len(divisions)))
        drawn = np.stack(
            [_normal(getattr(scenario.sector(d), name), z[:, i]) for i, d in enumerate(divisions)],
            axis=1,
        ).reshape(n, len(divisions))
        return drawn[:, unit_index]

    return Draws(
        output_growth=per_sector("output_growth"),
        efficiency_gain=per_sector("efficiency_gain"),
        fuel_factor_change=per_sector("fuel_factor_change"),
        grid_factor_change=_normal(scenario.grid_factor_change, rng.standard_normal(n)),
        gdp_growth=_normal(scenario.gdp_growth, rng.standard_normal(n)),
        load_factor=_normal(scenario.new_energy_load_factor, rng.standard_normal(n)),
        hydrogen_achieved=_normal(scenario.green_hydrogen.achieved, rng.standard_normal(n)),
        hydrogen_delay=_discrete(scenario.green_hydrogen.delay_years, rng, n),
        ccus_achieved=_normal(scenario.ccus.achieved, rng.standard_normal(n)),
        ccus_delay=_discrete(scenario.ccus.delay_years, rng, n),
        project_delay=np.stack(
            [_discrete(p.delay_years, rng, n) for p in scenario.projects], axis=1
        )
        .reshape(n, len(scenario.projects))
        .astype(np.int64)
        if scenario.projects
        else np.zeros((n, 0), dtype=np.int64),
    )


def deterministic(scenario: Scenario, base: BaseYear) -> Draws:
    """The central path: every normal at its (clipped) mean, every delay at its likeliest."""
    sectors = [scenario.sector(d) for d in base.divisions]
    zero = np.zeros(1)

    def per_sector(name: str) -> Array:
        return np.array([[_normal(getattr(s, name), zero)[0] for s in sectors]]).reshape(
            1, len(sectors)
        )

    return Draws(
        output_growth=per_sector("output_growth"),
        efficiency_gain=per_sector("efficiency_gain"),
        fuel_factor_change=per_sector("fuel_factor_change"),
        grid_factor_change=_normal(scenario.grid_factor_change, zero),
        gdp_growth=_normal(scenario.gdp_growth, zero),
        load_factor=_normal(scenario.new_energy_load_factor, zero),
        hydrogen_achieved=_normal(scenario.green_hydrogen.achieved, zero),
        hydrogen_delay=np.array([scenario.green_hydrogen.delay_years.central], dtype=np.int64),
        ccus_achieved=_normal(scenario.ccus.achieved, zero),
        ccus_delay=np.array([scenario.ccus.delay_years.central], dtype=np.int64),
        project_delay=np.array(
            [[p.delay_years.central for p in scenario.projects]], dtype=np.int64
        ).reshape(1, len(scenario.projects)),
    )


def _ramp(ramp: Ramp, years: NDArray[np.int64], delay: NDArray[np.int64]) -> Array:
    """Cumulative capacity of a stepped ramp in each year, shifted by each draw's delay: (N, T)."""
    capacity = np.zeros((delay.shape[0], years.shape[0]))
    for step in sorted(ramp.steps, key=lambda s: s.year):
        reached = years[None, :] >= step.year + delay[:, None]
        capacity = np.where(reached, step.value, capacity)
    return capacity


def _stepped(scenario: Scenario, base: BaseYear, years: NDArray[np.int64], field: str) -> Array:
    """Each division's stepped share (retired output, retrofit intensity cut) per year: (S, T)."""
    shares = np.zeros((len(base.divisions), years.shape[0]))
    for i, division in enumerate(base.divisions):
        for step in sorted(getattr(scenario.sector(division), field), key=lambda s: s.year):
            shares[i] = np.where(years >= step.year, step.value, shares[i])
    return shares


def project(scenario: Scenario, base: BaseYear, draws: Draws) -> Projection:
    """Every draw's path, all at once: arrays of (draws, units, years), units being enterprises
    (or divisions), summed to divisions and to the base. Units that share their division's draws
    and floor are computed as one (:mod:`carbonpeak.scenarios.axis`)."""
    base, draws = on_division_axis(scenario, base, draws)
    years = np.arange(base.year + 1, scenario.horizon + 1, dtype=np.int64)
    t = (years - base.year).astype(float)[None, None, :]  # (1, 1, T)
    units = zip(base.divisions, base.unit_names, strict=True)
    floors = np.array([base.floor(d, scenario.sector(d).intensity_floor, u) for d, u in units])
    indexed = unit_indices(
        draws.output_growth,
        draws.efficiency_gain,
        draws.fuel_factor_change,
        t[0, 0],
        _stepped(scenario, base, years, "retirements"),
        _stepped(scenario, base, years, "retrofits"),
        floors,
    )  # (N, T, C) each (scenarios/indices.py)
    grid = (1 + draws.grid_factor_change[:, None]) ** t[0]  # (N, T)
    # Each unit quantity is its base value times an index: summed over units by one product
    # per index, never kept per unit (energy, coal, bought, own, green, heat CO2 by division).
    members = np.array([[d == k for k in base.division_set] for d in base.divisions], float)
    by_activity = summed_over_classes(
        indexed.activity,
        np.column_stack(
            [
                base.energy_tce,
                base.coal_t,
                base.bought_mwh,
                base.own_generation_mwh,
                base.green_mwh,
                base.heat_co2_t[:, None] * members,
            ]
        ),
    )  # (N, T, 5 + D)
    energy, coal, bought, own, green = np.moveaxis(by_activity[:, :, :5], 2, 0)
    # Fossil generation follows output (a retrofit cuts the fuel per kWh, not the kWh).
    by_output = summed_over_classes(
        indexed.output,
        np.column_stack(
            [base.fossil_supplied_mwh, base.delivered_mwh, base.process_co2_t[:, None] * members]
        ),
    )  # (N, T, 2 + D)
    fossil_supplied, delivered = np.moveaxis(by_output[:, :, :2], 2, 0)
    process = by_output[:, :, 2:].transpose(0, 2, 1)  # (N, D, T)
    combustion = summed_over_classes(
        indexed.combustion, base.combustion_co2_t[:, None] * members
    ).transpose(0, 2, 1)  # (N, D, T)

    # New projects, per division, from commissioning plus each draw's delay.
    for index, item in enumerate(scenario.projects):
        active = (
            years[None, :] >= item.commissioning + draws.project_delay[:, index, None]
        ).astype(float)
        if item.division not in base.divisions:
            continue
        d = base.division_set.index(item.division)
        energy += item.energy_tce * active
        combustion[:, d, :] += item.combustion_co2_t * active
        process[:, d, :] += item.process_co2_t * active
        coal += item.coal_t * active
        bought += item.electricity_mwh * active

    hydrogen_capacity = np.maximum(
        base.green_hydrogen_wt, _ramp(scenario.green_hydrogen, years, draws.hydrogen_delay)
    )
    hydrogen_avoided = (
        hydrogen_capacity
        * draws.hydrogen_achieved[:, None]
        * WAN
        * scenario.hydrogen_co2_avoided_t_per_t
    )
    by_division = combustion + process + by_activity[:, :, 5:].transpose(0, 2, 1)
    if "26" in base.division_set:  # hydrogen replaces coal-derived hydrogen in chemicals
        s = base.division_set.index("26")
        base_avoided = base.green_hydrogen_wt * WAN * scenario.hydrogen_co2_avoided_t_per_t
        by_division[:, s, :] -= np.minimum(
            np.maximum(hydrogen_avoided - base_avoided, 0.0), process[:, s, :]
        )
    captured = np.maximum(
        base.captured_t,
        _ramp(scenario.ccus, years, draws.ccus_delay) * draws.ccus_achieved[:, None],
    )
    added = np.cumsum(
        [sum(a.value for a in scenario.new_energy_additions if a.year == y) for y in years]
    )
    capacity = np.broadcast_to(base.new_energy_wkw + added, (draws.size, years.shape[0]))
    new_generation = (
        (capacity - base.new_energy_wkw) * MWH_PER_WKW_YEAR * draws.load_factor[:, None]
    )
    flows = Flows(
        bought=bought,
        own=own,
        green=green,
        fossil_supplied=fossil_supplied,
        delivered=delivered,
        new_non_fossil=new_generation,
        units_energy=energy,
        grid=grid,
    )
    regional = terms(base.boundary, flows, offsets(base.boundary, base.flows()))
    net = by_division.sum(axis=1) + regional["electricity_co2_t"] - captured
    energy_total = regional["energy_tce"]
    gdp = base.gdp_wan * (1 + draws.gdp_growth[:, None]) ** t[0]
    equivalent = regional["energy_equivalent_tce"]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(equivalent > 0, 100 * regional["non_fossil_tce"] / equivalent, np.nan)
    return Projection(
        years=tuple(int(y) for y in years),
        values={
            "co2_emissions": net / WAN,
            "energy_consumption": energy_total / WAN,
            "coal_consumption": coal / WAN,
            "energy_intensity_gdp": energy_total / gdp,
            "co2_intensity_gdp": net / gdp,
            "new_energy_capacity": np.array(capacity, dtype=float),
            "green_hydrogen_capacity": hydrogen_capacity,
            "co2_utilisation": captured / WAN,
            "non_fossil_share": share,
            "gdp": gdp,
            "net_imported_electricity": regional["net_imported_electricity_mwh"],
        },
        by_division=by_division,
    )


def project_loop(scenario: Scenario, base: BaseYear, draws: Draws) -> dict[str, list[list[float]]]:
    """The same model, one draw, unit and year at a time, in plain Python: the reference for
    the vectorised engine (tests) and its baseline (benchmarks/scenarios.py). Net CO2, energy
    (万t, 万tce) and the non-fossil share (percent)."""
    years = list(range(base.year + 1, scenario.horizon + 1))
    divisions = list(base.divisions)
    offset = offsets(base.boundary, base.flows())
    result: dict[str, list[list[float]]] = {
        "co2_emissions": [],
        "energy_consumption": [],
        "non_fossil_share": [],
    }
    h2_steps = sorted(scenario.green_hydrogen.steps, key=lambda s: s.year)
    ccus_steps = sorted(scenario.ccus.steps, key=lambda s: s.year)
    for n in range(draws.size):
        rows: dict[str, list[float]] = {name: [] for name in result}
        grid_change = float(draws.grid_factor_change[n])
        for year in years:
            t = year - base.year
            grid = (1 + grid_change) ** t
            energy_total = co2_total = process_26 = 0.0
            bought = own = green = supplied = delivered = 0.0
            for s, division in enumerate(divisions):
                assumptions = scenario.sector(division)
                retired = retrofit = 0.0
                for step in sorted(assumptions.retirements, key=lambda x: x.year):
                    if year >= step.year:
                        retired = step.value
                for step in sorted(assumptions.retrofits, key=lambda x: x.year):
                    if year >= step.year:
                        retrofit = step.value
                output = (1 + float(draws.output_growth[n, s])) ** t * (1 - retired)
                intensity = max(
                    base.floor(division, assumptions.intensity_floor, base.unit_names[s]),
                    (1 - float(draws.efficiency_gain[n, s])) ** t * (1 - retrofit),
                )
                activity = output * intensity
                energy = float(base.energy_tce[s]) * activity
                combustion = (
                    float(base.combustion_co2_t[s])
                    * activity
                    * (1 + float(draws.fuel_factor_change[n, s])) ** t
                )
                process = float(base.process_co2_t[s]) * output
                heat = float(base.heat_co2_t[s]) * activity
                bought += float(base.bought_mwh[s]) * activity
                own += float(base.own_generation_mwh[s]) * activity
                green += float(base.green_mwh[s]) * activity
                supplied += float(base.fossil_supplied_mwh[s]) * output
                delivered += float(base.delivered_mwh[s]) * output
                for p, item in enumerate(scenario.projects):
                    if (
                        item.division == division
                        and s == divisions.index(division)  # a project counts once, in its division
                        and year >= item.commissioning + int(draws.project_delay[n, p])
                    ):
                        energy += item.energy_tce
                        combustion += item.combustion_co2_t
                        process += item.process_co2_t
                        bought += item.electricity_mwh
                if division == "26":
                    process_26 += process
                energy_total += energy
                co2_total += combustion + process + heat
            capacity = 0.0
            for step in h2_steps:
                if year >= step.year + int(draws.hydrogen_delay[n]):
                    capacity = step.value
            capacity = max(base.green_hydrogen_wt, capacity)
            if "26" in divisions:
                avoided = (
                    capacity
                    * float(draws.hydrogen_achieved[n])
                    * WAN
                    * (scenario.hydrogen_co2_avoided_t_per_t)
                )
                base_avoided = base.green_hydrogen_wt * WAN * scenario.hydrogen_co2_avoided_t_per_t
                co2_total -= min(max(avoided - base_avoided, 0.0), process_26)
            ramp = 0.0
            for step in ccus_steps:
                if year >= step.year + int(draws.ccus_delay[n]):
                    ramp = step.value
            captured = max(base.captured_t, ramp * float(draws.ccus_achieved[n]))
            added = sum(
                a.value for a in scenario.new_energy_additions if base.year < a.year <= year
            )
            flows = Flows(
                bought=bought,
                own=own,
                green=green,
                fossil_supplied=supplied,
                delivered=delivered,
                new_non_fossil=added * MWH_PER_WKW_YEAR * float(draws.load_factor[n]),
                units_energy=energy_total,
                grid=grid,
            )
            regional = terms_loop(base.boundary, flows, offset)
            equivalent = regional["energy_equivalent_tce"]
            rows["co2_emissions"].append(
                (co2_total + regional["electricity_co2_t"] - captured) / WAN
            )
            rows["energy_consumption"].append(regional["energy_tce"] / WAN)
            rows["non_fossil_share"].append(
                100 * regional["non_fossil_tce"] / equivalent if equivalent > 0 else math.nan
            )
        for name, row in rows.items():
            result[name].append(row)
    return result
