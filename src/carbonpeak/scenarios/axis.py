"""The projection on the division axis: draws are per division (shared by its units), so units
of one division with the same intensity floor follow the same indices, and every quantity the
engine multiplies by an index is linear in the unit's base. Such units are summed into one
class first: the arrays are (draws, classes, years) instead of (draws, units, years), and the
results are the per-unit results up to the order of additions."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from carbonpeak.scenarios.engine import BaseYear, Draws
    from carbonpeak.scenarios.model import Scenario

__all__ = ["on_division_axis"]

_PER_UNIT = (
    "energy_tce",
    "combustion_co2_t",
    "process_co2_t",
    "heat_co2_t",
    "bought_mwh",
    "own_generation_mwh",
    "green_mwh",
    "fossil_supplied_mwh",
    "delivered_mwh",
    "coal_t",
)
_DRAWN = ("output_growth", "efficiency_gain", "fuel_factor_change")


def on_division_axis(scenario: Scenario, base: BaseYear, draws: Draws) -> tuple[BaseYear, Draws]:
    """The base and draws with units of one (division, floor) summed into one class, named by
    its first unit (classes in the order of their first unit, so a division's first class holds
    its first unit, where the engine puts a new project). Unchanged when the draws differ
    between units of a class (draws made by hand, not by :func:`sample`)."""
    names = base.unit_names
    keys = [
        (division, base.floor(division, scenario.sector(division).intensity_floor, unit))
        for division, unit in zip(base.divisions, names, strict=True)
    ]
    first: dict[tuple[str, float], int] = {}
    for index, key in enumerate(keys):
        first.setdefault(key, index)
    if len(first) == len(keys):
        return base, draws
    representative = np.array(list(first.values()), dtype=np.int64)
    membership = np.array([list(first).index(key) for key in keys], dtype=np.int64)
    for name in _DRAWN:
        drawn = getattr(draws, name)
        if not np.array_equal(drawn, drawn[:, representative][:, membership]):
            return base, draws
    summed: dict[str, Any] = {
        name: np.bincount(membership, weights=getattr(base, name), minlength=len(first))
        for name in _PER_UNIT
    }
    classes = tuple(names[i] for i in representative)
    reduced_base = replace(
        base,
        divisions=tuple(base.divisions[i] for i in representative),
        units=classes if base.units else (),
        **summed,
    )
    drawn_by_class: dict[str, Any] = {
        name: getattr(draws, name)[:, representative] for name in _DRAWN
    }
    reduced_draws = replace(draws, **drawn_by_class)
    return reduced_base, reduced_draws
