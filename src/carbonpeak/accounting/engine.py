"""The accounting engine: energy (tce) and CO2 from an activity table, by China's official methods.

Every row's contribution to every metric is computed at once with numpy; facility, enterprise,
sector and base totals are sums of those contributions. All metrics are linear in the inputs (the
carbon mass balance is linear in carbon in and out), so every roll-up is the sum of its parts.

Methods (``docs/accounting.md``):

- energy: GB/T 2589 coefficients, or measured NCV / 29.3076 GJ/tce; electricity at the calorific
  value (0.1229 kgce/kWh) and, separately, at the equivalent value (the year's supply coal rate);
  energy supplied outside is deducted; feedstock energy is kept apart and excluded from
  ``energy_consumption_tce`` (发改环资〔2022〕803号);
- combustion: activity × NCV × carbon content × oxidation × 44/12, or activity × measured carbon ×
  oxidation × 44/12;
- process: carbon mass balance (carbon in feedstock and conversion inputs less carbon in products
  and other outputs) × 44/12; carbonates; aluminium anodes and PFC; clinker CaO/MgO;
- indirect: net purchased electricity × grid factor, net purchased heat × heat factor; green power
  with certificates at zero where the factor set is market-based, the unit's other grid power that
  month then at the factor excluding market-traded non-fossil power;
- the base total is not a sum: ``totals("base")`` is the regional view (``boundary.py``);
- CO2 captured, utilised or stored: reported on its own and deducted in ``co2_net_t``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from carbonpeak.accounting.activity import Purpose, Role
from carbonpeak.accounting.boundary import (
    BOUNDARY_METRICS,
    base_lineage,
    base_view,
    deducts_green,
)
from carbonpeak.accounting.catalogue import (
    Category,
    FactorSet,
    FactorValue,
    factor_set,
    items,
)
from carbonpeak.datafile import DataFileError, Problem
from carbonpeak.errors import NotFound
from carbonpeak.units import GJ_PER_TCE

__all__ = ["ADDITIVE_METRICS", "METRICS", "Accounts", "Level", "account", "with_derived"]

CO2_PER_C = 44.0 / 12.0

# metric column -> (unit, meaning). Every metric here is additive.
ADDITIVE_METRICS: dict[str, tuple[str, str]] = {
    "energy_gross_tce": ("tce", "comprehensive energy consumption (GB/T 2589), feedstock included"),
    "feedstock_energy_tce": ("tce", "feedstock energy 原料用能"),
    "energy_consumption_tce": ("tce", "energy consumption for control: gross less feedstock (803)"),
    "energy_gross_equivalent_tce": ("tce", "gross energy with electricity at the equivalent value"),
    "energy_consumption_equivalent_tce": ("tce", "energy for control, electricity at equivalent"),
    "fuel_energy_tce": ("tce", "fossil fuel combusted"),
    "non_fossil_tce": ("tce", "non-fossil electricity consumed, coal-equivalent method"),
    "coal_t": ("t", "coal consumed, fuel and feedstock (physical)"),
    "electricity_mwh": ("MWh", "electricity consumed"),
    "green_hydrogen_t": ("t", "green hydrogen consumed"),
    "carbon_in_tc": ("tC", "carbon in feedstock and conversion inputs"),
    "carbon_out_tc": ("tC", "carbon in products and other outputs"),
    "co2_combustion_t": ("tCO2", "fuel combustion"),
    "co2_mass_balance_t": ("tCO2", "process CO2 by carbon mass balance"),
    "co2_carbonate_t": ("tCO2", "carbonate decomposition"),
    "co2_sector_process_t": ("tCO2", "sector methods: aluminium anodes, clinker"),
    "co2_process_t": ("tCO2", "all process CO2"),
    "co2_direct_t": ("tCO2", "combustion and process"),
    "co2_electricity_t": ("tCO2", "net purchased electricity"),
    "co2_heat_t": ("tCO2", "net purchased heat"),
    "co2_indirect_t": ("tCO2", "electricity and heat"),
    "co2_total_t": ("tCO2", "direct and indirect CO2, before deducting capture"),
    "co2_utilised_t": ("tCO2", "CO2 captured and utilised"),
    "co2_stored_t": ("tCO2", "CO2 captured and stored"),
    "co2_captured_t": ("tCO2", "CO2 captured, utilised or stored"),
    "co2_net_t": ("tCO2", "total CO2 less CO2 captured"),
    "pfc_co2e_t": ("tCO2e", "PFC from anode effects"),
    "ghg_total_co2e_t": ("tCO2e", "CO2 total plus PFC"),
    "electricity_supplied_mwh": ("MWh", "fossil-fired electricity supplied to the grid"),
    "renewable_supplied_mwh": ("MWh", "renewable electricity supplied to the grid"),
    "power_fuel_tce": ("tce", "fuel burnt for power supply (heat share removed)"),
    "reported_energy_tce": ("tce", "comprehensive energy as the enterprise reports it"),
}
RATIO_METRICS: dict[str, tuple[str, str]] = {
    "non_fossil_share_pct": (
        "percent",
        "non-fossil share, coal-equivalent method, of energy consumption excluding feedstock",
    ),
    "supply_coal_rate_gce_per_kwh": ("gce/kWh", "power-supply coal rate"),
}
METRICS = {**ADDITIVE_METRICS, **RATIO_METRICS}

# Every level but "base" sums units' scope 1 + 2; "enterprise_sum" is that sum over the base (not
# a base total, boundary.ENTERPRISE_SUM_NOTE); "base" is the regional view (boundary.py).
Level = Literal["facility", "enterprise", "sector", "division", "enterprise_sum", "base"]
_LEVEL_KEYS: dict[str, list[str]] = {
    "facility": ["enterprise", "facility", "sector"],
    "enterprise": ["enterprise", "sector"],
    "sector": ["sector"],
    "division": ["division"],
    "enterprise_sum": [],
}


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


def _yearly(
    years: np.ndarray, used: np.ndarray, lookup: Callable[[int], FactorValue]
) -> np.ndarray:
    """A per-row array of a year-dependent factor, looked up once per year where ``used``."""
    unique = np.unique(years)
    needed = set(np.unique(years[used]).tolist())
    table = np.array([lookup(int(y)).value if int(y) in needed else np.nan for y in unique])
    return table[np.searchsorted(unique, years)]


class _Codes:
    """Equality tests on a categorical column by its integer codes: no strings per row."""

    def __init__(self, column: pd.Series) -> None:
        self.codes = column.cat.codes.to_numpy()
        self.lookup = {str(c): i for i, c in enumerate(column.cat.categories)}

    def __eq__(self, value: object) -> np.ndarray:  # type: ignore[override]
        code = self.lookup.get(str(value))
        if code is None:
            return np.zeros(len(self.codes), dtype=bool)
        return np.asarray(self.codes == code)

    def __ne__(self, value: object) -> np.ndarray:  # type: ignore[override]
        return ~(self == value)

    def isin(self, values: list[str]) -> np.ndarray:
        mask = np.zeros(len(self.codes), dtype=bool)
        for value in values:
            mask |= self == value
        return mask

    __hash__ = None  # type: ignore[assignment]


def _zero(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``values`` where ``mask``, else 0 (and 0 for NaN where masked out)."""
    return np.where(mask, values, 0.0)


