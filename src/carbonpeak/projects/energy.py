"""A project's energy and CO2 by the same engine as the accounts (``carbonpeak.accounting``).

The project's expected annual energy by carrier, its product and its captured CO2 become an
activity table of one period (the whole year's quantities), accounted with the factor set of the
base's accounts; the unit-product energy and its position against the benchmark and baseline
levels come from the same function the accounts' benchmark page uses (``unit_product_energy``).
Nothing is computed twice: a project line at the benchmark reads at the benchmark in both.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from carbonpeak.accounting import (
    METHODS,
    account,
    items,
    parse_activity,
    unit_product_energy,
)
from carbonpeak.projects.model import Project

__all__ = ["ProjectFigures", "project_activity", "project_figures"]

# Catalogue categories an activity row may state as a product leaving the boundary.
_PRODUCT_CATEGORIES = {"product", "coal_product", "oil", "gas", "hydrogen"}
_FIGURES = (
    "energy_gross_tce",
    "feedstock_energy_tce",
    "energy_consumption_tce",
    "energy_consumption_equivalent_tce",
    "electricity_mwh",
    "coal_t",
    "green_hydrogen_t",
    "co2_combustion_t",
    "co2_process_t",
    "co2_indirect_t",
    "co2_total_t",
    "co2_captured_t",
    "co2_net_t",
)


@dataclass(frozen=True)
class ProjectFigures:
    """A project's expected annual figures, as the accounting engine computes them."""

    year: int  # the accounting year whose factors were used
    factor_set: str
    energy_gross_tce: float
    feedstock_energy_tce: float
    energy_consumption_tce: float  # feedstock apart (发改环资〔2022〕803号): what the budget counts
    energy_consumption_equivalent_tce: float
    electricity_mwh: float
    coal_t: float
    green_hydrogen_t: float
    co2_combustion_t: float
    co2_process_t: float
    co2_indirect_t: float
    co2_total_t: float
    co2_captured_t: float
    co2_net_t: float
    green_power_mwh: float
    grid_electricity_mwh: float
    unit_value: float | None = None  # unit-product energy, in ``unit``
    unit: str | None = None
    levels: str | None = None  # the efficiency-level record used (dataset:key)
    levels_status: str | None = None
    benchmark_level: float | None = None
    baseline_level: float | None = None
    position: str | None = None
    factors: list[dict[str, object]] = field(default_factory=list)
    methods: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def project_activity(project: Project, year: int) -> pd.DataFrame:
    """The project's activity table: its annual quantities as one period of ``year``."""
    catalogue = items()
    period = f"{year}-01"
    common = {
        "enterprise": f"project:{project.id}",
        "facility": project.id,
        "sector": project.sector,
        "period": period,
    }
    rows: list[dict[str, object]] = []
    for line in project.energy:
        rows.append(
            {
                **common,
                "item": line.item,
                "role": "energy_input",
                "purpose": line.purpose,
                "quantity": line.quantity,
                "unit": line.unit,
                "ncv": "" if line.ncv is None else line.ncv,
                "ncv_unit": line.ncv_unit or "",
                "green_certificate": "yes" if line.green_certificate else "",
            }
        )
    if (
        project.product in catalogue
        and catalogue[project.product].category.value in _PRODUCT_CATEGORIES
        and project.annual_output_t > 0
    ):
        rows.append(
            {
                **common,
                "item": project.product,
                "role": "product_output",
                "quantity": project.annual_output_t,
                "unit": "t",
                "parameters": ";".join(f"{k}={v}" for k, v in project.product_parameters.items()),
            }
        )
    if project.co2_captured_t > 0:
        rows.append(
            {
                **common,
                "item": "co2",
                "role": "co2_captured",
                "purpose": project.co2_capture_use,
                "quantity": project.co2_captured_t,
                "unit": "t",
            }
        )
    raw = pd.DataFrame(rows).fillna("").astype(str)
    return parse_activity(raw, f"project {project.id}")


def project_figures(project: Project, year: int, factors: str = "ningxia") -> ProjectFigures:
    """Account the project's expected year with ``factors`` (the accounts' factor set) and the
    factors of ``year`` (the latest accounted year: the project is judged on today's factors)."""
    accounts = account(project_activity(project, year), factors)
    totals = accounts.totals("facility", "year")
    sums: dict[str, Any] = {
        name: float(totals[name].sum()) if name in totals else 0.0 for name in _FIGURES
    }
    levels: dict[str, Any] = {}
    products = unit_product_energy(accounts)
    if not products.empty:
        ndrc = products[products["levels"].astype(str).str.startswith("ndrc_benchmark")]
        chosen = (ndrc if not ndrc.empty else products).iloc[0].to_dict()
        levels = {
            "unit_value": float(chosen["unit_value"]),
            "unit": str(chosen["unit"]),
            "levels": str(chosen["levels"]),
            "levels_status": str(chosen["status"]),
            "benchmark_level": _optional(chosen.get("benchmark_level")),
            "baseline_level": _optional(chosen.get("baseline_level")),
            "position": str(chosen["position"]),
        }
    green = project.green_power_mwh
    return ProjectFigures(
        year=year,
        factor_set=accounts.factor_set,
        **sums,
        green_power_mwh=green,
        grid_electricity_mwh=max(sums["electricity_mwh"] - green, 0.0),
        **levels,
        factors=accounts.factor_values(),
        methods={
            k: METHODS[k]
            for k in ("energy", "combustion", "mass_balance", "electricity", "capture")
        },
    )


def _optional(value: object) -> float | None:
    if value is None:
        return None
    number = float(str(value))
    return None if math.isnan(number) else number
