"""The views of a snapshot the pages, the API, the CLI and the reports share: the overview of the
targets, energy and CO2 by division, sector or enterprise, the base's totals, the intensities
and an enterprise's accounts and benchmarks. Each is computed once per snapshot."""

from __future__ import annotations

from typing import Any

import pandas as pd

from carbonpeak.accounting import unit_product_energy
from carbonpeak.factors import load_dataset
from carbonpeak.messages import message
from carbonpeak.services.snapshots import Snapshot, memoized
from carbonpeak.tracking.method import tracking_method

__all__ = [
    "LEVELS",
    "SHOWN_METRICS",
    "STATUS_ORDER",
    "base_totals",
    "energy_carbon",
    "enterprise_accounts",
    "enterprise_benchmark",
    "intensities",
    "months_per_year",
    "overview",
    "records",
    "sector_names",
]

# The additive metrics the dashboard shows, in display order, with Chinese names.
SHOWN_METRICS: dict[str, str] = {
    "energy_consumption_tce": "能源消费量（不含原料用能）",
    "energy_gross_tce": "综合能源消费量",
    "feedstock_energy_tce": "原料用能",
    "coal_t": "煤炭消费量",
    "co2_net_t": "二氧化碳净排放",
    "co2_combustion_t": "燃料燃烧排放",
    "co2_process_t": "工业过程排放",
    "co2_indirect_t": "净购入电力热力排放",
    "co2_captured_t": "二氧化碳捕集",
}
LEVELS = ("division", "sector", "enterprise")
# Target statuses in display order, from the one vocabulary (data/methods/tracking.yaml).
STATUS_ORDER = tuple(tracking_method().statuses)


def sector_names() -> dict[str, tuple[str, str]]:
    """GB/T 4754 code → (Chinese, English) name, divisions and classes."""
    return {
        str(record.key): (str(record.name_zh), str(record.name_en or record.name_zh))
        for record in load_dataset("gbt4754").records
    }


