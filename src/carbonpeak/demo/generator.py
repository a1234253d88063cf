"""A deterministic synthetic Ningdong-like base: enterprises, monthly activity, reports, macro data.

Everything generated is SYNTHETIC and says so: names carry （合成）, every frame carries
``attrs["synthetic"] = True``, enterprises have ``synthetic = True``. The calibration lives in
``data/demo/ningdong-synthetic.yaml`` with the facts it follows (docs/sources.md §6).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import yaml

from carbonpeak.accounting import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from carbonpeak.demo.hydrogen import route_green_hydrogen
from carbonpeak.plan import Domain, Goal, Plan, Target

__all__ = [
    "SYNTHETIC_NOTE",
    "TELEMETRY_METERS",
    "DemoBase",
    "demo_task_progress",
    "generate",
    "last_full_month",
    "load_calibration",
    "telemetry_sample",
]

SYNTHETIC_NOTE = "合成演示数据，非真实企业数据 · synthetic demo data, not real enterprise data"
ACTIVITY_COLUMNS = [*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS]


@dataclass(frozen=True)
class DemoBase:
    """The synthetic base, as plain tables."""

    enterprises: pd.DataFrame  # id, credit_code, name_zh, name_en, sector, archetype, ...
    facilities: pd.DataFrame  # enterprise, facility, product, capacity, capacity_unit, commissioned
    activity: pd.DataFrame  # the accounting activity format, as text cells
    indicator_reports: pd.DataFrame  # indicator, year, value, unit, reporting_unit
    macro: pd.DataFrame  # year, gdp_current, gdp_constant_2020, industrial_value_added_constant
    months: tuple[str, ...]
    note: str = SYNTHETIC_NOTE


def load_calibration() -> dict[str, Any]:
    text = resources.files("carbonpeak").joinpath("data", "demo", "ningdong-synthetic.yaml")
    loaded: dict[str, Any] = yaml.safe_load(text.read_text("utf-8"))
    return loaded


def last_full_month(today: pd.Timestamp) -> str:
    """The latest month that has ended on ``today``."""
    return (today.to_period("M") - 1).strftime("%Y-%m")


def _months(start: str, end: str) -> list[str]:
    return [p.strftime("%Y-%m") for p in pd.period_range(start, end, freq="M")]


def _hours(month: str) -> int:
    year, number = int(month[:4]), int(month[5:])
    return 24 * calendar.monthrange(year, number)[1]


def _by_year(table: dict[int, float] | None, year: int, default: float) -> float:
    """The value for ``year`` in a sparse year table: the latest year at or before it."""
    if not table:
        return default
    known = [y for y in sorted(table) if y <= year]
    return float(table[known[-1]]) if known else default


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) < 1e6 else f"{value:.1f}"
    return str(value)


def _row(
    common: dict[str, str], item: str, role: str, quantity: float, unit: str, **optional: Any
) -> dict[str, str]:
    """One activity row as text cells; optional columns left out stay empty."""
    return {
        **common,
        "item": item,
        "role": role,
        "quantity": _cell(quantity),
        "unit": unit,
        **{k: _cell(v) for k, v in optional.items() if v is not None},
    }


def generate(end: str, plan: Plan | None = None) -> DemoBase:
    """Generate the base from the calibration's start month to ``end`` (``YYYY-MM``)."""
    calibration = load_calibration()
    months = _months(str(calibration["start"]), end)
    seasons = {
        k: np.asarray(v, dtype=float) / np.mean(v) for k, v in calibration["seasonality"].items()
    }
    turnaround_share = float(calibration["turnaround"]["month_share"])
    enterprises: list[dict[str, Any]] = []
    facilities: list[dict[str, Any]] = []
    rows: list[dict[str, str]] = []
    serial = 0
    for archetype in calibration["archetypes"]:
        count = int(archetype.get("count", len(archetype.get("capacities", []))))
        for index in range(count):
            serial += 1
            rng = np.random.default_rng([int(calibration["seed"]), serial])
            n = index + 1
            enterprise_id = f"demo_{archetype['key']}_{n}"
            commissioned = (archetype.get("commissioned") or [months[0]] * count)[index]
            if "capacities" in archetype:
                capacity = float(archetype["capacities"][index])
            else:
                low, high = archetype["size_range"]
                capacity = float(np.exp(rng.uniform(np.log(low), np.log(high))))
            enterprises.append(
                {
                    "id": enterprise_id,
                    "credit_code": f"91640000SYN{serial:06d}X",
                    "name_zh": archetype["name_zh"].format(n=n) + "（合成）",
                    "name_en": archetype["name_en"].format(n=n) + " (synthetic)",
                    "sector": archetype["sector"],
                    "archetype": archetype["key"],
                    "key_energy_unit": bool(archetype["key_energy_unit"]),
                    "synthetic": True,
                }
            )
            facility = f"{archetype['key']}_main"
            facilities.append(
                {
                    "enterprise": enterprise_id,
                    "facility": facility,
                    "product": archetype["driver"]["item"],
                    "capacity": capacity,
                    "capacity_unit": archetype["capacity_unit"],
                    "commissioned": commissioned,
                }
            )
            rows += _enterprise_rows(
                archetype,
                index,
                enterprise_id,
                facility,
                capacity,
                commissioned,
                months,
                seasons,
                turnaround_share,
                rng,
            )
    rows = route_green_hydrogen(rows, calibration["green_hydrogen_use"])
    activity = pd.DataFrame(rows, columns=ACTIVITY_COLUMNS, dtype=object).fillna("")
    activity.attrs["synthetic"] = True
    frames = (pd.DataFrame(enterprises), pd.DataFrame(facilities))
    for frame in frames:
        frame.attrs["synthetic"] = True
    years = sorted({int(m[:4]) for m in months if m[5:] == "12"})
    reports = _indicator_reports(calibration, frames[1], years, plan)
    macro = _macro(calibration, years)
    return DemoBase(frames[0], frames[1], activity, reports, macro, tuple(months))


