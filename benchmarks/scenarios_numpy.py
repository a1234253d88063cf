"""The projection model of carbonpeak.scenarios.engine written directly in numpy, as one would by
hand: draws on the division axis (units of a division with one floor summed first), no
dataclasses in between, the regional terms from carbonpeak.scenarios.regional (numpy already).
The same outputs as the engine's ``project``: its eleven indicators, each (draws, years), and
the direct and heat CO2 per division (draws, divisions, years), so the two do the same work."""

from __future__ import annotations

from typing import Any

import numpy as np

from carbonpeak.scenarios.regional import Flows, offsets, terms
from carbonpeak.units import WAN

MWH_PER_WKW_YEAR = 1e4 * 8760 / 1000


def _step(steps: Any, years: np.ndarray) -> np.ndarray:
    share = np.zeros(years.shape[0])
    for step in sorted(steps, key=lambda s: s.year):
        share = np.where(years >= step.year, step.value, share)
    return share


def _ramp(ramp: Any, years: np.ndarray, delay: np.ndarray) -> np.ndarray:
    capacity = np.zeros((delay.shape[0], years.shape[0]))
    for step in sorted(ramp.steps, key=lambda s: s.year):
        capacity = np.where(years[None, :] >= step.year + delay[:, None], step.value, capacity)
    return capacity


def project_numpy(scenario: Any, base: Any, draws: Any) -> dict[str, np.ndarray]:
    years = np.arange(base.year + 1, scenario.horizon + 1)
    t = (years - base.year).astype(float)
    floors = [
        base.floor(d, scenario.sector(d).intensity_floor, u)
        for d, u in zip(base.divisions, base.unit_names, strict=True)
    ]
    keys = list(zip(base.divisions, floors, strict=True))
    first: dict[Any, int] = {}
    for index, key in enumerate(keys):
        first.setdefault(key, index)
    rep = np.array(list(first.values()))
    member = np.array([list(first).index(k) for k in keys])
    classes = len(rep)

    def summed(values: np.ndarray) -> np.ndarray:
        return np.bincount(member, weights=values, minlength=classes)

    divisions = [base.divisions[i] for i in rep]
    retired = np.stack([_step(scenario.sector(d).retirements, years) for d in divisions])
    retrofit = np.stack([_step(scenario.sector(d).retrofits, years) for d in divisions])
    floor = np.array([f for _, f in first])
    output = (1 + draws.output_growth[:, rep, None]) ** t * (1 - retired)
    intensity = np.maximum(
        floor[None, :, None], (1 - draws.efficiency_gain[:, rep, None]) ** t * (1 - retrofit)
    )
    activity = output * intensity
    combustion_index = activity * (1 + draws.fuel_factor_change[:, rep, None]) ** t
    division_set = sorted(set(divisions))
    in_division = np.array([[d == k for k in division_set] for d in divisions], dtype=float)
    energy = np.einsum("nct,c->nt", activity, summed(base.energy_tce))
    coal = np.einsum("nct,c->nt", activity, summed(base.coal_t))
    by_division = np.einsum(
        "nct,cd->ndt", combustion_index, summed(base.combustion_co2_t)[:, None] * in_division
    ) + np.einsum("nct,cd->ndt", activity, summed(base.heat_co2_t)[:, None] * in_division)
    process_by_class = output * summed(base.process_co2_t)[None, :, None]
    bought = np.einsum("nct,c->nt", activity, summed(base.bought_mwh))
    own = np.einsum("nct,c->nt", activity, summed(base.own_generation_mwh))
    green = np.einsum("nct,c->nt", activity, summed(base.green_mwh))
    supplied = np.einsum("nct,c->nt", output, summed(base.fossil_supplied_mwh))
    delivered = np.einsum("nct,c->nt", output, summed(base.delivered_mwh))
    for index, item in enumerate(scenario.projects):
        if item.division not in divisions:
            continue
        active = (years >= item.commissioning + draws.project_delay[:, index, None]).astype(float)
        energy = energy + item.energy_tce * active
        coal = coal + item.coal_t * active
        by_division[:, division_set.index(item.division), :] += item.combustion_co2_t * active
        process_by_class[:, divisions.index(item.division), :] += item.process_co2_t * active
        bought = bought + item.electricity_mwh * active
    by_division += np.einsum("nct,cd->ndt", process_by_class, in_division)
    avoided_t = WAN * scenario.hydrogen_co2_avoided_t_per_t
    hydrogen = np.maximum(
        base.green_hydrogen_wt, _ramp(scenario.green_hydrogen, years, draws.hydrogen_delay)
    )
    if "26" in divisions:
        chemicals = process_by_class[:, [d == "26" for d in divisions], :].sum(axis=1)
        avoided = hydrogen * draws.hydrogen_achieved[:, None] * avoided_t
        by_division[:, division_set.index("26"), :] -= np.minimum(
            np.maximum(avoided - base.green_hydrogen_wt * avoided_t, 0), chemicals
        )
    captured = np.maximum(
        base.captured_t,
        _ramp(scenario.ccus, years, draws.ccus_delay) * draws.ccus_achieved[:, None],
    )
    added = np.cumsum(
        [sum(a.value for a in scenario.new_energy_additions if a.year == y) for y in years]
    )
    capacity = base.new_energy_wkw + added
    flows = Flows(
        bought=bought,
        own=own,
        green=green,
        fossil_supplied=supplied,
        delivered=delivered,
        new_non_fossil=added * MWH_PER_WKW_YEAR * draws.load_factor[:, None],
        units_energy=energy,
        grid=(1 + draws.grid_factor_change[:, None]) ** t,
    )
    regional = terms(base.boundary, flows, offsets(base.boundary, base.flows()))
    equivalent = regional["energy_equivalent_tce"]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(equivalent > 0, 100 * regional["non_fossil_tce"] / equivalent, np.nan)
    net = by_division.sum(axis=1) + regional["electricity_co2_t"] - captured
    gdp = base.gdp_wan * (1 + draws.gdp_growth[:, None]) ** t
    return {
        "co2_emissions": net / WAN,
        "energy_consumption": regional["energy_tce"] / WAN,
        "coal_consumption": coal / WAN,
        "energy_intensity_gdp": regional["energy_tce"] / gdp,
        "co2_intensity_gdp": net / gdp,
        "new_energy_capacity": np.broadcast_to(capacity, gdp.shape).astype(float),
        "green_hydrogen_capacity": hydrogen,
        "co2_utilisation": captured / WAN,
        "non_fossil_share": share,
        "gdp": gdp,
        "net_imported_electricity": regional["net_imported_electricity_mwh"],
        "by_division": by_division,
    }
