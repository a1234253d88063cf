"""What the dashboard and the API show: one snapshot of the base's accounts, indicator values and
target statuses per data version, and the views built from it.

A snapshot is recomputed only when the data change: its key is the audit log's head, and every
change to the store (reports, reviews, indicator reports, task progress, budgets, accounts)
appends to the audit log. Telemetry quality reads the Parquet store directly and is not cached.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any, TypeVar, cast

import numpy as np
import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from carbonpeak.accounting import (
    ADDITIVE_METRICS,
    METHODS,
    Accounts,
    lineage,
    unit_product_energy,
)
from carbonpeak.demo import SYNTHETIC_NOTE
from carbonpeak.errors import NotFound
from carbonpeak.factors import load_dataset
from carbonpeak.plan import Plan
from carbonpeak.services.indicators import (
    IndicatorValue,
    accepted_accounts,
    assessment_values,
    indicator_values,
    track,
    track_goals,
)
from carbonpeak.services.refreshing import Refreshing, snapshot_version
from carbonpeak.services.telemetry import quality_report
from carbonpeak.storage import AuditEntryRow, EnterpriseRow, SubmissionRow, TelemetryStore
from carbonpeak.tracking.formulas import formulas
from carbonpeak.tracking.method import tracking_method

__all__ = [
    "LEVELS",
    "SHOWN_METRICS",
    "Snapshot",
    "base_totals",
    "data_version",
    "energy_carbon",
    "enterprise_accounts",
    "enterprise_benchmark",
    "intensities",
    "lineage_view",
    "memoized",
    "months_per_year",
    "overview",
    "quality",
    "sector_names",
    "snapshot",
    "submission_list",
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


@dataclass(frozen=True)
class Snapshot:
    """The base at one data version: accounts, indicator values, targets and goals."""

    version: int
    plan: Plan
    accounts: Accounts | None
    values: list[IndicatorValue]
    targets: list[dict[str, Any]]
    goals: list[dict[str, Any]]
    synthetic: bool
    computed_at: datetime
    enterprises: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Views computed from this snapshot, kept with it: it never changes, so neither do they.
    memo: dict[tuple[object, ...], Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def note(self) -> str | None:
        return SYNTHETIC_NOTE if self.synthetic else None


T = TypeVar("T")
_snapshots: Refreshing[Snapshot] = Refreshing()


_memo_lock = threading.RLock()  # re-entrant: one view may be computed from another


def memoized(snap: Snapshot, key: tuple[object, ...], compute: Callable[[], T]) -> T:
    """A view of the snapshot, computed once: concurrent first callers wait for the one that
    computes it instead of all computing it."""
    if key in snap.memo:
        return cast(T, snap.memo[key])
    with _memo_lock:
        if key not in snap.memo:
            snap.memo[key] = compute()
        return cast(T, snap.memo[key])


def data_version(engine: Engine) -> int:
    """The audit log's head: it moves with every change to the store."""
    with Session(engine) as session:
        return int(session.scalar(select(func.coalesce(func.max(AuditEntryRow.seq), 0))) or 0)


def _enterprise_registry(engine: Engine) -> dict[str, dict[str, Any]]:
    with Session(engine) as session:
        return {
            r.code: {
                "code": r.code,
                "name_zh": r.name_zh,
                "name_en": r.name_en,
                "sector": r.sector_code,
                "key_energy_unit": r.key_energy_unit,
                "synthetic": r.synthetic,
                "credit_code": r.credit_code,
            }
            for r in session.scalars(select(EnterpriseRow).order_by(EnterpriseRow.code))
        }


def snapshot(engine: Engine, plan: Plan) -> Snapshot:
    """The current snapshot, computed at most once per data version, plan and day (a target's
    status depends on the date it is judged on; thread-safe); while one caller rebuilds it, the
    others get the previous one (services/refreshing.py)."""
    key = (engine.url.render_as_string(hide_password=True), plan.version)
    version = snapshot_version(engine)
    return _snapshots.get(
        (*key, date.today()), version, lambda: _build_snapshot(engine, plan, version)
    )