def _enterprise_rows(
    archetype: dict[str, Any],
    index: int,
    enterprise: str,
    facility: str,
    capacity: float,
    commissioned: str,
    months: list[str],
    seasons: dict[str, np.ndarray],
    turnaround_share: float,
    rng: np.random.Generator,
) -> list[dict[str, str]]:
    driver = archetype["driver"]
    recipe = archetype["recipe"]
    season = seasons[archetype["seasonality"]]
    efficiency = (archetype.get("efficiency") or [1.0] * (index + 1))[index]
    growth = (archetype.get("growth_by_year") or {}).get(index)
    turnaround_month = (index * 5 + 3) % 12 + 1
    chemical = archetype["seasonality"] == "chemical"
    has_driver_line = any(
        line["item"] == driver["item"] and line["role"] == driver["role"] for line in recipe
    )
    rows: list[dict[str, str]] = []
    for month in months:
        if month < commissioned:
            continue
        year, number = int(month[:4]), int(month[5:])
        utilisation = _by_year(
            archetype.get("utilisation_by_year"), year, float(archetype.get("utilisation", 1.0))
        )
        scale = _by_year(growth, year, 1.0) * (1 + float(archetype.get("growth", 0.0))) ** (
            year - 2020
        )
        if archetype["capacity_unit"] == "MW":
            amount = capacity * _hours(month) * utilisation
        else:
            amount = capacity * utilisation / 12
        amount *= scale * season[number - 1] * rng.normal(1.0, 0.03)
        if chemical and number == turnaround_month:
            amount *= turnaround_share
        trend = (1 + float(archetype.get("efficiency_trend", 0.0))) ** (year - 2020)
        common = {
            "enterprise": enterprise,
            "facility": facility,
            "sector": archetype["sector"],
            "period": month,
        }
        if not has_driver_line:
            rows.append(_row(common, driver["item"], driver["role"], amount, driver["unit"]))
        for line in recipe:
            quantity = float(line["quantity"]) * amount
            if line["role"] == "energy_input":
                quantity *= efficiency * trend
            ncv = line.get("ncv")
            if ncv is not None and line["item"] != "green_hydrogen":
                ncv = float(ncv) * rng.normal(1.0, 0.015)
            # Part of the electricity may be bought with green certificates.
            green = _by_year(line.get("green_share_by_year"), year, 0.0)
            for share, certified in ((1 - green, ""), (green, "true")):
                if share > 0:
                    rows.append(
                        _row(
                            common,
                            line["item"],
                            line["role"],
                            quantity * share,
                            line["unit"],
                            purpose=line.get(
                                "purpose", "fuel" if line["role"] == "energy_input" else ""
                            ),
                            ncv=ncv,
                            ncv_unit=line.get("ncv_unit"),
                            carbon_content=line.get("carbon_content"),
                            carbon_content_unit=line.get("carbon_content_unit"),
                            parameters=line.get("parameters"),
                            green_certificate=certified,
                        )
                    )
        capture = archetype.get("capture")
        if capture:
            tonnes = _by_year(capture["tonnes_per_year"], year, 0.0) / 12
            if tonnes > 0:
                rows.append(
                    _row(
                        common,
                        capture["item"],
                        "co2_captured",
                        tonnes,
                        "t",
                        purpose=capture["purpose"],
                    )
                )
    return rows


