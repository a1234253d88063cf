"""The method table: every base metric as rules over activity rows, and the factors they use.

A rule reads: for the rows of a selection (``rows.Rows.selections``), the metric gets the row's
amount × each of the rule's factors, with the energy sign where the rule deducts what leaves the
unit (energy supplied outside, energy products). A factor is a per-row value with the reference
values (or measurements) it rests on. One table feeds both the arithmetic (``contributions``) and
the lineage (``row_sources``: the sources of the factors of every rule that applies to a row).

Methods (``docs/accounting.md``, ``metrics.METHODS``): GB/T 2589 energy, electricity also at the
equivalent value; combustion by NCV × carbon content × oxidation × 44/12; the carbon mass
balance; carbonates; aluminium anodes and PFC; clinker; purchased electricity and heat; capture.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from carbonpeak.accounting.catalogue import FactorSet, FactorValue
from carbonpeak.accounting.metrics import BASE_METRICS, CO2_PER_C
from carbonpeak.accounting.rows import Rows, yearly
from carbonpeak.datafile import DataFileError, Problem
from carbonpeak.units import GJ_PER_TCE

__all__ = ["FACTORS", "RULES", "Factor", "Rule", "as_frame", "contributions", "row_sources"]


@dataclass(frozen=True)
class Rule:
    """``metric`` += amount × factors (× the energy sign if ``signed``) on the ``rows``."""

    metric: str
    rows: str
    factors: tuple[str, ...] = ()
    signed: bool = False
    amount: Literal["quantity", "volume"] = "quantity"


RULES: tuple[Rule, ...] = (
    Rule("energy_gross_tce", "energy", ("tce",), signed=True),
    Rule("feedstock_energy_tce", "feedstock", ("tce",)),
    Rule("energy_gross_equivalent_tce", "energy_other", ("tce",), signed=True),
    Rule("energy_gross_equivalent_tce", "energy_electricity", ("equivalent_rate",), signed=True),
    Rule("fuel_energy_tce", "fuel", ("tce",)),
    Rule("non_fossil_tce", "renewable_input", ("equivalent_rate",)),
    Rule("coal_t", "coal_input"),
    Rule("electricity_mwh", "electricity_input"),
    Rule("green_hydrogen_t", "green_hydrogen_input"),
    Rule("carbon_in_tc", "carbon_input", ("carbon",)),
    Rule("carbon_out_tc", "carbon_output", ("carbon",)),
    Rule("co2_combustion_t", "fuel", ("carbon", "oxidation", "co2_per_c")),
    Rule("co2_carbonate_t", "carbonate", ("purity", "carbonate")),
    Rule("co2_sector_process_t", "aluminium", ("anode",)),
    Rule("co2_sector_process_t", "clinker", ("clinker",)),
    Rule("co2_electricity_t", "grid", ("grid",), signed=True),
    Rule("co2_heat_t", "heat_flow", ("heat",), signed=True),
    Rule("co2_utilised_t", "utilised_mass"),
    Rule("co2_utilised_t", "utilised_volume", ("co2_density", "purity"), amount="volume"),
    Rule("co2_stored_t", "stored_mass"),
    Rule("co2_stored_t", "stored_volume", ("co2_density", "purity"), amount="volume"),
    Rule("pfc_co2e_t", "aluminium", ("pfc",)),
    # Only fossil supply enters the supply coal rate; renewable supply is counted apart.
    Rule("electricity_supplied_mwh", "fossil_supplied"),
    Rule("renewable_supplied_mwh", "renewable_supplied"),
    # Fuel for power is the facility's fuel less its heat share.
    Rule("power_fuel_tce", "power_fuel", ("tce", "power_share")),
    Rule("reported_energy_tce", "reported"),
)


@dataclass(frozen=True)
class Factor:
    """A per-row factor: its values (looked up only for the rows ``used``), the sources one row's
    value rests on, and the problem a used row without a value is."""

    values: Callable[[Rows, np.ndarray], np.ndarray | float]
    sources: Callable[[Rows, int], list[str]]
    missing: tuple[str, str] | None = None  # (problem, what to give instead)


def _tce(rows: Rows, used: np.ndarray) -> np.ndarray:
    measured = rows.column("ncv_gj")
    return np.where(
        np.isnan(measured) | rows.selections["carrier"],
        rows.per_item(rows.vectors.tce),
        measured / GJ_PER_TCE,
    )


def _tce_sources(rows: Rows, i: int) -> list[str]:
    if not rows.selections["carrier"][i] and rows.measured("ncv_gj", i):
        return ["measured ncv"]
    coefficient = rows.factors.tce_per_unit(rows.item(i))
    return [coefficient.source] if coefficient is not None else []


def _carbon(rows: Rows, used: np.ndarray) -> np.ndarray:
    v = rows.vectors
    measured_ncv, per_gj = rows.column("ncv_gj"), rows.column("carbon_tc_per_gj")
    ncv = np.where(np.isnan(measured_ncv), rows.per_item(v.ncv), measured_ncv)
    per_gj = np.where(np.isnan(per_gj), rows.per_item(v.carbon_per_gj), per_gj)
    measured = rows.column("carbon_tc")
    by_heat = ncv * per_gj
    return np.where(
        ~np.isnan(measured),
        measured,
        np.where(~np.isnan(by_heat), by_heat, rows.per_item(v.carbon_fraction)),
    )


def _carbon_sources(rows: Rows, i: int) -> list[str]:
    if rows.measured("carbon_tc", i):
        return ["measured carbon content"]
    item, factors = rows.item(i), rows.factors
    defaults = factors.fuel_defaults(item)
    ncv, per_gj = rows.measured("ncv_gj", i), rows.measured("carbon_tc_per_gj", i)
    if (ncv or defaults) and (per_gj or defaults):  # carbon = NCV × carbon per GJ
        sources = [] if ncv or defaults is None else [defaults[0].source]
        if per_gj or defaults is None:
            return [*sources, "measured carbon content per GJ"]
        return [*sources, defaults[1].source]
    if item.carbon_fraction:
        return [factors.parameter(item.carbon_fraction, f"tC/{item.unit}").source]
    return []


def _oxidation(rows: Rows, used: np.ndarray) -> np.ndarray:
    measured = rows.column("oxidation_rate")
    return np.where(np.isnan(measured), rows.per_item(rows.vectors.oxidation), measured)


def _oxidation_sources(rows: Rows, i: int) -> list[str]:
    if rows.measured("oxidation_rate", i):
        return ["measured oxidation rate"]
    defaults = rows.factors.fuel_defaults(rows.item(i))
    return [defaults[2].source] if defaults else ["no oxidation rate"]


def _residual(factors: FactorSet) -> Callable[[int], FactorValue]:
    def lookup(year: int) -> FactorValue:
        value = factors.residual_factor(year)
        return value if value is not None else factors.electricity_factor(year)

    return lookup


def _grid(rows: Rows, used: np.ndarray) -> np.ndarray:
    grid = yearly(rows.years, used, rows.factors.electricity_factor)
    residual = rows.selections["residual"] & used
    if rows.market_based and residual.any():
        grid = np.where(residual, yearly(rows.years, residual, _residual(rows.factors)), grid)
    return grid


def _grid_sources(rows: Rows, i: int) -> list[str]:
    residual = rows.market_based and rows.selections["residual"][i]
    lookup = _residual(rows.factors) if residual else rows.factors.electricity_factor
    return [lookup(rows.year(i)).source]


def _anode(rows: Rows, used: np.ndarray) -> np.ndarray:
    default = rows.factors.parameter("anode_prebake_default", "tCO2/t").value
    consumption = rows.column("param_anode_consumption")
    sulfur = np.nan_to_num(rows.column("param_anode_sulfur"))
    ash = np.nan_to_num(rows.column("param_anode_ash"))
    return np.where(np.isnan(consumption), default, consumption * (1 - sulfur - ash) * CO2_PER_C)


def _anode_sources(rows: Rows, i: int) -> list[str]:
    if rows.measured("param_anode_consumption", i):
        return ["measured anode consumption"]
    return [rows.factors.parameter("anode_prebake_default", "tCO2/t").source]


_PFC = (("pfc_cf4_per_aluminium", "gwp_cf4"), ("pfc_c2f6_per_aluminium", "gwp_c2f6"))


def _pfc(rows: Rows, used: np.ndarray) -> float:
    p = rows.factors.parameter
    return sum(p(gas, "t/t").value * p(gwp, "tCO2/t").value for gas, gwp in _PFC)


def _pfc_sources(rows: Rows, i: int) -> list[str]:
    p = rows.factors.parameter
    return [s for gas, gwp in _PFC for s in (p(gas, "t/t").source, p(gwp, "tCO2/t").source)]


_CLINKER = (("cao", "clinker_cao_to_co2"), ("mgo", "clinker_mgo_to_co2"))


def _clinker(rows: Rows, used: np.ndarray) -> np.ndarray:
    p = rows.factors.parameter
    cao, mgo = (
        rows.column(f"param_{oxide}") - np.nan_to_num(rows.column(f"param_{oxide}_nc"))
        for oxide, _ in _CLINKER
    )
    per_tonne = cao * p(_CLINKER[0][1], "tCO2/t").value + mgo * p(_CLINKER[1][1], "tCO2/t").value
    return np.asarray(per_tonne)


def _clinker_sources(rows: Rows, i: int) -> list[str]:
    p = rows.factors.parameter
    return ["measured CaO and MgO", *(p(factor, "tCO2/t").source for _, factor in _CLINKER)]


def _parameter(key: str, unit: str) -> Factor:
    return Factor(
        lambda rows, _used: rows.factors.parameter(key, unit).value,
        lambda rows, _i: [rows.factors.parameter(key, unit).source],
    )


def _no_source(rows: Rows, i: int) -> list[str]:
    return []


FACTORS: dict[str, Factor] = {
    "tce": Factor(
        _tce,
        _tce_sources,
        ("no standard-coal coefficient in {version}", "a measured ncv (with ncv_unit)"),
    ),
    "carbon": Factor(
        _carbon,
        _carbon_sources,
        ("no carbon content: no default for this item", "a measured carbon_content"),
    ),
    "oxidation": Factor(
        _oxidation,
        _oxidation_sources,
        ("no default oxidation rate for this fuel", "a measured oxidation_rate"),
    ),
    "equivalent_rate": Factor(
        lambda rows, used: yearly(rows.years, used, rows.factors.equivalent_rate),
        lambda rows, i: [rows.factors.equivalent_rate(rows.year(i)).source],
    ),
    "grid": Factor(_grid, _grid_sources),
    "heat": Factor(
        lambda rows, _used: rows.factors.heat_factor().value,
        lambda rows, _i: [rows.factors.heat_factor().source],
    ),
    "carbonate": Factor(
        lambda rows, _used: rows.per_item(rows.vectors.carbonate),
        lambda rows, i: [rows.factors.parameter(str(rows.item(i).carbonate), "tCO2/t").source],
    ),
    "anode": Factor(_anode, _anode_sources),
    "pfc": Factor(_pfc, _pfc_sources),
    "clinker": Factor(_clinker, _clinker_sources),
    "co2_density": _parameter("co2_density_stp", "t/Nm3"),
    "purity": Factor(
        lambda rows, _used: np.nan_to_num(rows.column("param_purity"), nan=1.0), _no_source
    ),
    "power_share": Factor(
        lambda rows, _used: 1 - np.nan_to_num(rows.column("param_heat_ratio")), _no_source
    ),
    "co2_per_c": Factor(lambda rows, _used: CO2_PER_C, _no_source),
}


def contributions(rows: Rows) -> dict[str, np.ndarray]:
    """Each base metric's contribution per row, for the metrics some rule gives rows to (the
    others are identically zero and left out). Factors are looked up only for the rows of the
    rules that use them; a used factor without a value raises :class:`DataFileError`."""
    selected = [(rule, rows.selections[rule.rows]) for rule in RULES]
    selected = [(rule, mask) for rule, mask in selected if mask.any()]
    used: dict[str, np.ndarray] = {}
    for rule, mask in selected:
        for name in rule.factors:
            used[name] = used[name] | mask if name in used else mask
    values = {name: FACTORS[name].values(rows, mask) for name, mask in used.items()}
    _raise_missing(rows, {n: np.isnan(values[n]) & used[n] for n in used})
    result: dict[str, np.ndarray] = {}
    for rule, mask in selected:
        amount = rows.quantity if rule.amount == "quantity" else _volume(rows)
        value = rows.sign * amount if rule.signed else amount
        for name in rule.factors:
            value = value * values[name]
        part = np.where(mask, value, 0.0)
        result[rule.metric] = result[rule.metric] + part if rule.metric in result else part
    return {metric: result[metric] for metric in BASE_METRICS if metric in result}


def _volume(rows: Rows) -> np.ndarray:
    return np.asarray(np.nan_to_num(rows.column("volume_nm3")))


def as_frame(parts: dict[str, np.ndarray], index: pd.Index) -> pd.DataFrame:
    """Contributions as a frame of every base metric (zero where no rule applied)."""
    return pd.DataFrame(
        {metric: parts.get(metric, 0.0) for metric in BASE_METRICS}, index=index, dtype=float
    )


def row_sources(rows: Rows, i: int) -> list[str]:
    """The reference values (or measurements) row ``i``'s contributions rest on: the sources
    of the factors of every rule that applies to it, in the table's order."""
    sources: list[str] = []
    for rule in RULES:
        if rows.selections[rule.rows][i]:
            for name in rule.factors:
                sources += [s for s in FACTORS[name].sources(rows, i) if s not in sources]
    return sources


def _raise_missing(rows: Rows, missing: dict[str, np.ndarray]) -> None:
    problems = []
    version = rows.factors.coal_equivalent.version
    for name, factor in FACTORS.items():
        if factor.missing is None or name not in missing:
            continue
        what, expected = factor.missing
        for index in np.flatnonzero(missing[name])[:50]:
            problems.append(
                Problem(
                    f"row {index + 2}, column item",
                    what.format(version=version),
                    expected=expected,
                    found=rows.frame["item"].iloc[index],
                )
            )
    if problems:
        raise DataFileError(str(rows.frame.attrs.get("source", "<activity>")), problems)
