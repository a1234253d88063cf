"""Items and factor sets: which reference values an account uses, resolved to concrete numbers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field

from carbonpeak.factors import (
    CarrierCoefficient,
    EfficiencyLevel,
    ElectricityFactor,
    FuelParameters,
    HeatFactor,
    Parameter,
    ReferenceDataset,
    Status,
    load_all,
    load_dataset,
)
from carbonpeak.units import to_magnitude

__all__ = [
    "ENERGY_CARRIERS",
    "Category",
    "FactorSet",
    "FactorSetSpec",
    "FactorValue",
    "Item",
    "factor_set",
    "factor_set_ids",
    "items",
]


class Category(StrEnum):
    coal = "coal"
    coal_product = "coal_product"
    oil = "oil"
    gas = "gas"
    electricity = "electricity"
    heat = "heat"
    hydrogen = "hydrogen"
    product = "product"
    carbonate = "carbonate"
    co2 = "co2"
    other = "other"

    @property
    def is_energy_product(self) -> bool:
        """Energy carriers whose output leaves the boundary and is deducted (GB/T 2589)."""
        return self in ENERGY_CARRIERS


# Categories GB/T 2589 counts as energy; hydrogen is added where it is consumed or supplied.
ENERGY_CARRIERS = frozenset(
    {
        Category.coal,
        Category.coal_product,
        Category.oil,
        Category.gas,
        Category.electricity,
        Category.heat,
    }
)


class Item(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=r"^[a-z0-9_]+$")
    name_zh: str
    name_en: str
    category: Category
    unit: str
    fossil: bool = True
    coal_equivalent: str | None = None
    fuel_parameters: str | None = None
    carbon_fraction: str | None = None
    carbonate: str | None = None
    sector_method: Literal["aluminium", "clinker"] | None = None
    efficiency_levels: tuple[str, ...] = ()
    note: str | None = None


class ElectricityChoice(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    dataset: str
    region: str
    factor_type: str


class FactorSetSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name_zh: str
    name_en: str
    electricity: ElectricityChoice
    green_power: Literal["market_based", "location_based"]
    # Grid factor once green power is deducted at zero (market_based sets only).
    residual: ElectricityChoice | None = None
    coal_equivalent: str
    fuel_parameters: str
    heat: str
    process_parameters: str
    equivalent_rate: str
    grid_non_fossil: str
    efficiency_levels: tuple[str, ...]


def _accounting_file(name: str) -> dict[str, object]:
    text = resources.files("carbonpeak").joinpath("data", "accounting", name).read_text("utf-8")
    loaded = yaml.safe_load(text)
    assert isinstance(loaded, dict)
    return loaded


@cache
def items() -> dict[str, Item]:
    """The item catalogue by key."""
    raw = _accounting_file("items.yaml")["items"]
    assert isinstance(raw, list)
    return {entry["key"]: Item.model_validate(entry) for entry in raw}


@cache
def _factor_set_specs() -> dict[str, FactorSetSpec]:
    document = _accounting_file("factor_sets.yaml")
    defaults = document["defaults"]
    sets = document["factor_sets"]
    assert isinstance(defaults, dict)
    assert isinstance(sets, list)
    return {s["id"]: FactorSetSpec.model_validate({**defaults, **s}) for s in sets}


def factor_set_ids() -> list[str]:
    return list(_factor_set_specs())


_Record = TypeVar("_Record")


def _in_force(records: Iterable[_Record], year: int, year_of: Callable[[_Record], int]) -> _Record:
    """The record of the latest year not after ``year``; the earliest where every one is later."""
    ordered = sorted(records, key=year_of)
    chosen = ordered[0]
    for record in ordered:
        if year_of(record) <= year:
            chosen = record
    return chosen


@dataclass(frozen=True)
class FactorValue:
    """One reference value an account used: where it came from and how sure it is."""

    source: str  # "dataset@edition:record"
    value: float
    unit: str
    status: Status


def _split(version: str) -> tuple[str, str]:
    dataset_id, _, edition = version.partition("@")
    return dataset_id, edition


@dataclass
class FactorSet:
    """A factor set resolved to values per item and per year, with the source of each value."""

    spec: FactorSetSpec
    coal_equivalent: ReferenceDataset
    fuel_parameters: ReferenceDataset
    heat: ReferenceDataset
    process_parameters: ReferenceDataset
    equivalent_rates: ReferenceDataset
    efficiency_levels: tuple[ReferenceDataset, ...]
    electricity: tuple[ReferenceDataset, ...]
    grid_non_fossil: ReferenceDataset
    used: dict[str, FactorValue] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.spec.id

    def datasets(self) -> list[str]:
        """Versions of every dataset this set draws on."""
        return [
            d.version
            for d in (
                self.coal_equivalent,
                self.fuel_parameters,
                self.heat,
                self.process_parameters,
                self.equivalent_rates,
                self.grid_non_fossil,
                *self.efficiency_levels,
                *self.electricity,
            )
        ]

    def _record(self, value: FactorValue) -> FactorValue:
        self.used[value.source] = value
        return value

    def tce_per_unit(self, item: Item) -> FactorValue | None:
        """GB/T 2589 coefficient in tce per the item's unit, or None (measured NCV needed)."""
        if item.coal_equivalent is None:
            return None
        try:
            record = self.coal_equivalent.record(item.coal_equivalent)
        except KeyError:
            return None
        assert isinstance(record, CarrierCoefficient)
        if record.coefficient is None:  # a range: quality varies too much for a default
            return None
        value = to_magnitude(record.coefficient.value, record.coefficient.unit, f"tce/{item.unit}")
        return self._record(
            FactorValue(
                f"{self.coal_equivalent.version}:{record.key}",
                value,
                f"tce/{item.unit}",
                record.status,
            )
        )

    def fuel_defaults(self, item: Item) -> tuple[FactorValue, FactorValue, FactorValue] | None:
        """(NCV in GJ per unit, carbon content in tC/GJ, oxidation rate) defaults, if any."""
        if item.fuel_parameters is None:
            return None
        record = self.fuel_parameters.record(item.fuel_parameters)
        assert isinstance(record, FuelParameters)
        source = f"{self.fuel_parameters.version}:{record.key}"
        ncv = to_magnitude(
            record.net_calorific_value.value, record.net_calorific_value.unit, f"GJ/{item.unit}"
        )
        content = to_magnitude(record.carbon_content.value, record.carbon_content.unit, "tC/GJ")
        return (
            self._record(FactorValue(f"{source}.ncv", ncv, f"GJ/{item.unit}", record.status)),
            self._record(FactorValue(f"{source}.carbon_content", content, "tC/GJ", record.status)),
            self._record(
                FactorValue(f"{source}.oxidation_rate", record.oxidation_rate, "1", record.status)
            ),
        )

    def parameter(self, key: str, unit: str) -> FactorValue:
        record = self.process_parameters.record(key)
        assert isinstance(record, Parameter)
        value = to_magnitude(record.value.value, record.value.unit, unit)
        return self._record(
            FactorValue(f"{self.process_parameters.version}:{key}", value, unit, record.status)
        )

    def heat_factor(self) -> FactorValue:
        record = self.heat.records[0]
        assert isinstance(record, HeatFactor)
        value = to_magnitude(record.factor.value, record.factor.unit, "tCO2/GJ")
        return self._record(
            FactorValue(f"{self.heat.version}:{record.key}", value, "tCO2/GJ", record.status)
        )

    def electricity_factor(self, year: int) -> FactorValue:
        """Grid factor for ``year``: that year's, else the latest earlier one, else the earliest."""
        return self._grid_factor(self.spec.electricity, year)

    def residual_factor(self, year: int) -> FactorValue | None:
        """Grid factor for electricity left once green power is deducted at zero: the factor
        excluding market-traded non-fossil power; None where the set deducts no green power."""
        if self.spec.green_power != "market_based" or self.spec.residual is None:
            return None
        return self._grid_factor(self.spec.residual, year)

    def _grid_factor(self, choice: ElectricityChoice, year: int) -> FactorValue:
        candidates: list[tuple[int, ReferenceDataset, ElectricityFactor]] = []
        for dataset in _electricity_editions(choice.dataset):
            for record in dataset.records:
                if (
                    isinstance(record, ElectricityFactor)
                    and record.region == choice.region
                    and record.factor_type == choice.factor_type
                ):
                    candidates.append((record.valid_from.year, dataset, record))
        if not candidates:
            raise KeyError(f"factor set {self.id}: no {choice.region}/{choice.factor_type} factor")
        _, dataset, record = _in_force(candidates, year, lambda c: c[0])
        value = to_magnitude(record.factor.value, record.factor.unit, "tCO2/MWh")
        return self._record(
            FactorValue(f"{dataset.version}:{record.key}", value, "tCO2/MWh", record.status)
        )

    def grid_non_fossil_share(self, year: int) -> FactorValue:
        """Non-fossil fraction of the set's grid electricity in ``year`` (the latest earlier
        year, else the earliest); the national value where the set's region has none."""
        region = self.spec.electricity.region
        records = [r for r in self.grid_non_fossil.records if isinstance(r, Parameter)]
        regional = [r for r in records if r.key.startswith(f"{region}_")]
        chosen_from = regional or [r for r in records if r.key.startswith("national_")]
        chosen = _in_force(chosen_from, year, lambda r: r.data_year or 0)
        value = to_magnitude(chosen.value.value, chosen.value.unit, "1")
        return self._record(
            FactorValue(f"{self.grid_non_fossil.version}:{chosen.key}", value, "1", chosen.status)
        )

    def equivalent_rate(self, year: int) -> FactorValue:
        """The year's supply coal rate (电力等价值) in tce/MWh; the nearest year if absent."""
        records = [r for r in self.equivalent_rates.records if isinstance(r, Parameter)]
        chosen = _in_force(records, year, lambda r: r.data_year or 0)
        value = to_magnitude(chosen.value.value, chosen.value.unit, "tce/MWh")
        return self._record(
            FactorValue(
                f"{self.equivalent_rates.version}:{chosen.key}", value, "tce/MWh", chosen.status
            )
        )

    def efficiency_level(self, reference: str) -> tuple[str, EfficiencyLevel] | None:
        """``dataset_id:record`` resolved in the set's edition of that dataset."""
        dataset_id, _, key = reference.partition(":")
        for dataset in self.efficiency_levels:
            if dataset.id == dataset_id:
                record = dataset.record(key)
                assert isinstance(record, EfficiencyLevel)
                return dataset.version, record
        return None


@cache
def _electricity_editions(dataset_id: str) -> tuple[ReferenceDataset, ...]:
    return tuple(d for d in load_all() if d.id == dataset_id)


def factor_set(set_id: str) -> FactorSet:
    """Resolve a named factor set (``factor_set_ids()``) to its datasets."""
    specs = _factor_set_specs()
    if set_id not in specs:
        raise KeyError(f"unknown factor set {set_id!r}; known: {', '.join(specs)}")
    spec = specs[set_id]
    return FactorSet(
        spec=spec,
        coal_equivalent=load_dataset(*_split(spec.coal_equivalent)),
        fuel_parameters=load_dataset(*_split(spec.fuel_parameters)),
        heat=load_dataset(*_split(spec.heat)),
        process_parameters=load_dataset(*_split(spec.process_parameters)),
        equivalent_rates=load_dataset(*_split(spec.equivalent_rate)),
        efficiency_levels=tuple(load_dataset(*_split(v)) for v in spec.efficiency_levels),
        electricity=_electricity_editions(spec.electricity.dataset),
        grid_non_fossil=load_dataset(*_split(spec.grid_non_fossil)),
    )