def _build_snapshot(engine: Engine, plan: Plan, version: int) -> Snapshot:
    accounts = accepted_accounts(engine)
    values = indicator_values(engine, plan, accounts=accounts)
    registry = _enterprise_registry(engine)
    provisional = Snapshot(
        version=version,
        plan=plan,
        accounts=accounts,
        values=values,
        targets=[],
        goals=track_goals(engine, plan, None, values),
        synthetic=any(e["synthetic"] for e in registry.values()),
        computed_at=datetime.now(UTC),
        enterprises=registry,
    )
    # Imported here: the outlooks run scenarios, which read snapshots of this module.
    from carbonpeak.services.outlooks import scenario_outlooks

    outlooks = scenario_outlooks(engine, plan, provisional)
    return replace(
        provisional,
        targets=track(engine, plan, None, values, outlooks=outlooks),
        memo=provisional.memo,
    )


def targets_for_year(engine: Engine, snap: Snapshot, year: int) -> list[dict[str, Any]]:
    """The targets as a report of ``year`` states them: the snapshot's own (the overview's, the
    API's) when ``year`` is the latest year with values, else as known on that year's
    assessment date, so a past year's report does not change when later data arrive."""
    latest = max((v.year for v in snap.values if v.period is None), default=None)
    if latest is None or year >= latest:
        return snap.targets
    cut, values = assessment_values(engine, snap.plan, year, snap.accounts)
    return track(engine, snap.plan, year, values, as_of=cut)


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


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
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
        raise ValueError(f"level: expected one of {', '.join(LEVELS)}; found {level!r}")
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
    rows = _records(frame)
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
        for row in [] if products.empty else _records(products):
            grouped.setdefault(str(row["enterprise"]), []).append(row)
        return grouped

    return list(memoized(snap, ("benchmark",), by_enterprise).get(code, []))


_quality_cache: dict[tuple[object, ...], list[dict[str, Any]]] = {}
QUALITY_CACHE_SIZE = 256
_quality_lock = threading.Lock()


def quality(
    engine: Engine,
    store: TelemetryStore,
    enterprise: str | None = None,
    month: str | None = None,
    level: str = "enterprise",
) -> list[dict[str, Any]]:
    """Monitoring data quality (``quality_report``) as records, recomputed only when the stored
    readings or the store's data (meters, reports) change."""
    key = (
        engine.url.render_as_string(hide_password=True),
        str(store.root),
        store.version(),
        data_version(engine),
        enterprise,
        month,
        level,
    )
    records = _quality_cache.get(key)
    if records is None:
        with _quality_lock:  # one computes; the others wait for it rather than all computing
            records = _quality_cache.get(key)
            if records is None:
                frame = quality_report(engine, store, enterprise, month, level)
                records = [] if frame.empty else _records(frame)
                if len(_quality_cache) >= QUALITY_CACHE_SIZE:
                    _quality_cache.pop(next(iter(_quality_cache)))
                _quality_cache[key] = records
    return list(records)


