"""Scenario runs anchored to the store: the base year and each enterprise's totals come from the
accounted reports (the snapshot), the history from the indicator values; when a new full year
is accounted, every projection re-bases on it without anyone re-typing history."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from carbonpeak.accounting import Accounts, items, unit_product_energy
from carbonpeak.accounting.boundary import flows_by
from carbonpeak.errors import NotFound
from carbonpeak.messages import message
from carbonpeak.plan import Plan
from carbonpeak.scenarios import (
    INDICATORS,
    BaseYear,
    Boundary,
    Projection,
    Scenario,
    assumption_diff,
    deterministic,
    full_series,
    load_scenario,
    peak,
    peak_summary,
    project,
    quantiles,
    sample,
    target_probabilities,
)
from carbonpeak.services import dashboard
from carbonpeak.services.indicator_reports import indicator_reports, reported_series
from carbonpeak.units import WAN

__all__ = [
    "DEFAULT_DRAWS",
    "DEFAULT_SEED",
    "REFERENCE_SCENARIO",
    "ScenarioRun",
    "TargetOutlook",
    "base_year",
    "compare",
    "run",
    "run_scenario",
    "summary",
    "summary_for",
    "target_outlook",
]

DEFAULT_DRAWS = 2000
DEFAULT_SEED = 20231101
# The office's reference scenario for judging future targets: the plan's measures as stated
# (docs/scenarios.md, "Future targets").
REFERENCE_SCENARIO = "policy"


def base_year(engine: Engine, snap: dashboard.Snapshot) -> BaseYear:
    """The latest full accounted year: each enterprise's own account and electricity flows (in
    its GB/T 4754 division), the base's regional accounts (``totals("base")``), and the actual
    history, which is the tracking's: the snapshot's indicator values, on the same boundary."""
    if snap.accounts is None:
        raise NotFound(message("error.scenarios.no_base_year"))
    months = dashboard.months_per_year(snap)
    full = sorted(int(y) for y, n in months.items() if n == 12)
    if not full:
        raise NotFound(message("error.scenarios.no_full_year"))
    year = full[-1]
    # One unit per enterprise: its own base-year energy, emissions and benchmark gap.
    totals = snap.accounts.totals("enterprise", "year")
    totals = totals[totals["year"].astype(str) == str(year)]
    totals = totals.assign(division=totals["sector"].astype(str).str[:2]).sort_values(
        ["division", "enterprise"]
    )
    rows = totals.to_dict("records")
    divisions = tuple(str(r["division"]) for r in rows)
    units = tuple(str(r["enterprise"]) for r in rows)

    def column(name: str) -> np.ndarray:
        return np.array([float(r[name]) for r in rows], dtype=float)

    history: dict[str, dict[int, float]] = {}
    for value in snap.values:
        if value.period is None and value.indicator in INDICATORS and value.year in full:
            history.setdefault(value.indicator, {})[value.year] = value.value
    reports = indicator_reports(engine)
    gdp = {  # reported in 亿元; the model runs in 万元
        year: value * WAN for year, value in reported_series(reports, "gdp_constant_2020").items()
    }
    # The base by the regional method (accounting/boundary.py), as tracking reads it: energy
    # and the net import are no plan indicators, so they come from the same totals directly.
    base_totals = snap.accounts.totals("base", "year")
    for record in base_totals.to_dict("records"):
        y = int(str(record["year"]))
        if y in full:
            history.setdefault("energy_consumption", {})[y] = (
                float(record["energy_consumption_tce"]) / WAN
            )
            history.setdefault("net_imported_electricity", {})[y] = float(
                record["net_imported_electricity_mwh"]
            )
            if y in gdp:
                history.setdefault("gdp", {})[y] = gdp[y]
    base_record = next(r for r in base_totals.to_dict("records") if int(str(r["year"])) == year)
    flows = _unit_flows(snap.accounts, year, units)
    reported = {k: v.get(year) for k, v in history.items()}
    if year not in gdp:
        raise NotFound(message("error.scenarios.no_gdp", year=year))
    division_floor, enterprise_floor = _benchmark_floor(snap, year)
    return BaseYear(
        benchmark_floor=division_floor,
        unit_floor=enterprise_floor,
        units=units,
        year=year,
        divisions=divisions,
        energy_tce=column("energy_consumption_tce"),
        combustion_co2_t=column("co2_combustion_t"),
        process_co2_t=column("co2_process_t"),
        heat_co2_t=column("co2_heat_t"),
        bought_mwh=flows["grid_in"].to_numpy(dtype=float),
        own_generation_mwh=flows["own_non_fossil_in"].to_numpy(dtype=float),
        green_mwh=flows["green_in"].to_numpy(dtype=float),
        fossil_supplied_mwh=flows["fossil_supplied"].to_numpy(dtype=float),
        delivered_mwh=flows["delivered"].to_numpy(dtype=float),
        coal_t=column("coal_t"),
        captured_t=float(base_record["co2_captured_t"]),
        boundary=_boundary(snap.accounts, year, flows, base_record),
        gdp_wan=gdp[year],
        new_energy_wkw=float(reported.get("new_energy_capacity") or 0.0),
        green_hydrogen_wt=float(reported.get("green_hydrogen_capacity") or 0.0),
        history=history,
        source=f"accounted base year {year}: factor set {snap.accounts.factor_set}, "
        f"data version {snap.version}",
    )


def _unit_flows(accounts: Accounts, year: int, units: tuple[str, ...]) -> pd.DataFrame:
    """Each enterprise's electricity flows (boundary.FLOWS) in ``year``, in ``units`` order;
    green power only where the factor set deducts it (market-based), as the base view does."""
    rows = accounts.rows
    flows = flows_by(rows[(rows["year"].astype(str) == str(year)).to_numpy()], ["enterprise"])
    flows = flows.reindex(list(units)).fillna(0.0)
    if accounts.factors.spec.green_power != "market_based":
        flows["green_in"] = 0.0
    return flows


def _boundary(
    accounts: Accounts, year: int, flows: pd.DataFrame, record: Mapping[Hashable, Any]
) -> Boundary:
    """The base's regional accounts in ``year`` and the factors its rule used that year."""
    # A copy: looking factors up must not add them to the account's lineage.
    factors = replace(accounts.factors, used={})
    residual = factors.residual_factor(year)
    calorific = factors.tce_per_unit(items()["electricity"])
    if calorific is None:
        raise NotFound(
            message("error.scenarios.no_electricity_ncv", factor_set=accounts.factor_set)
        )
    return Boundary(
        grid_factor=factors.electricity_factor(year).value,
        residual_factor=math.nan if residual is None else residual.value,
        grid_non_fossil_share=factors.grid_non_fossil_share(year).value,
        equivalent_tce_per_mwh=factors.equivalent_rate(year).value,
        calorific_tce_per_mwh=calorific.value,
        non_fossil_supplied_mwh=float(flows["non_fossil_supplied"].sum()),
        non_fossil_delivered_mwh=float(flows["delivered_non_fossil"].sum()),
        electricity_co2_t=float(record["co2_net_imported_electricity_t"]),
        energy_tce=float(record["energy_consumption_tce"]),
        energy_equivalent_tce=float(record["energy_consumption_equivalent_tce"]),
        non_fossil_tce=float(record["non_fossil_tce"]),
    )


