"""Plan indicators per year from the store, and every target's progress.

Accounted indicators come from the accepted monthly reports through the accounting engine (full
calendar years only) and the office's GDP statistics; reported indicators are the latest report
of each indicator and year. Every value keeps its source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from carbonpeak.accounting import (
    Accounts,
    account,
    benchmark_capacity_share,
    parse_activity,
    unit_product_energy,
)
from carbonpeak.plan import Measure, Plan, ValueSource
from carbonpeak.services.indicator_reports import indicator_reports, reported_series
from carbonpeak.services.submissions import accepted_activity
from carbonpeak.tracking import GoalCheck, assess, check_goal
from carbonpeak.units import WAN

__all__ = [
    "IndicatorValue",
    "accepted_accounts",
    "co2_decomposition_table",
    "indicator_values",
    "monthly_indicator_values",
    "track",
    "track_goals",
]


@dataclass(frozen=True)
class IndicatorValue:
    indicator: str
    year: int
    value: float
    unit: str
    source: str  # how it was obtained: "accounted: …" or "reported by …"
    period: str | None = None  # YYYY-MM for a monthly value; None for a year


def accepted_accounts(engine: Engine, factors: str = "ningxia") -> Accounts | None:
    """The accepted reports accounted with ``factors``, or None when there are none."""
    raw = accepted_activity(engine)
    if raw.empty:
        return None
    return account(parse_activity(raw, "accepted reports"), factors)


def _full_years(activity: pd.DataFrame) -> set[int]:
    months = activity.groupby("year", observed=True)["period"].nunique().to_dict()
    return {int(str(y)) for y, n in months.items() if n == 12}


def indicator_values(
    engine: Engine, plan: Plan, factors: str = "ningxia", accounts: Accounts | None = None
) -> list[IndicatorValue]:
    """Every indicator value the store supports, per year; ``accounts`` saves accounting the
    accepted reports again when the caller already has."""
    values: list[IndicatorValue] = []
    reports = indicator_reports(engine)
    if not reports.empty:
        latest = reports.drop_duplicates(["indicator", "year"], keep="last")
        units = {i.id: i for i in plan.indicators}
        for row in latest.to_dict("records"):
            indicator = str(row["indicator"])
            if indicator in units:
                values.append(
                    IndicatorValue(
                        indicator,
                        int(row["year"]),
                        float(row["value"]),
                        str(row["unit"]),
                        f"reported by {row['reporting_unit']}",
                    )
                )
    result = accounts if accounts is not None else accepted_accounts(engine, factors)
    if result is None:
        return values
    years = _full_years(result.rows)
    base: dict[int, dict[Any, Any]] = {
        int(r["year"]): r for r in result.totals("base", "year").to_dict("records")
    }
    divisions: dict[tuple[int, str], dict[Any, Any]] = {
        (int(r["year"]), str(r["division"])): r
        for r in result.totals("division", "year").to_dict("records")
    }
    gdp = reported_series(reports, "gdp_constant_2020")
    industry = reported_series(reports, "industrial_value_added_constant")
    source = f"accounted: factor set {result.factor_set}, accepted reports"
    products = unit_product_energy(result)
    benchmark = (
        products[products["levels"].str.startswith("ndrc_benchmark")]
        if not products.empty
        else products
    )
    shares = benchmark_capacity_share(benchmark) if not benchmark.empty else pd.DataFrame()
    share_of = {
        "coking_benchmark_capacity_share": "coke",
        "methanol_benchmark_capacity_share": "methanol",
        "olefins_benchmark_capacity_share": "olefins",
        "ethylene_glycol_benchmark_capacity_share": "ethylene_glycol",
    }
    unit_energy_of = {
        "calcium_carbide_unit_energy": "calcium_carbide",
        "methanol_unit_energy": "methanol",
    }
    for year in sorted(years):
        totals = base[year]

        def add(
            indicator: str, value: float, unit: str, note: str = source, year: int = year
        ) -> None:
            values.append(IndicatorValue(indicator, year, float(value), unit, note))

        add("co2_emissions", totals["co2_net_t"] / WAN, "万tCO2")
        add("coal_consumption", totals["coal_t"] / WAN, "万t")
        add("co2_utilisation", totals["co2_utilised_t"] / WAN, "万t")
        add("non_fossil_share", totals["non_fossil_share_pct"], "percent")
        add("supply_coal_rate", totals["supply_coal_rate_gce_per_kwh"], "gce/kWh")
        for indicator, division in (
            ("nonferrous_co2_emissions", "32"),
            ("cement_co2_emissions", "30"),
        ):
            if (year, division) in divisions:
                add(indicator, divisions[(year, division)]["co2_net_t"] / WAN, "万tCO2")
        if year in gdp:
            gdp_wan = gdp[year] * WAN  # 亿元 → 万元
            note = f"{source}; GDP at constant 2020 prices reported by the office"
            add(
                "energy_intensity_gdp", totals["energy_consumption_tce"] / gdp_wan, "tce/万元", note
            )
            add("co2_intensity_gdp", totals["co2_net_t"] / gdp_wan, "tCO2/万元", note)
        if year in industry:
            add(
                "industrial_energy_intensity",
                totals["energy_consumption_tce"] / (industry[year] * WAN),
                "tce/万元",
                f"{source}; industrial value added at constant 2020 prices",
            )
        for indicator, product in share_of.items():
            share_rows = (
                shares[(shares["product"] == product) & (shares["year"] == year)]
                if not shares.empty
                else shares
            )
            if len(share_rows):
                add(
                    indicator,
                    share_rows["share_pct"].iloc[0],
                    "percent",
                    f"{source}; {share_rows['weighting'].iloc[0]}-weighted, "
                    "share at ndrc_benchmark@2023",
                )
        for indicator, product in unit_energy_of.items():
            product_rows = (
                benchmark[(benchmark["product"] == product) & (benchmark["year"] == year)]
                if not benchmark.empty
                else benchmark
            )
            if len(product_rows):
                weighted = (
                    product_rows["unit_value"] * product_rows["output_t"]
                ).sum() / product_rows["output_t"].sum()
                add(indicator, weighted, "kgce/t", f"{source}; output-weighted")
    return values


def track(
    engine: Engine, plan: Plan, year: int | None = None, values: list[IndicatorValue] | None = None
) -> list[dict[str, Any]]:
    """Every quantitative target with its status and the numbers behind it."""
    values = values if values is not None else indicator_values(engine, plan)
    rows = []
    for target in plan.targets:
        indicator = plan.indicator(target.indicator)
        series = {
            v.year: v.value
            for v in values
            if v.indicator == target.indicator and (year is None or v.year <= year)
        }
        sources = sorted({v.source for v in values if v.indicator == target.indicator})
        if target.measure is Measure.reduction_from_baseline:
            base_year = target.baseline_year or plan.plan.base_year
            if base_year not in series:
                assessment = assess({}, target.value, target.year, "decrease")
                level = None
            else:
                level = series[base_year] * (1 - target.value / 100)
                assessment = assess(series, level, target.year, "decrease", "le", base_year)
        else:
            level = target.value
            assessment = assess(
                series,
                target.value,
                target.year,
                indicator.direction.value,
                target.comparator.value,
            )
        if not series:
            reason = (
                "no "
                + ("accounted" if indicator.value_source is ValueSource.accounted else "reported")
                + " values yet"
            )
            assessment = type(assessment)(
                assessment.status, reason, target_year=target.year, target_value=level
            )
        reduction = None
        relative = target.measure is Measure.reduction_from_baseline
        if relative and assessment.latest_value is not None and assessment.base_value:
            reduction = 100 * (1 - assessment.latest_value / assessment.base_value)
        rows.append(
            {
                "id": target.id,
                "indicator": target.indicator,
                "name_zh": indicator.name_zh,
                "name_en": indicator.name_en,
                "clause": target.clause,
                "year": target.year,
                "comparator": target.comparator.value,
                "target": target.value,
                "target_unit": target.unit,
                "target_level": level,
                "unit": indicator.unit,
                "lead_unit": plan.responsible_units(target)[0].name_zh,
                "series": {str(k): round(v, 6) for k, v in sorted(series.items())},
                "sources": sources,
                "achieved_reduction_pct": reduction,
                **assessment.as_dict(),
            }
        )
    return rows


# Goals whose check needs records the platform does not hold yet, and what is missing.
_NEEDS = {
    "new_projects_at_benchmark": "energy-review records of new projects",
    "monitoring_coverage": "data-centre energy use and monitoring enrolment",
    "external_target": "the target the autonomous region sets",
}


def track_goals(
    engine: Engine, plan: Plan, year: int | None = None, values: list[IndicatorValue] | None = None
) -> list[dict[str, Any]]:
    """Every checkable qualitative goal with its status and reasoning."""
    values = values if values is not None else indicator_values(engine, plan)
    rows = []
    for goal in plan.goals:
        series = {
            v.year: v.value
            for v in values
            if v.indicator == goal.indicator and (year is None or v.year <= year)
        }
        if goal.kind.value in _NEEDS:
            check = GoalCheck("not_assessable", f"needs {_NEEDS[goal.kind.value]}")
        else:
            check = check_goal(goal.kind.value, series, goal.start_year, goal.end_year)
        rows.append(
            {
                "id": goal.id,
                "kind": goal.kind.value,
                "indicator": goal.indicator,
                "clause": goal.clause,
                "quote": goal.quote,
                "description_en": goal.description_en,
                "start_year": goal.start_year,
                "end_year": goal.end_year,
                "lead_unit": plan.responsible_units(goal)[0].name_zh,
                "series": {str(k): round(v, 6) for k, v in sorted(series.items())},
                "status": check.status,
                "reasoning": check.reasoning,
            }
        )
    return rows


def co2_decomposition_table(engine: Engine, factors: str = "ningxia") -> pd.DataFrame:
    """The base's combustion CO2 of each full year as a five-factor LMDI table over GB/T 4754
    divisions × fuels: activity (GDP at constant 2020 prices, 万元), energy intensity (tce/万元),
    structure (the division's share of fuel energy), fuel mix (the fuel's share within the
    division) and emission factor (tCO2/tce). Sector value added is not collected, so structure
    is by energy share. Process and purchased-energy CO2 are not in the identity."""
    result = accepted_accounts(engine, factors)
    reports = indicator_reports(engine)
    if result is None or reports.empty:
        return pd.DataFrame(columns=["period", "subcategory", "factor", "value"])
    activity = result.rows
    gdp = {
        year: value * WAN for year, value in reported_series(reports, "gdp_constant_2020").items()
    }
    years = sorted(_full_years(activity) & set(gdp))
    rows = pd.DataFrame(
        {
            "year": activity["year"].astype(int),
            "division": activity["sector"].astype(str).str.slice(0, 2),
            "item": activity["item"].astype(str),
            "energy": result.contributions["fuel_energy_tce"],
            "co2": result.contributions["co2_combustion_t"],
        }
    )
    cells = (
        rows[rows["year"].isin(years)]
        .groupby(["year", "division", "item"])[["energy", "co2"]]
        .sum()
        .reset_index()
    )
    cells = cells[(cells["energy"] > 0) & (cells["co2"] > 0)]
    records = []
    for year, group in cells.groupby("year"):
        total = float(group["energy"].sum())
        by_division = group.groupby("division")["energy"].sum().to_dict()
        for row in group.to_dict("records"):
            cell = f"{row['division']}|{row['item']}"
            energy_i = float(by_division[row["division"]])
            for factor, value in (
                ("activity", gdp[int(str(year))]),
                ("intensity", total / gdp[int(str(year))]),
                ("structure", energy_i / total),
                ("fuel_mix", float(row["energy"]) / energy_i),
                ("emission_factor", float(row["co2"]) / float(row["energy"])),
            ):
                records.append(
                    {"period": str(year), "subcategory": cell, "factor": factor, "value": value}
                )
    table = pd.DataFrame(records, columns=["period", "subcategory", "factor", "value"])
    # A cell absent in some year enters as zero energy share there (LMDI's zero limits apply).
    if not table.empty:
        full = pd.MultiIndex.from_product(
            [
                sorted(table["period"].unique()),
                sorted(table["subcategory"].unique()),
                ["activity", "intensity", "structure", "fuel_mix", "emission_factor"],
            ],
            names=["period", "subcategory", "factor"],
        )
        table = table.set_index(["period", "subcategory", "factor"]).reindex(full)
        table["value"] = table["value"].fillna(0.0)
        table = table.reset_index()
    return table


# Accounted indicators that mean something for a single month: (indicator, metric, scale, unit).
MONTHLY_INDICATORS = (
    ("co2_emissions", "co2_net_t", 1 / WAN, "万tCO2"),
    ("coal_consumption", "coal_t", 1 / WAN, "万t"),
    ("co2_utilisation", "co2_utilised_t", 1 / WAN, "万t"),
    ("non_fossil_share", "non_fossil_share_pct", 1.0, "percent"),
    ("supply_coal_rate", "supply_coal_rate_gce_per_kwh", 1.0, "gce/kWh"),
)


def monthly_indicator_values(engine: Engine, factors: str = "ningxia") -> list[IndicatorValue]:
    """Accounted indicators per month (periods as ``YYYY-MM``; ``year`` holds the year)."""
    result = accepted_accounts(engine, factors)
    if result is None:
        return []
    source = f"accounted: factor set {result.factor_set}, accepted reports"
    values = []
    for row in result.totals("base", "month").to_dict("records"):
        period = str(row["period"])
        for indicator, metric, scale, unit in MONTHLY_INDICATORS:
            value = row[metric]
            if value == value:  # NaN where a ratio has no denominator that month
                values.append(
                    IndicatorValue(
                        indicator,
                        int(period[:4]),
                        float(value) * scale,
                        unit,
                        source,
                        period,
                    )
                )
    return values