def _contributions(rows: pd.DataFrame, factors: FactorSet) -> pd.DataFrame:
    """Per-row contribution of every additive metric."""
    keys = rows["item"].cat.categories
    codes = rows["item"].cat.codes.to_numpy()
    v = _item_vectors(keys, factors)
    category = v.category[codes]
    fossil = v.fossil[codes]
    role = _Codes(rows["role"])
    purpose = _Codes(rows["purpose"])
    item_key = _Codes(rows["item"])
    quantity = rows["quantity"].to_numpy(dtype=float)
    q = np.nan_to_num(quantity)
    years = rows["year"].to_numpy()
    green = rows["green_certificate"].to_numpy(dtype=bool)

    is_input = role == Role.energy_input
    is_output = role == Role.energy_output
    is_product = role == Role.product_output
    electricity = category == Category.electricity
    heat = category == Category.heat
    carrier = electricity | heat
    renewable = electricity & (~fossil | green)

    measured_ncv = rows["ncv_gj"].to_numpy()
    ncv = np.where(np.isnan(measured_ncv), v.ncv[codes], measured_ncv)
    tce_unit = np.where(np.isnan(measured_ncv) | carrier, v.tce[codes], measured_ncv / GJ_PER_TCE)

    sign = np.select(
        [is_input, is_output, is_product & v.energy_product[codes]], [1.0, -1.0, -1.0], 0.0
    )
    energy_rows = sign != 0
    missing_energy = energy_rows & np.isnan(tce_unit)
    # Year-dependent factors are looked up only where used, so lineage lists what was used.
    uses_electricity = electricity & (is_input | is_output)
    rate = _yearly(years, uses_electricity, factors.equivalent_rate)
    grid = _yearly(years, uses_electricity, factors.electricity_factor)

    energy = _zero(sign * q * tce_unit, energy_rows & ~missing_energy)
    equivalent = np.where(electricity, _zero(sign * q * rate, energy_rows), energy)
    feedstock = _zero(q * tce_unit, is_input & (purpose == Purpose.feedstock) & ~missing_energy)
    fuel_use = is_input & (purpose == Purpose.fuel) & fossil & ~carrier

    measured_carbon = rows["carbon_tc"].to_numpy()
    measured_per_gj = rows["carbon_tc_per_gj"].to_numpy()
    per_gj = np.where(np.isnan(measured_per_gj), v.carbon_per_gj[codes], measured_per_gj)
    carbon_unit = np.where(
        ~np.isnan(measured_carbon),
        measured_carbon,
        np.where(~np.isnan(ncv * per_gj), ncv * per_gj, v.carbon_fraction[codes]),
    )
    oxidation = rows["oxidation_rate"].to_numpy()
    oxidation = np.where(np.isnan(oxidation), v.oxidation[codes], oxidation)

    carbon_inputs = is_input & purpose.isin([Purpose.feedstock, Purpose.conversion]) & fossil
    carbon_outputs = (is_product | (role == Role.carbon_output)) & ~(
        (item_key == "aluminium") | (item_key == "clinker")
    )
    needs_carbon = fuel_use | carbon_inputs | carbon_outputs
    missing_carbon = needs_carbon & np.isnan(carbon_unit)
    missing_oxidation = fuel_use & np.isnan(oxidation)
    _raise_missing(rows, factors, missing_energy, missing_carbon, missing_oxidation)

    combustion = _zero(q * carbon_unit * oxidation * CO2_PER_C, fuel_use)
    carbon_in = _zero(q * carbon_unit, carbon_inputs)
    carbon_out = _zero(q * carbon_unit, carbon_outputs)
    purity = np.nan_to_num(rows["param_purity"].to_numpy(), nan=1.0)
    carbonate = _zero(q * purity * v.carbonate[codes], role == Role.carbonate_input)

    aluminium = is_product & (item_key == "aluminium")
    clinker = is_product & (item_key == "clinker")
    sector = np.zeros(len(rows))
    pfc = np.zeros(len(rows))
    if aluminium.any():
        default_anode = factors.parameter("anode_prebake_default", "tCO2/t").value
        consumption = rows["param_anode_consumption"].to_numpy()
        measured_anode = consumption * (
            1
            - np.nan_to_num(rows["param_anode_sulfur"].to_numpy())
            - np.nan_to_num(rows["param_anode_ash"].to_numpy())
        )
        anode = np.where(np.isnan(consumption), default_anode, measured_anode * CO2_PER_C)
        per_tonne_pfc = (
            factors.parameter("pfc_cf4_per_aluminium", "t/t").value
            * factors.parameter("gwp_cf4", "tCO2/t").value
            + factors.parameter("pfc_c2f6_per_aluminium", "t/t").value
            * factors.parameter("gwp_c2f6", "tCO2/t").value
        )
        sector += _zero(q * anode, aluminium)
        pfc = _zero(q * per_tonne_pfc, aluminium)
    if clinker.any():
        cao = rows["param_cao"].to_numpy() - np.nan_to_num(rows["param_cao_nc"].to_numpy())
        mgo = rows["param_mgo"].to_numpy() - np.nan_to_num(rows["param_mgo_nc"].to_numpy())
        per_tonne = (
            cao * factors.parameter("clinker_cao_to_co2", "tCO2/t").value
            + mgo * factors.parameter("clinker_mgo_to_co2", "tCO2/t").value
        )
        sector += _zero(q * per_tonne, clinker)

    market_based = factors.spec.green_power == "market_based"
    grid_rows = electricity & (is_input | is_output) & ~(renewable & (market_based | ~fossil))
    # Where green power counts at zero, the unit's other grid power takes the residual factor.
    residual = grid_rows & deducts_green(rows, is_input & green & electricity)
    if market_based and residual.any():
        grid = np.where(residual, _yearly(years, residual, _residual(factors)), grid)
    co2_electricity = _zero(sign * q * grid, grid_rows)
    heat_rows = heat & (is_input | is_output)
    heat_factor = factors.heat_factor().value if heat_rows.any() else 0.0
    co2_heat = _zero(sign * q * heat_factor, heat_rows)

    captured = role == Role.co2_captured
    captured_t = q.copy()
    volume = rows["volume_nm3"].to_numpy()
    if captured.any() and not np.all(np.isnan(volume)):
        density = factors.parameter("co2_density_stp", "t/Nm3").value
        captured_t = np.where(np.isnan(volume), q, np.nan_to_num(volume) * density * purity)
    utilised = _zero(captured_t, captured & (purpose == Purpose.utilised))
    stored = _zero(captured_t, captured & (purpose == Purpose.stored))

    heat_ratio = np.nan_to_num(rows["param_heat_ratio"].to_numpy())
    # Fuel counts toward the supply coal rate only at facilities that supply power that month.
    supplies = (role == Role.electricity_supplied) & fossil
    power_facility = (
        pd.Series(supplies, index=rows.index)
        .groupby([rows["enterprise"], rows["facility"], rows["period"]], observed=True)
        .transform("any")
        .to_numpy(dtype=bool)
    )
    columns = {
        "energy_gross_tce": energy,
        "feedstock_energy_tce": feedstock,
        "energy_gross_equivalent_tce": equivalent,
        "fuel_energy_tce": _zero(q * tce_unit, fuel_use),
        "non_fossil_tce": _zero(q * rate, is_input & renewable),
        "coal_t": _zero(q, is_input & (category == Category.coal)),
        "electricity_mwh": _zero(q, is_input & electricity),
        "green_hydrogen_t": _zero(q, is_input & (item_key == "green_hydrogen")),
        "carbon_in_tc": carbon_in,
        "carbon_out_tc": carbon_out,
        "co2_combustion_t": combustion,
        "co2_carbonate_t": carbonate,
        "co2_sector_process_t": sector,
        "co2_electricity_t": co2_electricity,
        "co2_heat_t": co2_heat,
        "co2_utilised_t": utilised,
        "co2_stored_t": stored,
        "pfc_co2e_t": pfc,
        # Only fossil supply enters the supply coal rate; renewable supply is counted apart.
        "electricity_supplied_mwh": _zero(q, (role == Role.electricity_supplied) & fossil),
        "renewable_supplied_mwh": _zero(q, (role == Role.electricity_supplied) & ~fossil),
        # Fuel for power is the facility's fuel less its heat share, allocated on supply rows.
        "power_fuel_tce": _zero(q * tce_unit * (1 - heat_ratio), fuel_use & power_facility),
        "reported_energy_tce": _zero(q, role == Role.reported_energy_total),
    }
    # One (metrics × rows) block filled once: pandas keeps it without copying per column.
    block = np.empty((len(columns), len(rows)))
    for i, values in enumerate(columns.values()):
        block[i] = values
    return pd.DataFrame(block.T, index=rows.index, columns=list(columns), copy=False)


