"""Scenarios as data: a YAML file per scenario, a child naming its parent and stating only what
differs; validated after merging; compared by the dotted paths of their assumptions."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from carbonpeak.datafile import DataFileError, Problem

__all__ = [
    "FORMAT",
    "Discrete",
    "Project",
    "Ramp",
    "Scenario",
    "SectorAssumptions",
    "Step",
    "Uncertain",
    "assumption_diff",
    "load_scenario",
    "scenario_ids",
]

FORMAT = "carbonpeak-scenario/1"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Uncertain(_Strict):
    """A normal distribution, clipped to [low, high]; sd 0 is a certain value."""

    mean: float
    sd: float = Field(default=0.0, ge=0)
    low: float | None = None
    high: float | None = None


class Discrete(_Strict):
    """Whole years of delay with their weights, e.g. values [0, 1, 2], weights [6, 3, 1]."""

    values: tuple[int, ...] = (0,)
    weights: tuple[float, ...] = (1.0,)

    @model_validator(mode="after")
    def _same_length(self) -> Discrete:
        if len(self.values) != len(self.weights) or not self.values:
            raise ValueError("values and weights: expected lists of the same, non-zero length")
        if any(w < 0 for w in self.weights) or sum(self.weights) <= 0:
            raise ValueError("weights: expected non-negative numbers with a positive sum")
        return self

    @property
    def central(self) -> int:
        """The most likely value (the first of equals): the deterministic path uses it."""
        return self.values[max(range(len(self.values)), key=lambda i: self.weights[i])]


class Step(_Strict):
    year: int
    value: float


class Ramp(_Strict):
    """A capacity that grows in steps (cumulative values from a year on), of which a share is
    achieved, after a delay."""

    steps: tuple[Step, ...] = ()
    achieved: Uncertain = Uncertain(mean=1.0, low=0.0, high=1.0)
    delay_years: Discrete = Discrete()


class SectorAssumptions(_Strict):
    """One GB/T 4754 division: output growth, energy-intensity improvement toward a floor, and
    the change of combustion CO2 per tce (fuel switching)."""

    output_growth: Uncertain = Uncertain(mean=0.0)
    efficiency_gain: Uncertain = Uncertain(mean=0.0)  # yearly fall of energy per unit output
    # The lowest energy intensity reachable, as a share of the base year's; "benchmark" takes the
    # accounted gap to the benchmark levels (标杆水平) of the division's products.
    intensity_floor: Annotated[float, Field(ge=0, le=1)] | Literal["benchmark"] = 0.0
    fuel_factor_change: Uncertain = Uncertain(mean=0.0)  # yearly change of tCO2 per tce
    retirements: tuple[Step, ...] = ()  # share of output retired from a year on (coal power)
    retrofits: tuple[Step, ...] = ()  # share of energy intensity cut from a year on (retrofits)


class Project(_Strict):
    """A new project from the major-project library, entering at commissioning (plus delay)."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name_zh: str
    division: str = Field(pattern=r"^\d{2}$")
    commissioning: int
    delay_years: Discrete = Discrete()
    energy_tce: float = Field(ge=0)  # energy for control at full output, per year
    process_co2_t: float = Field(default=0.0, ge=0)
    combustion_co2_t: float = Field(default=0.0, ge=0)
    electricity_mwh: float = Field(default=0.0, ge=0)
    coal_t: float = Field(default=0.0, ge=0)


class Scenario(_Strict):
    format: str = Field(pattern=f"^{FORMAT}$")
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    version: str
    title_zh: str
    title_en: str
    parent: str | None = None
    description: str = ""
    source: str  # where the assumptions come from
    horizon: int = Field(default=2035, ge=2025, le=2060)
    peak_tolerance: float = Field(default=0.01, ge=0, le=0.1)
    gdp_growth: Uncertain
    default_sector: SectorAssumptions = SectorAssumptions()
    sectors: dict[str, SectorAssumptions] = Field(default_factory=dict)
    grid_factor_change: Uncertain = Uncertain(mean=0.0)  # yearly change of the grid factor
    new_energy_additions: tuple[Step, ...] = ()  # 万千瓦 added in a year
    # Added capacity generates in the base; by the regional method its power counts whether
    # used in the base or sent out (docs/scenarios.md), so no "local share" is assumed.
    new_energy_load_factor: Uncertain = Uncertain(mean=0.16, low=0.05, high=0.4)
    green_hydrogen: Ramp = Ramp()  # 万t per year of capacity
    hydrogen_co2_avoided_t_per_t: float = Field(default=18.8, ge=0)
    ccus: Ramp = Ramp()  # tCO2 per year of capture capacity
    projects: tuple[Project, ...] = ()

    def sector(self, division: str) -> SectorAssumptions:
        return self.sectors.get(division, self.default_sector)


