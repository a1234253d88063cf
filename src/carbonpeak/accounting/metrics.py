"""The metric catalogue (data/accounting/metrics.yaml: id, unit, Chinese and English names,
meaning, method): every metric the engine computes, with unit and meaning, the metrics
derived from others (sums and differences, computed after aggregation) and the ratios.

The methods behind the base metrics are the rules of ``methods.py``; ``METHODS`` describes them
for people (lineage, pages, ``docs/accounting.md``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from carbonpeak.accounting.boundary import BOUNDARY_METRICS

__all__ = [
    "ADDITIVE_METRICS",
    "BASE_METRICS",
    "CATALOGUE",
    "CO2_PER_C",
    "DERIVED",
    "METHODS",
    "METRICS",
    "METRIC_CATALOGUE_FILE",
    "RATIO_METRICS",
    "Metric",
    "with_derived",
    "with_ratios",
]

CO2_PER_C = 44.0 / 12.0

METRIC_CATALOGUE_FILE = "data/accounting/metrics.yaml"


@dataclass(frozen=True)
class Metric:
    """One row of the metric catalogue (data/accounting/metrics.yaml)."""

    id: str
    kind: str  # additive or ratio
    unit: str
    zh: str
    en: str
    description: str
    method: str
    decimals: int = 1  # the fixed decimals a page shows


def _catalogue() -> dict[str, Metric]:
    text = resources.files("carbonpeak").joinpath(METRIC_CATALOGUE_FILE).read_text("utf-8")
    rows = yaml.safe_load(text)["metrics"]
    return {
        key: Metric(
            id=key,
            decimals=int(row.get("decimals", 1)),
            **{k: str(v) for k, v in row.items() if k != "decimals"},
        )
        for key, row in rows.items()
    }


CATALOGUE: dict[str, Metric] = _catalogue()
# metric column -> (unit, meaning), in catalogue order: additive ones sum over rows and units.
ADDITIVE_METRICS: dict[str, tuple[str, str]] = {
    m.id: (m.unit, m.description) for m in CATALOGUE.values() if m.kind == "additive"
}
RATIO_METRICS: dict[str, tuple[str, str]] = {
    m.id: (m.unit, m.description) for m in CATALOGUE.values() if m.kind == "ratio"
}
METRICS = {**ADDITIVE_METRICS, **RATIO_METRICS}

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


# The metrics the method rules compute; every other additive metric is derived from them.
BASE_METRICS = tuple(m for m in ADDITIVE_METRICS if m not in dict(DERIVED))

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