# Metrics that are sums or differences of others: computed after aggregation (or for a selection
# of rows), since summing first and combining after gives the same numbers with less work.
DERIVED: tuple[tuple[str, Callable[[pd.DataFrame], pd.Series]], ...] = (
    ("energy_consumption_tce", lambda f: f["energy_gross_tce"] - f["feedstock_energy_tce"]),
    (
        "energy_consumption_equivalent_tce",
        lambda f: f["energy_gross_equivalent_tce"] - f["feedstock_energy_tce"],
    ),
    ("co2_mass_balance_t", lambda f: (f["carbon_in_tc"] - f["carbon_out_tc"]) * CO2_PER_C),
    (
        "co2_process_t",
        lambda f: f["co2_mass_balance_t"] + f["co2_carbonate_t"] + f["co2_sector_process_t"],
    ),
    ("co2_direct_t", lambda f: f["co2_combustion_t"] + f["co2_process_t"]),
    ("co2_indirect_t", lambda f: f["co2_electricity_t"] + f["co2_heat_t"]),
    ("co2_total_t", lambda f: f["co2_direct_t"] + f["co2_indirect_t"]),
    ("co2_captured_t", lambda f: f["co2_utilised_t"] + f["co2_stored_t"]),
    ("co2_net_t", lambda f: f["co2_total_t"] - f["co2_captured_t"]),
    ("ghg_total_co2e_t", lambda f: f["co2_total_t"] + f["pfc_co2e_t"]),
)