def _package_folder() -> Path:
    return Path(str(resources.files("carbonpeak").joinpath("data", "scenarios", "ningdong")))


def scenario_ids(folder: Path | None = None) -> list[str]:
    return sorted(p.stem for p in (folder or _package_folder()).glob("*.yaml"))


def _merge(parent: Any, child: Any) -> Any:
    """Child over parent: mappings merge key by key; lists of projects merge by id; anything
    else the child states replaces the parent's."""
    if isinstance(parent, Mapping) and isinstance(child, Mapping):
        merged = dict(parent)
        for key, value in child.items():
            merged[key] = _merge(parent[key], value) if key in parent else copy.deepcopy(value)
        return merged
    if (
        isinstance(parent, list)
        and isinstance(child, list)
        and all(isinstance(i, Mapping) and "id" in i for i in [*parent, *child])
    ):
        by_id = {i["id"]: dict(i) for i in parent}
        for item in child:
            if item.get("remove"):
                by_id.pop(item["id"], None)
            else:
                by_id[item["id"]] = _merge(by_id.get(item["id"], {}), item)
        return list(by_id.values())
    return copy.deepcopy(child)


def _raw(name: str, folder: Path, seen: tuple[str, ...] = ()) -> tuple[dict[str, Any], Path]:
    path = folder / f"{name}.yaml"
    if not path.exists():
        raise DataFileError(
            str(path),
            [Problem("file", "no such scenario", ", ".join(scenario_ids(folder)), name)],
        )
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise DataFileError(str(path), [Problem("file", "not a mapping", "a YAML mapping", raw)])
    parent = raw.get("parent")
    if parent is None:
        return raw, path
    if parent in (*seen, name):
        raise DataFileError(
            str(path), [Problem("parent", "inheritance loop", "a chain to a root", parent)]
        )
    base, _ = _raw(str(parent), folder, (*seen, name))
    own = {k: v for k, v in raw.items() if k not in ("parent",)}
    return {**_merge(base, own), "parent": parent}, path


def load_scenario(name: str, folder: Path | None = None) -> Scenario:
    """The scenario ``name`` with everything it inherits, validated."""
    raw, path = _raw(name, folder or _package_folder())
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        raise DataFileError(
            str(path),
            [
                Problem(
                    " → ".join(str(p) for p in error["loc"]),
                    error["msg"],
                    error["type"],
                    error.get("input")
                    if isinstance(error.get("input"), str | int | float)
                    else None,
                )
                for error in exc.errors()
            ],
        ) from None


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, Mapping):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if (
        isinstance(value, list | tuple)
        and value
        and all(isinstance(i, Mapping) and set(i) == {"year", "value"} for i in value)
    ):
        # a year → value path, as data: the pages and reports format the numbers
        return {prefix: {int(i["year"]): i["value"] for i in value}}
    if (
        isinstance(value, list | tuple)
        and value
        and all(isinstance(i, Mapping) and "id" in i for i in value)
    ):
        flat = {}
        for item in value:
            flat.update(_flatten(item, f"{prefix}[{item['id']}]"))
        return flat
    return {prefix: value}


IDENTITY = {"id", "version", "title_zh", "title_en", "parent", "description", "source"}


def assumption_diff(a: Scenario, b: Scenario) -> list[dict[str, Any]]:
    """Every assumption that differs, as (path, value in a, value in b); what a scenario does
    not state is its default. Identity fields (id, titles, version) are left out.

    >>> base = load_scenario("baseline")
    >>> assumption_diff(base, base)
    []
    """
    left = _flatten(a.model_dump(mode="json", exclude=IDENTITY))
    right = _flatten(b.model_dump(mode="json", exclude=IDENTITY))
    return [
        {"assumption": key, a.id: left.get(key), b.id: right.get(key)}
        for key in sorted(set(left) | set(right))
        if left.get(key) != right.get(key)
    ]