def overview(snap: Snapshot) -> dict[str, Any]:
    """Every target with its status, current value, trajectory and clause; every goal."""
    plan = snap.plan
    targets = []
    for row in snap.targets:
        target = next(t for t in plan.targets if t.id == row["id"])
        targets.append(
            {
                **row,
                "quote": target.quote,
                "stated": target.stated,
                # The number the target is read by, in the target's unit (targets.py).
                "current_value": row["value"],
                "current_year": row["value_year"],
            }
        )
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for row in targets:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return {
        "plan": plan.version,
        "title_zh": plan.plan.title_zh,
        "data_version": snap.version,
        "computed_at": snap.computed_at.isoformat(timespec="seconds"),
        "synthetic": snap.synthetic,
        "note": snap.note,
        "status_counts": counts,
        "targets": targets,
        "goals": snap.goals,
    }


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as plain records, a missing value as None."""
    cleaned = frame.astype(object).where(frame.notna(), None)
    return [{str(k): v for k, v in row.items()} for row in cleaned.to_dict("records")]


def energy_carbon(
    snap: Snapshot,
    level: str = "division",
    frequency: str = "year",
    period: str | None = None,
) -> list[dict[str, Any]]:
    """Energy and CO2 by division, sector or enterprise, per year or month. ``period`` keeps one
    year (YYYY) or month (YYYY-MM); a year with monthly frequency keeps its months."""
    if level not in LEVELS:
        raise ValueError(message("error.views.level", levels=", ".join(LEVELS), found=repr(level)))
    rows = memoized(
        snap, ("energy_carbon", level, frequency), lambda: _energy_carbon(snap, level, frequency)
    )
    if period is None:
        return list(rows)
    if frequency == "month":
        return [r for r in rows if r["period"].startswith(period)]
    return [r for r in rows if r["period"] == period[:4]]


def _energy_carbon(snap: Snapshot, level: str, frequency: str) -> list[dict[str, Any]]:
    if snap.accounts is None:
        return []
    totals = snap.accounts.totals(level, "month" if frequency == "month" else "year")  # type: ignore[arg-type]
    time_column = "period" if frequency == "month" else "year"
    totals[time_column] = totals[time_column].astype(str)
    names = sector_names()
    months = months_per_year(snap)
    keys = [k for k in ("enterprise", "sector", "division") if k in totals.columns]
    frame = totals[[*keys, time_column, *SHOWN_METRICS]].rename(columns={time_column: "period"})
    rows = records(frame)
    for row in rows:
        code = str(row.get("division") or row.get("sector") or "")
        for key in keys:
            row[key] = str(row[key])
        if level == "enterprise":
            enterprise = snap.enterprises.get(row["enterprise"], {})
            row["name_zh"] = enterprise.get("name_zh", row["enterprise"])
            row["name_en"] = enterprise.get("name_en")
        else:
            row["name_zh"], row["name_en"] = names.get(code, (code, code))
        for metric in SHOWN_METRICS:
            row[metric] = float(row[metric]) if row[metric] is not None else None
        # A year still in progress says how many months it holds, so nobody reads it as a fall.
        row["months"] = months.get(row["period"][:4], 0) if frequency != "month" else 1
    return rows


def base_totals(snap: Snapshot) -> list[dict[str, Any]]:
    """The base's energy and CO2 per year by the regional method (accounting/boundary.py: direct
    emissions in the base + net imported electricity and heat − captured; not the sum of the
    divisions, which counts in-base power at the plant and at the user), with the months each
    year holds."""

    def total() -> list[dict[str, Any]]:
        if snap.accounts is None:
            return []
        months = months_per_year(snap)
        rows = []
        for row in snap.accounts.totals("base", "year").to_dict("records"):
            year = str(row["year"])
            rows.append(
                {"year": year, "months": months.get(year, 0)}
                | {metric: float(row[metric]) for metric in SHOWN_METRICS}
            )
        return sorted(rows, key=lambda r: str(r["year"]))

    return list(memoized(snap, ("base_totals",), total))


def months_per_year(snap: Snapshot) -> dict[str, int]:
    """How many months of accepted reports each year holds."""
    if snap.accounts is None:
        return {}
    rows = snap.accounts.rows

    def count() -> dict[str, int]:
        periods = pd.Series(rows["period"].astype(str).unique())
        return {str(k): int(v) for k, v in periods.str[:4].value_counts().items()}

    return memoized(snap, ("months_per_year",), count)


def intensities(snap: Snapshot) -> list[dict[str, Any]]:
    """Energy and CO2 intensity of GDP per year, and their change against 2020 (%)."""
    wanted = {"energy_intensity_gdp", "co2_intensity_gdp"}
    by_year: dict[int, dict[str, Any]] = {}
    for value in snap.values:
        if value.indicator in wanted and value.period is None:
            by_year.setdefault(value.year, {"year": value.year})[value.indicator] = value.value
    base = by_year.get(snap.plan.plan.base_year, {})
    rows = []
    for year in sorted(by_year):
        row = by_year[year]
        for indicator in ("energy_intensity_gdp", "co2_intensity_gdp"):
            current, reference = row.get(indicator), base.get(indicator)
            row.setdefault(indicator, None)
            row[f"{indicator}_vs_base_pct"] = (
                100 * (current / reference - 1) if current is not None and reference else None
            )
        rows.append(row)
    return rows


def enterprise_accounts(snap: Snapshot, code: str, frequency: str = "year") -> list[dict[str, Any]]:
    """One enterprise's accounts per year or month."""
    rows = energy_carbon(snap, "enterprise", frequency)
    return [row for row in rows if row["enterprise"] == code]


def enterprise_benchmark(snap: Snapshot, code: str) -> list[dict[str, Any]]:
    """Unit-product energy of the enterprise's facilities against the benchmark levels."""
    if snap.accounts is None:
        return []
    accounts = snap.accounts

    def by_enterprise() -> dict[str, list[dict[str, Any]]]:
        products = unit_product_energy(accounts)
        grouped: dict[str, list[dict[str, Any]]] = {}
        for row in [] if products.empty else records(products):
            grouped.setdefault(str(row["enterprise"]), []).append(row)
        return grouped

    return list(memoized(snap, ("benchmark",), by_enterprise).get(code, []))
