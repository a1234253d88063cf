"""Plan indicators per year from the store, and every target's progress: the store is read
here, the rules are the core's (:mod:`carbonpeak.tracking`).

Accounted indicators come from the accepted monthly reports through the accounting engine (full
calendar years only) and the office's statistics; reported indicators are the latest report of
each indicator and year. Every value keeps its source.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from carbonpeak.accounting import Accounts, account, parse_activity
from carbonpeak.plan import Plan
from carbonpeak.services.indicator_reports import indicator_reports, reported_series
from carbonpeak.services.registry import facility_capacities
from carbonpeak.services.submissions import accepted_activity
from carbonpeak.tracking import targets as core_targets
from carbonpeak.tracking.indicators import (
    IndicatorValue,
    accounted_values,
    full_years,
    latest_reports,
    reported_values,
)
from carbonpeak.tracking.method import assessment_date
from carbonpeak.tracking.targets import ScenarioOutlook
from carbonpeak.units import WAN

__all__ = [
    "IndicatorValue",
    "accepted_accounts",
    "assessment_values",
    "co2_decomposition_table",
    "indicator_values",
    "monthly_indicator_values",
    "track",
    "track_goals",
]


def accepted_accounts(engine: Engine, factors: str = "ningxia") -> Accounts | None:
    """The accepted reports accounted with ``factors``, or None when there are none."""
    raw = accepted_activity(engine)
    if raw.empty:
        return None
    return account(parse_activity(raw, "accepted reports"), factors)


def _full_years(activity: pd.DataFrame) -> set[int]:
    return full_years(activity)


def indicator_values(
    engine: Engine,
    plan: Plan,
    factors: str = "ningxia",
    accounts: Accounts | None = None,
    received_by: datetime | None = None,
) -> list[IndicatorValue]:
    """Every indicator value the store supports, per year; ``accounts`` saves accounting the
    accepted reports again when the caller already has; ``received_by`` keeps only the reports
    received by then (an assessment's cut-off)."""
    latest = latest_reports(indicator_reports(engine), received_by)
    values = reported_values(plan, latest)
    result = accounts if accounts is not None else accepted_accounts(engine, factors)
    if result is None:
        return values
    return values + accounted_values(plan, result, latest, facility_capacities(engine))


def track(
    engine: Engine,
    plan: Plan,
    year: int | None = None,
    values: list[IndicatorValue] | None = None,
    as_of: date | None = None,
    outlooks: Mapping[str, ScenarioOutlook] | None = None,
) -> list[dict[str, Any]]:
    """Every quantitative target with its status and the numbers behind it, judged on ``as_of``
    (today by default; a year's assessment date for that year's assessment)."""
    values = values if values is not None else indicator_values(engine, plan)
    return core_targets.track_targets(plan, values, as_of or date.today(), outlooks, year)


def track_goals(
    engine: Engine, plan: Plan, year: int | None = None, values: list[IndicatorValue] | None = None
) -> list[dict[str, Any]]:
    """Every checkable qualitative goal with its status and reasoning."""
    values = values if values is not None else indicator_values(engine, plan)
    return core_targets.track_goals(plan, values, year)


def assessment_values(
    engine: Engine, plan: Plan, year: int, accounts: Accounts | None = None
) -> tuple[date, list[IndicatorValue]]:
    """The assessment date of ``year`` (today, while it has not come) and the indicator values
    known on it."""
    cut = min(assessment_date(year), date.today())
    received_by = datetime.combine(cut, time.max, tzinfo=UTC)
    return cut, indicator_values(engine, plan, accounts=accounts, received_by=received_by)


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