def with_derived(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` of summed base metrics with every derived metric added, in catalogue order."""
    for name, formula in DERIVED:
        frame[name] = formula(frame)
    keys = [c for c in frame.columns if c not in ADDITIVE_METRICS and c not in BOUNDARY_METRICS]
    parts = [c for c in BOUNDARY_METRICS if c in frame.columns]
    return frame[keys + list(ADDITIVE_METRICS) + parts]


def with_ratios(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the ratio metrics computed from its summed metrics."""
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["non_fossil_share_pct"] = np.where(
            frame["energy_consumption_equivalent_tce"] > 0,
            100 * frame["non_fossil_tce"] / frame["energy_consumption_equivalent_tce"],
            np.nan,
        )
        frame["supply_coal_rate_gce_per_kwh"] = np.where(
            frame["electricity_supplied_mwh"] > 0,
            1000 * frame["power_fuel_tce"] / frame["electricity_supplied_mwh"],
            np.nan,
        )
    return frame


def _residual(factors: FactorSet) -> Callable[[int], FactorValue]:
    def lookup(year: int) -> FactorValue:
        value = factors.residual_factor(year)
        return value if value is not None else factors.electricity_factor(year)

    return lookup


def _raise_missing(
    rows: pd.DataFrame,
    factors: FactorSet,
    energy: np.ndarray,
    carbon: np.ndarray,
    oxidation: np.ndarray,
) -> None:
    problems = []
    for mask, what, expected in (
        (
            energy,
            f"no standard-coal coefficient in {factors.coal_equivalent.version}",
            "a measured ncv (with ncv_unit)",
        ),
        (carbon, "no carbon content: no default for this item", "a measured carbon_content"),
        (oxidation, "no default oxidation rate for this fuel", "a measured oxidation_rate"),
    ):
        for index in np.flatnonzero(mask)[:50]:
            problems.append(
                Problem(
                    f"row {index + 2}, column item",
                    what,
                    expected=expected,
                    found=rows["item"].iloc[index],
                )
            )
    if problems:
        raise DataFileError(str(rows.attrs.get("source", "<activity>")), problems)


@dataclass
class Accounts:
    """The result of accounting an activity table with one factor set."""

    rows: pd.DataFrame  # the normalised activity rows
    contributions: pd.DataFrame  # each row's contribution to each base metric (not DERIVED)
    factors: FactorSet
    source: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def factor_set(self) -> str:
        return self.factors.id

    def totals(
        self, level: Level = "enterprise", frequency: Literal["month", "year"] = "month"
    ) -> pd.DataFrame:
        """Additive metrics summed at ``level`` per month or year, with the ratio metrics; the
        ``base`` level is the regional view, with its parts (boundary.BOUNDARY_METRICS)."""
        if level == "base":
            units = self._summed(["period"])
            return with_ratios(with_derived(base_view(units, self.rows, self.factors, frequency)))
        time = "period" if frequency == "month" else "year"
        return with_ratios(self._summed([*_LEVEL_KEYS[level], time]))

    def _summed(self, names: list[str]) -> pd.DataFrame:
        keys = self._keys()
        return with_derived(
            self.contributions.groupby([keys[name] for name in names], observed=True, sort=True)
            .sum()
            .reset_index()
        )

    def _keys(self) -> pd.DataFrame:
        sector = self.rows["sector"]
        # The division is the code's first two digits, derived per category, not per row.
        divisions = np.asarray([str(code)[:2] for code in sector.cat.categories], dtype=object)
        return pd.DataFrame(
            {
                "enterprise": self.rows["enterprise"],
                "facility": self.rows["facility"],
                "sector": sector,
                "division": pd.Categorical(divisions[sector.cat.codes.to_numpy()]),
                "period": self.rows["period"],
                "year": self.rows["year"],
            }
        )

    def factor_values(self) -> list[dict[str, object]]:
        """Every reference value used, with source and status: the account's factor lineage."""
        return [
            {"source": f.source, "value": f.value, "unit": f.unit, "status": f.status.value}
            for f in sorted(self.factors.used.values(), key=lambda f: f.source)
        ]


def account(activity: pd.DataFrame, factors: str | FactorSet = "ningxia") -> Accounts:
    """Account a normalised activity table (``parse_activity``/``read_activity``)."""
    resolved = factor_set(factors) if isinstance(factors, str) else factors
    contributions = _contributions(activity, resolved)
    result = Accounts(
        activity, contributions, resolved, str(activity.attrs.get("source", "<activity>"))
    )
    return result


METHODS: dict[str, str] = {
    "energy": "GB/T 2589-2020: quantity × standard-coal coefficient, or × measured NCV / "
    "29.3076 GJ/tce; energy supplied outside deducted; feedstock (原料用能) excluded "
    "from energy_consumption (发改环资〔2022〕803号)",
    "equivalent": "electricity at the equivalent value: MWh × the year's supply coal rate",
    "combustion": "activity × NCV × carbon content × oxidation rate × 44/12 (NDRC/MEE "
    "guidelines); measured carbon per tonne replaces NCV × carbon content",
    "mass_balance": "(carbon in feedstock and conversion inputs − carbon in products and "
    "outputs) × 44/12 (化工 guideline / GB/T 32151.10)",
    "carbonate": "carbonate × purity × stoichiometric factor",
    "aluminium": "anode: t Al × net anode use × (1 − S − ash) × 44/12, or the 1.6 t/t default; "
    "PFC: t Al × (CF4 × GWP + C2F6 × GWP) / 1000",
    "clinker": "t clinker × [(CaO − CaO_nc) × 44/56 + (MgO − MgO_nc) × 44/40]",
    "electricity": "net purchased MWh × grid factor of the chosen set; where market-based, green "
    "certificates at 0 and the unit's other grid power that month at the factor excluding "
    "market-traded non-fossil power",
    "base": "regional view: direct CO2 of every unit + net imported electricity and heat × "
    "factors (negative for a net exporter) − captured; trades between units net out",
    "heat": "net purchased GJ × heat factor",
    "capture": "captured CO2 in t, or 万Nm3 × density × purity; deducted in co2_net",
}


def _row_sources(row: pd.Series, factors: FactorSet, residual: bool = False) -> list[str]:
    """The reference values (or measurements) one activity row's contributions rest on."""
    item = items()[str(row["item"])]
    role, purpose, year = str(row["role"]), str(row["purpose"]), int(row["year"])
    sources: list[str] = []
    carrier = item.category in {Category.electricity, Category.heat}
    energy_row = role in {Role.energy_input, Role.energy_output} or (
        role == Role.product_output and item.category.is_energy_product
    )
    if energy_row:
        coefficient = factors.tce_per_unit(item)
        if not carrier and not np.isnan(row["ncv_gj"]):
            sources.append("measured ncv")
        elif coefficient is not None:
            sources.append(coefficient.source)
    if item.category is Category.electricity and energy_row:
        sources.append(factors.equivalent_rate(year).source)
        renewable = not item.fossil or bool(row["green_certificate"])
        if not (renewable and (factors.spec.green_power == "market_based" or not item.fossil)):
            grid = factors.residual_factor(year) if residual else None
            sources.append((grid or factors.electricity_factor(year)).source)
    if item.category is Category.heat and energy_row:
        sources.append(factors.heat_factor().source)
    carbon_row = (role == Role.energy_input and not carrier and item.fossil) or role in {
        Role.product_output,
        Role.carbon_output,
    }
    if carbon_row and item.sector_method is None:
        defaults = factors.fuel_defaults(item)
        if not np.isnan(row["carbon_tc"]):
            sources.append("measured carbon content")
        elif defaults is not None:
            if np.isnan(row["ncv_gj"]):
                sources.append(defaults[0].source)
            sources.append(
                "measured carbon content per GJ"
                if not np.isnan(row["carbon_tc_per_gj"])
                else defaults[1].source
            )
        elif item.carbon_fraction:
            sources.append(factors.parameter(item.carbon_fraction, f"tC/{item.unit}").source)
        if role == Role.energy_input and purpose == Purpose.fuel:
            sources.append(
                "measured oxidation rate"
                if not np.isnan(row["oxidation_rate"])
                else defaults[2].source
                if defaults
                else "no oxidation rate"
            )
    if item.carbonate:
        sources.append(factors.parameter(item.carbonate, "tCO2/t").source)
    if item.sector_method == "aluminium" and role == Role.product_output:
        sources += [
            "measured anode consumption"
            if not np.isnan(row["param_anode_consumption"])
            else factors.parameter("anode_prebake_default", "tCO2/t").source
        ]
        sources += [
            factors.parameter(k, u).source
            for k, u in (
                ("pfc_cf4_per_aluminium", "t/t"),
                ("gwp_cf4", "tCO2/t"),
                ("pfc_c2f6_per_aluminium", "t/t"),
                ("gwp_c2f6", "tCO2/t"),
            )
        ]
    if item.sector_method == "clinker" and role == Role.product_output:
        sources += [
            "measured CaO and MgO",
            factors.parameter("clinker_cao_to_co2", "tCO2/t").source,
            factors.parameter("clinker_mgo_to_co2", "tCO2/t").source,
        ]
    if role == Role.co2_captured and not np.isnan(row["volume_nm3"]):
        sources.append(factors.parameter("co2_density_stp", "t/Nm3").source)
    return sources


def lineage(
    accounts: Accounts,
    enterprise: str | None = None,
    period: str | None = None,
    facility: str | None = None,
) -> dict[str, object]:
    """Inputs, method and factors behind a result: the base, an enterprise or a facility, for a
    month (``YYYY-MM``), a year (``YYYY``) or all periods."""
    rows = accounts.rows
    mask = np.ones(len(rows), dtype=bool)
    if enterprise is not None:
        mask &= (rows["enterprise"] == enterprise).to_numpy()
    if facility is not None:
        mask &= (rows["facility"] == facility).to_numpy()
    if period is not None:
        column = rows["period"].astype(str) if len(period) == 7 else rows["year"].astype(str)
        mask &= (column == period).to_numpy()
    if not mask.any():
        raise NotFound(
            f"no activity rows for enterprise={enterprise!r} facility={facility!r} "
            f"period={period!r}"
        )
    catalogue = items()
    inputs = []
    factor_sources: set[str] = set()
    selected = with_derived(accounts.contributions[mask].copy())
    green = (rows["green_certificate"] & (rows["role"] == Role.energy_input)).to_numpy(bool)
    residual = deducts_green(rows, green)
    for offset, position in enumerate(np.flatnonzero(mask).tolist()):
        row = rows.iloc[position]
        sources = _row_sources(row, accounts.factors, bool(residual[position]))
        factor_sources.update(s for s in sources if "@" in s)
        contribution = selected.iloc[offset]
        inputs.append(
            {
                "row": position + 2,
                "enterprise": str(row["enterprise"]),
                "facility": str(row["facility"]),
                "period": str(row["period"]),
                "item": str(row["item"]),
                "role": str(row["role"]),
                "purpose": str(row["purpose"]),
                "quantity": float(row["quantity"]) if not np.isnan(row["quantity"]) else None,
                "unit": catalogue[str(row["item"])].unit,
                "sources": sources,
                "contributions": {k: float(v) for k, v in contribution.items() if v != 0},
            }
        )
    base = None
    if enterprise is None and facility is None:  # the base: its regional total and parts too
        months = set(rows["period"][mask].astype(str))
        view = accounts.totals("base", "month")
        base, base_sources = base_lineage(
            view[view["period"].astype(str).isin(months)], accounts.factors
        )
        factor_sources.update(base_sources)
    used = {f["source"]: f for f in accounts.factor_values()}
    return {
        "selection": {"enterprise": enterprise, "facility": facility, "period": period},
        "factor_set": accounts.factor_set,
        "datasets": accounts.factors.datasets(),
        "totals": {str(k): float(v) for k, v in selected.sum().items()},
        "base": base,
        "units": {k: unit for k, (unit, _) in {**ADDITIVE_METRICS, **BOUNDARY_METRICS}.items()},
        "methods": METHODS,
        "factors": [used[s] for s in sorted(factor_sources) if s in used],
        "inputs": inputs,
    }
