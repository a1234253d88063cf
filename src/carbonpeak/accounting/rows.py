"""What the method rules read from the rows they account: per-item vectors, row selections.

The rows are either single activity rows (lineage, per-row contributions) or rows summed by key
(``aggregate.py``, what the engine accounts): the selections depend only on the key columns, and
on groups of them (an enterprise's month, a facility's month), which keys keep whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from carbonpeak.accounting.boundary import deducts_green
from carbonpeak.accounting.catalogue import Category, FactorSet, FactorValue, Item, items
from carbonpeak.accounting.columns import Purpose, Role

__all__ = ["Rows", "yearly"]


@dataclass(frozen=True)
class _ItemVectors:
    """Per-item factors aligned with the item column's categories."""

    tce: np.ndarray
    ncv: np.ndarray
    carbon_per_gj: np.ndarray
    oxidation: np.ndarray
    carbon_fraction: np.ndarray
    carbonate: np.ndarray
    category: np.ndarray
    fossil: np.ndarray
    energy_product: np.ndarray


def _item_vectors(keys: pd.Index, factors: FactorSet) -> _ItemVectors:
    catalogue = items()
    n = len(keys)
    vectors = {
        name: np.full(n, np.nan)
        for name in ("tce", "ncv", "carbon_per_gj", "oxidation", "carbon_fraction", "carbonate")
    }
    category = np.empty(n, dtype=object)
    fossil = np.zeros(n, dtype=bool)
    energy_product = np.zeros(n, dtype=bool)
    for i, key in enumerate(keys):
        item = catalogue[key]
        category[i] = item.category.value
        fossil[i] = item.fossil
        energy_product[i] = item.category.is_energy_product
        coefficient = factors.tce_per_unit(item)
        if coefficient is not None:
            vectors["tce"][i] = coefficient.value
        defaults = factors.fuel_defaults(item)
        if defaults is not None:
            vectors["ncv"][i] = defaults[0].value
            vectors["carbon_per_gj"][i] = defaults[1].value
            vectors["oxidation"][i] = defaults[2].value
        if item.carbon_fraction:
            vectors["carbon_fraction"][i] = factors.parameter(
                item.carbon_fraction, f"tC/{item.unit}"
            ).value
        elif not item.fossil or item.sector_method:
            vectors["carbon_fraction"][i] = 0.0  # hydrogen, aluminium, clinker carry no carbon
        if item.carbonate:
            vectors["carbonate"][i] = factors.parameter(item.carbonate, "tCO2/t").value
    return _ItemVectors(category=category, fossil=fossil, energy_product=energy_product, **vectors)


def yearly(years: np.ndarray, used: np.ndarray, lookup: Callable[[int], FactorValue]) -> np.ndarray:
    """A per-row array of a year-dependent factor, looked up once per year where ``used`` (so
    that the factor set's record of values used lists only those)."""
    unique = np.unique(years)
    needed = set(np.unique(years[used]).tolist())
    table = np.array([lookup(int(y)).value if int(y) in needed else np.nan for y in unique])
    return table[np.searchsorted(unique, years)]


def _equals(column: pd.Series, value: str) -> np.ndarray:
    """Rows of a categorical column equal to ``value``, by code: no strings per row."""
    code = {str(c): i for i, c in enumerate(column.cat.categories)}.get(value)
    if code is None:
        return np.zeros(len(column), dtype=bool)
    return np.asarray(column.cat.codes.to_numpy() == code)