def _benchmark_floor(
    snap: dashboard.Snapshot, year: int
) -> tuple[dict[str, float], dict[str, float]]:
    """Per division and per enterprise: Σ output × benchmark level / Σ output × actual unit
    energy over the products with a benchmark level (标杆水平) in ``year``, at most 1: how far
    efficiency can go."""
    if snap.accounts is None:
        return {}, {}
    products = unit_product_energy(snap.accounts)
    if products.empty:
        return {}, {}
    selected = products[
        (products["year"].astype(int) == year)
        & products["benchmark_level"].notna()
        & products["levels"].astype(str).str.startswith("ndrc_benchmark")
    ]
    sectors = {code: str(e["sector"])[:2] for code, e in snap.enterprises.items()}
    by_division: dict[str, list[float]] = {}
    by_enterprise: dict[str, list[float]] = {}
    for row in selected.to_dict("records"):
        enterprise = str(row["enterprise"])
        if enterprise not in sectors:
            continue
        benchmark = float(row["output_t"]) * float(row["benchmark_level"])
        actual = float(row["output_t"]) * float(row["unit_value"])
        for key, sums in ((sectors[enterprise], by_division), (enterprise, by_enterprise)):
            pair = sums.setdefault(key, [0.0, 0.0])
            pair[0] += benchmark
            pair[1] += actual

    def ratios(sums: dict[str, list[float]]) -> dict[str, float]:
        return {k: min(1.0, a / b) for k, (a, b) in sums.items() if b > 0}

    return ratios(by_division), ratios(by_enterprise)


@dataclass(frozen=True)
class ScenarioRun:
    scenario: Scenario
    base: BaseYear
    central: Projection  # the deterministic path
    draws: Projection  # the Monte Carlo trajectories
    size: int
    seed: int


def run(
    engine: Engine,
    plan: Plan,
    scenario_id: str,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    current: dashboard.Snapshot | None = None,
) -> ScenarioRun:
    return run_scenario(engine, plan, load_scenario(scenario_id), draws, seed, current)


