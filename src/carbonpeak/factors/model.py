"""Reference-data records: coefficients, emission factors and efficiency levels as versioned data.

A dataset is one file: one edition of one source. Each record carries its own source, validity
period and verification status, inherited from the dataset where the file states them once.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from carbonpeak.units import UnitError, parse_unit

__all__ = [
    "CarrierCoefficient",
    "DatasetKind",
    "EfficiencyLevel",
    "ElectricityFactor",
    "FuelParameters",
    "HeatFactor",
    "IndustryClass",
    "Measured",
    "Parameter",
    "ReferenceDataset",
    "ReferenceRecord",
    "Status",
]


class Status(StrEnum):
    """How far a value has been checked (the tags [V], [S], [U] of docs/sources.md)."""

    verified = "verified"  # seen verbatim in a retrieved copy of the source
    secondary = "secondary"  # seen in public code or an aggregator, cross-checked where possible
    unverified = "unverified"  # from memory; confirm against the official document before use
    computed = "computed"  # derived by calculation from stated principles (stoichiometry)


class DatasetKind(StrEnum):
    coal_equivalent = "coal_equivalent"
    fuel_parameters = "fuel_parameters"
    electricity_factors = "electricity_factors"
    heat_factors = "heat_factors"
    efficiency_levels = "efficiency_levels"
    parameters = "parameters"
    industry_classification = "industry_classification"


def _known_unit(unit: str) -> str:
    try:
        parse_unit(unit)
    except UnitError as exc:
        raise ValueError(str(exc)) from exc
    return unit


# A unit string the registry parses; checked when a record loads.
UnitText = Annotated[str, AfterValidator(_known_unit)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Measured(_Frozen):
    """A number with its unit, checked against the registry."""

    value: float
    unit: UnitText


class ReferenceRecord(_Frozen):
    """Fields every record has once its dataset's defaults are applied."""

    key: str = Field(pattern=r"^[a-z0-9_]+$")
    name_zh: str | None = None
    name_en: str | None = None
    status: Status
    source: str = Field(min_length=1)
    valid_from: date
    valid_to: date | None = None  # None: in force until a new edition replaces it
    note: str | None = None

    @model_validator(mode="after")
    def _validity_ordered(self) -> ReferenceRecord:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} precedes valid_from {self.valid_from}")
        return self

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class CarrierCoefficient(ReferenceRecord):
    """GB/T 2589 standard-coal conversion coefficient of one energy carrier or working medium."""

    kind: Literal["coal_equivalent"] = "coal_equivalent"
    coefficient: Measured | None = None
    # Carriers whose quality varies (coke-oven gas, coal slime) have a range, not a default.
    coefficient_range: tuple[float, float] | None = None
    coefficient_unit: str | None = None
    net_calorific_value: Measured | None = None
    annex: Literal["A", "B"] = "A"
    basis: Literal["calorific", "equivalent"] = "calorific"

    @model_validator(mode="after")
    def _one_coefficient(self) -> CarrierCoefficient:
        if (self.coefficient is None) == (self.coefficient_range is None):
            raise ValueError("give exactly one of coefficient and coefficient_range")
        if self.coefficient_range is not None and self.coefficient_unit is None:
            raise ValueError("coefficient_range needs coefficient_unit")
        return self


class FuelParameters(ReferenceRecord):
    """Default net calorific value, carbon content per unit heat and oxidation rate of a fuel."""

    kind: Literal["fuel_parameters"] = "fuel_parameters"
    net_calorific_value: Measured
    carbon_content: Measured
    oxidation_rate: float = Field(gt=0, le=1)


class ElectricityFactor(ReferenceRecord):
    """CO2 emission factor of grid electricity for one region, data year and factor type."""

    kind: Literal["electricity_factors"] = "electricity_factors"
    region: Literal[
        "national",
        "north",
        "northeast",
        "east",
        "central",
        "northwest",
        "south",
        "southwest",
        "ningxia",
        "national_ets",
    ]
    factor_type: Literal["average", "excluding_market_non_fossil", "fossil_only", "ets"]
    data_year: int | None = None
    factor: Measured


class HeatFactor(ReferenceRecord):
    """CO2 emission factor of purchased heat."""

    kind: Literal["heat_factors"] = "heat_factors"
    factor: Measured


class EfficiencyLevel(ReferenceRecord):
    """Energy-efficiency levels of one product: benchmark/baseline, or limit-standard grades."""

    kind: Literal["efficiency_levels"] = "efficiency_levels"
    product: str
    unit: UnitText
    benchmark_level: float | None = None
    baseline_level: float | None = None
    limit_level_1: float | None = None
    limit_level_2: float | None = None
    limit_level_3: float | None = None
    standard: str | None = None
    # What the unit value counts: all energy (the default, as the limit standards do), or energy
    # without feedstock, for levels set on a raw-material-excluded basis (syngas-to-EG).
    basis: Literal["gross", "feedstock_excluded"] = "gross"

    @model_validator(mode="after")
    def _has_a_level(self) -> EfficiencyLevel:
        levels = (
            self.benchmark_level,
            self.baseline_level,
            self.limit_level_1,
            self.limit_level_2,
            self.limit_level_3,
        )
        if all(level is None for level in levels):
            raise ValueError("an efficiency record needs at least one level")
        return self


class Parameter(ReferenceRecord):
    """One method parameter: a stoichiometric factor, a sector default, a yearly rate."""

    kind: Literal["parameters"] = "parameters"
    value: Measured
    data_year: int | None = None


class IndustryClass(ReferenceRecord):
    """A division or class of the national industry classification (GB/T 4754)."""

    kind: Literal["industry_classification"] = "industry_classification"
    code: str = Field(pattern=r"^\d{2}(\d{2})?$")
    level: Literal["division", "class"]

    @property
    def division(self) -> str:
        return self.code[:2]


AnyRecord = Annotated[
    CarrierCoefficient
    | FuelParameters
    | ElectricityFactor
    | HeatFactor
    | EfficiencyLevel
    | Parameter
    | IndustryClass,
    Field(discriminator="kind"),
]


class ReferenceDataset(_Frozen):
    """One edition of one reference source, with its records."""

    kind: DatasetKind
    id: str = Field(pattern=r"^[a-z0-9_.-]+$")
    edition: str
    title_zh: str | None = None
    title_en: str
    publisher: str
    document: str
    valid_from: date
    valid_to: date | None = None
    status: Status
    source: str
    note: str | None = None
    sha256: str
    records: tuple[AnyRecord, ...]

    @property
    def version(self) -> str:
        """``id@edition``, recorded beside every result that used this dataset."""
        return f"{self.id}@{self.edition}"

    def record(self, key: str) -> AnyRecord:
        for record in self.records:
            if record.key == key:
                return record
        raise KeyError(f"{self.version} has no record {key!r}")