def _indicator_reports(
    calibration: dict[str, Any], facilities: pd.DataFrame, years: list[int], plan: Plan | None
) -> pd.DataFrame:
    records: list[dict[str, Any]] = []
    for indicator, (first, last) in calibration["indicator_reports"].items():
        for year in years:
            share = min(max((year - 2020) / 5, 0.0), 1.2)
            records.append(
                {
                    "indicator": indicator,
                    "year": year,
                    "value": round(first + (last - first) * share, 2),
                }
            )
    # Capacities from the registry: (product, indicator, factor to the indicator's unit).
    capacity_by_product = (
        ("renewable_electricity", "new_energy_capacity", 0.1),  # MW → 万千瓦
        ("renewable_electricity", "pv_capacity", 0.1),  # the demo's new energy is all PV
        ("green_hydrogen", "green_hydrogen_capacity", 1e-4),  # t/a → 万t/年
        ("aluminium", "aluminium_capacity", 1e-4),
        ("clinker", "clinker_capacity", 1e-4),
    )
    for product, indicator, factor in capacity_by_product:
        installed = facilities[facilities["product"] == product]
        for year in years:
            online = installed[installed["commissioned"] <= f"{year}-12"]
            records.append(
                {
                    "indicator": indicator,
                    "year": year,
                    "value": round(float(online["capacity"].sum()) * factor, 2),
                }
            )
    reports = pd.DataFrame.from_records(records, columns=["indicator", "year", "value"])
    if plan is not None:
        units = {i.id: i.unit for i in plan.indicators}
        owners: dict[str, str] = {}
        owned: list[Target | Goal] = [*plan.targets, *plan.goals]
        for owner in owned:
            if owner.indicator is not None:
                owners.setdefault(owner.indicator, plan.responsible_units(owner)[0].name_zh)
        reports["unit"] = reports["indicator"].map(units)
        reports["reporting_unit"] = reports["indicator"].map(owners)
        # Counts (家, 台) are whole numbers: round half up.
        whole = {i.id for i in plan.indicators if i.domain is Domain.whole_number}
        counted = reports["indicator"].isin(whole)
        reports.loc[counted, "value"] = np.floor(reports.loc[counted, "value"] + 0.5)
    reports.attrs["synthetic"] = True
    return reports


def _macro(calibration: dict[str, Any], years: list[int]) -> pd.DataFrame:
    """GDP at current prices (the calibration's), and at constant 2020 prices as industrial
    value added plus the rest of the economy, each on its own real growth path."""
    macro = calibration["macro"]
    current = macro["gdp_current"]
    industry = float(macro["industrial_value_added_2020"])
    other = float(current[2020]) - industry
    records = []
    for year in years:
        if year > 2020:
            industry *= 1 + _by_year(macro["industrial_real_growth"], year, 0.07)
            other *= 1 + _by_year(macro["other_real_growth"], year, 0.06)
        records.append(
            {
                "year": year,
                "gdp_current": float(_by_year(current, year, float(current[max(current)]))),
                "gdp_constant_2020": round(industry + other, 2),
                "industrial_value_added_constant": round(industry, 2),
                "unit": "亿元",
            }
        )
    frame = pd.DataFrame.from_records(
        records,
        columns=[
            "year",
            "gdp_current",
            "gdp_constant_2020",
            "industrial_value_added_constant",
            "unit",
        ],
    )
    frame.attrs["synthetic"] = True
    return frame