def _any_in_group(mask: np.ndarray, rows: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """Rows whose group (by ``keys``) has any row in ``mask``."""
    if not mask.any():
        return mask
    return (
        pd.Series(mask, index=rows.index)
        .groupby([rows[k] for k in keys], observed=True)
        .transform("any")
        .to_numpy(dtype=bool)
    )


class Rows:
    """Activity rows (single or summed by key) with what the rules and factors read from them."""

    def __init__(self, frame: pd.DataFrame, factors: FactorSet) -> None:
        self.frame = frame
        self.factors = factors
        self.item_keys = frame["item"].cat.categories
        self.codes = frame["item"].cat.codes.to_numpy()
        self.vectors = _item_vectors(self.item_keys, factors)
        self.quantity = np.nan_to_num(frame["quantity"].to_numpy(dtype=float))
        self.years = frame["year"].to_numpy()
        self.market_based = factors.spec.green_power == "market_based"
        self._columns: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.frame)

    def column(self, name: str) -> np.ndarray:
        """A numeric column, read once (pandas copies the frame's attrs on every read)."""
        if name not in self._columns:
            self._columns[name] = np.asarray(self.frame[name].to_numpy(dtype=float))
        return self._columns[name]

    def per_item(self, vector: np.ndarray) -> np.ndarray:
        return np.asarray(vector[self.codes])

    def item(self, i: int) -> Item:
        return items()[str(self.item_keys[self.codes[i]])]

    def year(self, i: int) -> int:
        return int(self.years[i])

    def measured(self, column: str, i: int) -> bool:
        return not np.isnan(self.column(column)[i])

    @cached_property
    def sign(self) -> np.ndarray:
        """+1 for energy used, −1 for energy supplied outside and energy products, else 0."""
        s = self.selections
        return np.select(
            [s["input"], s["output"], s["product"] & self.per_item(self.vectors.energy_product)],
            [1.0, -1.0, -1.0],
            0.0,
        )

    @cached_property
    def selections(self) -> dict[str, np.ndarray]:
        """Every row selection a rule or factor names (``methods.RULES``)."""
        frame = self.frame
        role, purpose = frame["role"], frame["purpose"]
        category = self.per_item(self.vectors.category)
        fossil = self.per_item(self.vectors.fossil)
        green = frame["green_certificate"].to_numpy(dtype=bool)
        is_input = _equals(role, Role.energy_input)
        is_output = _equals(role, Role.energy_output)
        is_product = _equals(role, Role.product_output)
        electricity = category == Category.electricity
        heat = category == Category.heat
        carrier = electricity | heat
        renewable = electricity & (~fossil | green)
        flows = is_input | is_output
        fuel = is_input & _equals(purpose, Purpose.fuel) & fossil & ~carrier
        aluminium = is_product & _equals(frame["item"], "aluminium")
        clinker = is_product & _equals(frame["item"], "clinker")
        captured = _equals(role, Role.co2_captured)
        by_volume = ~np.isnan(self.column("volume_nm3"))
        supplied = _equals(role, Role.electricity_supplied)
        grid = electricity & flows & ~(renewable & (self.market_based | ~fossil))
        # Where green power counts at zero, the unit's other grid power takes the residual factor.
        green_input = is_input & green & electricity
        residual = grid & deducts_green(frame, green_input) if green_input.any() else green_input
        # Fuel counts toward the supply coal rate only at facilities supplying power that month.
        power = _any_in_group(supplied & fossil, frame, ["enterprise", "facility", "period"])
        selections = {
            "input": is_input,
            "carrier": carrier,
            "output": is_output,
            "product": is_product,
            "feedstock": is_input & _equals(purpose, Purpose.feedstock),
            "fuel": fuel,
            "renewable_input": is_input & renewable,
            "coal_input": is_input & (category == Category.coal),
            "electricity_input": is_input & electricity,
            "green_hydrogen_input": is_input & _equals(frame["item"], "green_hydrogen"),
            "carbon_input": is_input
            & (_equals(purpose, Purpose.feedstock) | _equals(purpose, Purpose.conversion))
            & fossil,
            "carbon_output": (is_product | _equals(role, Role.carbon_output))
            & ~(aluminium | clinker),
            "carbonate": _equals(role, Role.carbonate_input),
            "aluminium": aluminium,
            "clinker": clinker,
            "grid": grid,
            "residual": residual,
            "heat_flow": heat & flows,
            "utilised_mass": captured & _equals(purpose, Purpose.utilised) & ~by_volume,
            "utilised_volume": captured & _equals(purpose, Purpose.utilised) & by_volume,
            "stored_mass": captured & _equals(purpose, Purpose.stored) & ~by_volume,
            "stored_volume": captured & _equals(purpose, Purpose.stored) & by_volume,
            "fossil_supplied": supplied & fossil,
            "renewable_supplied": supplied & ~fossil,
            "power_fuel": fuel & power,
            "reported": _equals(role, Role.reported_energy_total),
        }
        energy_product = is_product & self.per_item(self.vectors.energy_product)
        selections["energy"] = is_input | is_output | energy_product
        selections["energy_electricity"] = selections["energy"] & electricity
        selections["energy_other"] = selections["energy"] & ~electricity
        return selections