def submission_list(
    engine: Engine,
    enterprise: str | None = None,
    state: str | None = None,
    period: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[int, list[dict[str, Any]]]:
    """Submissions, newest first: (total matching, one page)."""
    with Session(engine) as session:
        query = select(SubmissionRow, EnterpriseRow.code).join(
            EnterpriseRow, EnterpriseRow.id == SubmissionRow.enterprise_id
        )
        if enterprise is not None:
            query = query.where(EnterpriseRow.code == enterprise)
        if state is not None:
            query = query.where(SubmissionRow.state == state)
        if period is not None:
            query = query.where(SubmissionRow.period.startswith(period))
        total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
        page = session.execute(
            query.order_by(SubmissionRow.period.desc(), SubmissionRow.id.desc())
            .offset(offset)
            .limit(limit)
        ).all()
        return total, [
            {
                "id": row.id,
                "enterprise": code,
                "period": row.period,
                "version": row.version,
                "state": row.state,
                "source": row.source,
                "content_sha256": row.content_sha256,
                "created_by": row.created_by,
                "created_at": row.created_at.isoformat(timespec="seconds")
                if row.created_at
                else None,
                "reason": row.reason,
                "review_note": row.review_note,
            }
            for row, code in page
        ]


def lineage_view(
    snap: Snapshot,
    *,
    indicator: str | None = None,
    year: int | None = None,
    enterprise: str | None = None,
    period: str | None = None,
    level: str | None = None,
    key: str | None = None,
) -> dict[str, Any]:
    """Where a number comes from. Three kinds of number:

    - an indicator value (``indicator`` and ``year``): its source, and for accounted values the
      factor set, methods and reference values with their status, and each enterprise's share;
    - an enterprise's account (``enterprise`` and ``period``, YYYY or YYYY-MM): every input row
      with the reference values it used (the accounting engine's lineage);
    - a division's or sector's total (``level``, ``key`` and ``period``): the enterprises in it.
    """
    if indicator is not None:
        return _indicator_lineage(snap, indicator, year)
    if snap.accounts is None:
        raise NotFound("no accepted reports: nothing has been accounted")
    if enterprise is not None:
        trail = lineage(snap.accounts, enterprise, period)
        return {"kind": "enterprise_account", "enterprise": enterprise, "period": period, **trail}
    if level in ("division", "sector") and key is not None:
        rows = energy_carbon(snap, "enterprise", "month" if period and len(period) == 7 else "year")
        members = [
            r
            for r in rows
            if (r["sector"].startswith(key) if level == "division" else r["sector"] == key)
            and (period is None or r["period"] == period)
        ]
        if not members:
            raise NotFound(f"no accounts for {level} {key!r} in {period or 'any period'}")
        return {
            "kind": "group_total",
            "level": level,
            "key": key,
            "period": period,
            "factor_set": snap.accounts.factor_set,
            "methods": METHODS,
            "units": {k: unit for k, (unit, _) in ADDITIVE_METRICS.items()},
            "totals": {m: float(sum(r[m] or 0 for r in members)) for m in SHOWN_METRICS},
            "members": members,
        }
    raise NotFound("name an indicator and year, an enterprise and period, or a level and key")


def _formula(indicator: str) -> dict[str, Any] | None:
    """How an accounted indicator is computed, from the formula table."""
    table = formulas()
    formula = table.formulas.get(indicator)
    if formula is None:
        return None
    return {"table": table.version, "kind": formula.kind, "zh": formula.zh, "en": formula.en}


def _indicator_lineage(snap: Snapshot, indicator: str, year: int | None) -> dict[str, Any]:
    matches = [v for v in snap.values if v.indicator == indicator and v.period is None]
    if year is not None:
        matches = [v for v in matches if v.year == year]
    if not matches:
        raise NotFound(f"no value of {indicator!r} for {year or 'any year'}")
    plan = snap.plan
    meta = next((i for i in plan.indicators if i.id == indicator), None)
    result: dict[str, Any] = {
        "kind": "indicator_value",
        "indicator": indicator,
        "name_zh": meta.name_zh if meta else indicator,
        "name_en": meta.name_en if meta else indicator,
        "description": meta.description if meta else None,
        "formula": _formula(indicator),
        "values": [
            {"year": v.year, "value": v.value, "unit": v.unit, "source": v.source}
            for v in sorted(matches, key=lambda v: v.year)
        ],
        "targets": [
            {"id": t.id, "year": t.year, "clause": t.clause, "quote": t.quote}
            for t in plan.targets
            if t.indicator == indicator
        ],
    }
    accounted = any(v.source.startswith("accounted") for v in matches)
    if accounted and snap.accounts is not None:
        accounts = snap.accounts
        years = {str(v.year) for v in matches}
        by_enterprise = accounts.totals("enterprise", "year")
        by_enterprise = by_enterprise[by_enterprise["year"].astype(str).isin(years)]
        result.update(
            {
                "factor_set": accounts.factor_set,
                "datasets": accounts.factors.datasets(),
                "methods": METHODS,
                "factors": accounts.factor_values(),
                "input_rows": int(np.sum(accounts.rows["year"].astype(str).isin(years))),
                "enterprises": [
                    {
                        "enterprise": str(r["enterprise"]),
                        "year": str(r["year"]),
                        "energy_consumption_tce": float(r["energy_consumption_tce"]),
                        "co2_net_t": float(r["co2_net_t"]),
                    }
                    for r in by_enterprise.to_dict("records")
                ],
            }
        )
    return result