# One meter each for five key energy-using units, and the fault each one shows (an assumption
# for demonstration: faults the online-monitoring quality rules must catch).
TELEMETRY_METERS = (
    ("demo_aluminium_1", "electricity", "clean", "2027-06-30"),
    ("demo_olefins_2", "electricity", "gap_two_days", "2027-03-31"),
    ("demo_methanol_1", "electricity", "missing_15_percent", "2027-01-31"),
    ("demo_ctl_1", "bituminous_coal", "bad_values_jitter_duplicates", "2027-05-31"),
    ("demo_coal_power_1", "bituminous_coal", "calibration_expired", "2026-06-30"),
)


def telemetry_sample(base: DemoBase, month: str) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Meters and one month of 15-minute readings whose totals match the month's reports,
    with a distinct fault per meter. Synthetic."""
    rng = np.random.default_rng(20231101)
    stamps = pd.date_range(pd.Timestamp(month), periods=_hours(month) * 4, freq="15min")
    activity = base.activity[
        (base.activity["period"] == month) & (base.activity["role"] == "energy_input")
    ]
    meters, readings = [], []
    for enterprise, item, fault, calibration_due in TELEMETRY_METERS:
        rows = activity[(activity["enterprise"] == enterprise) & (activity["item"] == item)]
        total = float(rows["quantity"].astype(float).sum())
        shape = (
            1
            + 0.08 * np.sin(np.arange(len(stamps)) * 2 * np.pi / 96)
            + rng.normal(0, 0.02, len(stamps))
        )
        values = total * shape / shape.sum()
        meter = f"{enterprise}_{item}_meter"
        meters.append(
            {
                "meter": meter,
                "enterprise": enterprise,
                "item": item,
                "interval_minutes": 15,
                "max_interval_value": float(values.max() * 3),
                "calibration_due": calibration_due,
            }
        )
        keep = np.ones(len(stamps), dtype=bool)
        times = list(stamps)
        if fault == "gap_two_days":
            keep[96 * 10 : 96 * 12] = False
        if fault == "missing_15_percent":
            keep &= rng.random(len(stamps)) > 0.15
        records: list[dict[str, Any]] = [
            {"meter": meter, "ts": times[i].isoformat(), "value": round(float(values[i]), 6)}
            for i in np.flatnonzero(keep)
        ]
        if fault == "bad_values_jitter_duplicates":
            for i in rng.choice(len(records), 3, replace=False):
                records[i]["value"] = -abs(records[i]["value"])
            for i in rng.choice(len(records), 2, replace=False):
                records[i]["value"] = records[i]["value"] * 100
            for i in rng.choice(len(records), len(records) // 20, replace=False):
                shifted = pd.Timestamp(records[i]["ts"]) + pd.Timedelta(minutes=3)
                records[i]["ts"] = shifted.isoformat()
            records += [dict(records[i]) for i in rng.choice(len(records), len(records) // 100)]
        for record in records:
            record["ts"] += "+08:00"  # Beijing time, as the monitoring specification stamps it
        readings += records
    frame = pd.DataFrame(meters)
    frame.attrs["synthetic"] = True
    return frame, readings


def demo_task_progress(plan: Plan, end: str) -> pd.DataFrame:
    """Quarterly progress reports on every task since 2024 by its lead unit; every seventh task
    stops reporting a year before ``end`` and every fifth misses its milestone. Synthetic."""
    rng = np.random.default_rng(20231101)
    quarters = [
        q
        for q in pd.period_range("2024Q1", pd.Period(end, "M").asfreq("Q"), freq="Q")
        if q.end_time.strftime("%Y-%m") <= end
    ]
    rows = []
    for index, (_, task) in enumerate(plan.tasks()):
        stop = len(quarters) - 4 if index % 7 == 3 else len(quarters)
        pace = rng.uniform(4, 9)
        for number, quarter in enumerate(quarters[:stop], start=1):
            percent = min(100.0, round(pace * number, 1))
            due = (quarter + 2).end_time.date()
            if index % 5 == 2 and number == stop:
                due = (quarter - 1).end_time.date()  # a milestone already missed
            rows.append(
                {
                    "task": task.id,
                    "unit": task.responsible_units[0],
                    "reported_on": quarter.end_time.date(),
                    "percent": percent,
                    "summary": f"第{number}季度推进情况（合成） · quarter {number} progress "
                    "(synthetic)",
                    "next_milestone": "下一节点（合成） next milestone (synthetic)",
                    "milestone_due": due,
                }
            )
    frame = pd.DataFrame(rows)
    frame.attrs["synthetic"] = True
    return frame