def run_scenario(
    engine: Engine,
    plan: Plan,
    scenario: Scenario,
    draws: int,
    seed: int,
    current: dashboard.Snapshot | None = None,
) -> ScenarioRun:
    """:func:`run` for a scenario given as an object (a file's, or one with a project added)."""
    snap = current or dashboard.snapshot(engine, plan)
    base = base_year(engine, snap)
    return ScenarioRun(
        scenario=scenario,
        base=base,
        central=project(scenario, base, deterministic(scenario, base)),
        draws=project(scenario, base, sample(scenario, base, draws, seed)),
        size=draws,
        seed=seed,
    )


def summary(result: ScenarioRun, plan: Plan) -> dict[str, Any]:
    """Peak year and value, P(peak ≤ 2030), the peak-year distribution, target probabilities,
    and the fan (quantiles) of CO2 and energy with the central path."""
    scenario, base = result.scenario, result.base
    years, co2 = full_series(base, result.draws, "co2_emissions")
    _, central = full_series(base, result.central, "co2_emissions")
    peaks = peak_summary(
        peak(co2, years, scenario.peak_tolerance), peak(central, years, scenario.peak_tolerance)
    )
    fans = {}
    for indicator in ("co2_emissions", "energy_consumption", "energy_intensity_gdp"):
        indicator_years, series = full_series(base, result.draws, indicator)
        _, path = full_series(base, result.central, indicator)
        fans[indicator] = {
            "unit": INDICATORS[indicator],
            "quantiles": quantiles(indicator_years, series),
            "central": dict(zip(indicator_years, path[0].tolist(), strict=True)),
        }
    return {
        "scenario": scenario.id,
        "title_zh": scenario.title_zh,
        "title_en": scenario.title_en,
        "version": scenario.version,
        "parent": scenario.parent,
        "base_year": base.year,
        "anchored_to": base.source,
        "horizon": scenario.horizon,
        "draws": result.size,
        "seed": result.seed,
        "peak_unit": "万tCO2",
        **peaks,
        "targets": target_probabilities(plan, base, result.draws),
        "fan": fans,
        "note": "assumptions are the scenario file's; the base year and history are the store's",
    }


def compare(
    engine: Engine, plan: Plan, ids: list[str], draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED
) -> dict[str, Any]:
    """Several scenarios side by side: headline results, and the diff of their assumptions
    against the first."""
    runs = [load_scenario(i) for i in ids]
    summaries = [summary_for(engine, plan, i, draws, seed) for i in ids]
    return {
        "scenarios": [
            {k: s[k] for k in s if k not in ("fan", "peak_year_distribution")} for s in summaries
        ],
        "co2_2030": {
            s["scenario"]: next(
                q for q in s["fan"]["co2_emissions"]["quantiles"] if q["year"] == 2030
            )
            for s in summaries
        },
        "assumptions": [
            {
                "against": ids[0],
                "scenario": scenario.id,
                "differences": assumption_diff(runs[0], scenario),
            }
            for scenario in runs[1:]
        ],
    }


def summary_for(
    engine: Engine,
    plan: Plan,
    scenario_id: str,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
) -> dict[str, Any]:
    """A scenario's summary, computed once per data version (kept with the snapshot)."""
    snap = dashboard.snapshot(engine, plan)
    return dashboard.memoized(
        snap,
        ("scenario", scenario_id, draws, seed),
        lambda: summary(run(engine, plan, scenario_id, draws, seed, snap), plan),
    )


@dataclass(frozen=True)
class TargetOutlook:
    """A future target as a scenario projects it: the share of trajectories meeting it and the
    median projected value, in the target's own unit and domain (a reduction target in percent
    reduction from its baseline year, a share within [0, 100])."""

    target: str
    indicator: str
    year: int
    comparator: str
    value: float
    unit: str
    measure: str
    probability: float
    median: float
    scenario: str
    scenario_version: str
    base_year: int
    draws: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def target_outlook(
    engine: Engine,
    plan: Plan,
    scenario_id: str = REFERENCE_SCENARIO,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
) -> dict[str, TargetOutlook]:
    """For every target after the accounted base year whose indicator the model projects, keyed
    by target id: its probability and median in ``scenario_id`` (default the office's reference
    scenario). The same run, and so the same numbers, as the scenario page and the API."""
    result = summary_for(engine, plan, scenario_id, draws, seed)
    return {
        row["target"]: TargetOutlook(
            target=row["target"],
            indicator=row["indicator"],
            year=int(row["year"]),
            comparator=row["comparator"],
            value=float(row["value"]),
            unit=row["unit"],
            measure=row["measure"],
            probability=float(row["probability"]),
            median=float(row["median"]),
            scenario=result["scenario"],
            scenario_version=result["version"],
            base_year=int(result["base_year"]),
            draws=int(result["draws"]),
        )
        for row in result["targets"]
        if not row["actual"]
    }
