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
    electricity      = M0 · A · I ; indirect CO2 = Ci0 · A · I · (1 + c)^t
    new projects     add their energy, CO2 and electricity from commissioning + delay
    new energy       local generation displaces grid electricity at the year's grid factor
    CCUS             captured CO2 (the ramp's capacity × achieved share, after its delay)
    GDP              = GDP0 · (1 + q)^t

Net CO2 = combustion + process + indirect + projects − hydrogen − displaced − captured.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from carbonpeak.scenarios.model import Discrete, Ramp, Scenario, Uncertain
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
}


@dataclass(frozen=True)
class BaseYear:
    """The accounted base year the projection starts from, per division, and the actual
    history of the projected indicators (both from the store)."""

    year: int
    divisions: tuple[str, ...]  # each unit's GB/T 4754 division (units may share one)
    energy_tce: Array
    combustion_co2_t: Array
    process_co2_t: Array
    indirect_co2_t: Array
    electricity_mwh: Array
    coal_t: Array
    captured_t: float
    non_fossil_tce: float
    energy_equivalent_tce: float
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
            raise KeyError(
                f"division {division}: intensity_floor 'benchmark' needs unit-product energy "
                f"against benchmark levels, and none was accounted in {self.year}; state a share"
            )
        return self.benchmark_floor[division]

    @property
    def grid_rate(self) -> float:
        """tCO2 per MWh of purchased electricity in the base year."""
        total = float(self.electricity_mwh.sum())
        return float(self.indirect_co2_t.sum()) / total if total > 0 else 0.0


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
    by_division: Array  # gross CO2 per division (N, D, T), divisions as BaseYear.division_set


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
    (or divisions), summed to divisions and to the base."""
    years = np.arange(base.year + 1, scenario.horizon + 1, dtype=np.int64)
    t = (years - base.year).astype(float)[None, None, :]  # (1, 1, T)
    floors = np.array(
        [
            base.floor(d, scenario.sector(d).intensity_floor, unit)
            for d, unit in zip(base.divisions, base.unit_names, strict=True)
        ]
    )
    output = (1 + draws.output_growth[:, :, None]) ** t * (
        1 - _stepped(scenario, base, years, "retirements")
    )
    intensity = np.maximum(
        floors[None, :, None],
        (1 - draws.efficiency_gain[:, :, None]) ** t
        * (1 - _stepped(scenario, base, years, "retrofits")),
    )
    activity = output * intensity  # energy index
    grid = (1 + draws.grid_factor_change[:, None]) ** t[0]  # (N, T)
    energy = base.energy_tce[None, :, None] * activity
    combustion = (
        base.combustion_co2_t[None, :, None]
        * activity
        * (1 + draws.fuel_factor_change[:, :, None]) ** t
    )
    process = base.process_co2_t[None, :, None] * output
    electricity = base.electricity_mwh[None, :, None] * activity
    indirect = base.indirect_co2_t[None, :, None] * activity * grid[:, None, :]
    coal = base.coal_t[None, :, None] * activity

    # New projects, per division, from commissioning plus each draw's delay.
    for index, item in enumerate(scenario.projects):
        active = (
            years[None, :] >= item.commissioning + draws.project_delay[:, index, None]
        ).astype(float)
        if item.division not in base.divisions:
            continue
        s = base.divisions.index(item.division)
        energy[:, s, :] += item.energy_tce * active
        combustion[:, s, :] += item.combustion_co2_t * active
        process[:, s, :] += item.process_co2_t * active
        electricity[:, s, :] += item.electricity_mwh * active
        indirect[:, s, :] += item.electricity_mwh * base.grid_rate * grid * active
        coal[:, s, :] += item.coal_t * active

    hydrogen_capacity = np.maximum(
        base.green_hydrogen_wt, _ramp(scenario.green_hydrogen, years, draws.hydrogen_delay)
    )
    hydrogen_avoided = (
        hydrogen_capacity
        * draws.hydrogen_achieved[:, None]
        * WAN
        * scenario.hydrogen_co2_avoided_t_per_t
    )
    members = np.array([[d == k for k in base.division_set] for d in base.divisions], float)
    by_division = np.einsum("nut,ud->ndt", combustion + process + indirect, members)
    if "26" in base.division_set:  # hydrogen replaces coal-derived hydrogen in chemicals
        s = base.division_set.index("26")
        base_avoided = base.green_hydrogen_wt * WAN * scenario.hydrogen_co2_avoided_t_per_t
        chemicals = np.einsum("nut,u->nt", process, members[:, s])
        by_division[:, s, :] -= np.minimum(
            np.maximum(hydrogen_avoided - base_avoided, 0.0), chemicals
        )
    captured = np.maximum(
        base.captured_t,
        _ramp(scenario.ccus, years, draws.ccus_delay) * draws.ccus_achieved[:, None],
    )
    added = np.cumsum(
        [sum(a.value for a in scenario.new_energy_additions if a.year == y) for y in years]
    )
    capacity = np.broadcast_to(base.new_energy_wkw + added, (draws.size, years.shape[0]))
    local_mwh = (
        (capacity - base.new_energy_wkw)
        * MWH_PER_WKW_YEAR
        * draws.load_factor[:, None]
        * scenario.new_energy_local_share
    )
    total_electricity = electricity.sum(axis=1)
    displaced = np.minimum(local_mwh, total_electricity) * base.grid_rate * grid
    gross = by_division.sum(axis=1)
    net = gross - displaced - captured
    energy_total = energy.sum(axis=1)
    gdp = base.gdp_wan * (1 + draws.gdp_growth[:, None]) ** t[0]
    non_fossil = base.non_fossil_tce + np.minimum(local_mwh, total_electricity) * (
        scenario.equivalent_tce_per_mwh
    )
    base_energy = float(base.energy_tce.sum())
    equivalent = (
        base.energy_equivalent_tce * energy_total / base_energy + non_fossil - base.non_fossil_tce
        if base_energy > 0
        else np.zeros_like(energy_total)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(equivalent > 0, 100 * non_fossil / equivalent, np.nan)
    return Projection(
        years=tuple(int(y) for y in years),
        values={
            "co2_emissions": net / WAN,
            "energy_consumption": energy_total / WAN,
            "coal_consumption": coal.sum(axis=1) / WAN,
            "energy_intensity_gdp": energy_total / gdp,
            "co2_intensity_gdp": net / gdp,
            "new_energy_capacity": np.array(capacity, dtype=float),
            "green_hydrogen_capacity": hydrogen_capacity,
            "co2_utilisation": captured / WAN,
            "non_fossil_share": share,
            "gdp": gdp,
        },
        by_division=by_division,
    )


def project_loop(scenario: Scenario, base: BaseYear, draws: Draws) -> dict[str, list[list[float]]]:
    """The same model, one draw, division and year at a time, in plain Python: the reference
    for the vectorised engine (tests) and its baseline (benchmarks/scenarios.py). Net CO2 and
    energy only, in 万t and 万tce."""
    years = list(range(base.year + 1, scenario.horizon + 1))
    divisions = list(base.divisions)
    rate = base.grid_rate
    co2_rows: list[list[float]] = []
    energy_rows: list[list[float]] = []
    h2_steps = sorted(scenario.green_hydrogen.steps, key=lambda s: s.year)
    ccus_steps = sorted(scenario.ccus.steps, key=lambda s: s.year)
    for n in range(draws.size):
        co2_row: list[float] = []
        energy_row: list[float] = []
        grid_change = float(draws.grid_factor_change[n])
        for year in years:
            t = year - base.year
            grid = (1 + grid_change) ** t
            energy_total = co2_total = electricity_total = 0.0
            process_26 = 0.0
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
                electricity = float(base.electricity_mwh[s]) * activity
                indirect = float(base.indirect_co2_t[s]) * activity * grid
                for p, item in enumerate(scenario.projects):
                    if (
                        item.division == division
                        and s == divisions.index(division)  # a project counts once, in its division
                        and year >= item.commissioning + int(draws.project_delay[n, p])
                    ):
                        energy += item.energy_tce
                        combustion += item.combustion_co2_t
                        process += item.process_co2_t
                        electricity += item.electricity_mwh
                        indirect += item.electricity_mwh * rate * grid
                if division == "26":
                    process_26 += process
                energy_total += energy
                co2_total += combustion + process + indirect
                electricity_total += electricity
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
            local = (
                added
                * MWH_PER_WKW_YEAR
                * float(draws.load_factor[n])
                * scenario.new_energy_local_share
            )
            displaced = min(local, electricity_total) * rate * grid
            co2_row.append((co2_total - displaced - captured) / WAN)
            energy_row.append(energy_total / WAN)
        co2_rows.append(co2_row)
        energy_rows.append(energy_row)
    return {"co2_emissions": co2_rows, "energy_consumption": energy_rows}
