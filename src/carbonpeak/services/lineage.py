"""Where a number comes from: an indicator value, an enterprise's account or a group's total,
traced to its inputs, methods and reference values."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal
from urllib.parse import urlencode

import numpy as np

from carbonpeak.accounting import ADDITIVE_METRICS, METHODS, lineage
from carbonpeak.errors import NotFound
from carbonpeak.messages import message
from carbonpeak.services.snapshots import Snapshot
from carbonpeak.services.views import SHOWN_METRICS, energy_carbon
from carbonpeak.tracking.formulas import formulas

__all__ = ["LineageSelection", "lineage_href", "lineage_view"]


@dataclass(frozen=True)
class LineageSelection:
    """Which number to trace (``lineage_view`` says what each combination means); the pages
    and the API take it as query parameters."""

    indicator: str | None = None
    year: int | None = None
    enterprise: str | None = None
    period: str | None = None
    level: Literal["division", "sector"] | None = None
    key: str | None = None

    def fields(self) -> dict[str, Any]:
        return asdict(self)


def lineage_href(**selection: Any) -> str:
    """The lineage page of a number, e.g. ``lineage_href(enterprise=code, period="2023")``.

    >>> lineage_href(level="division", key="26", period="2023")
    '/lineage?period=2023&level=division&key=26'
    """
    chosen = {k: v for k, v in LineageSelection(**selection).fields().items() if v is not None}
    return "/lineage?" + urlencode(chosen)


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
        raise NotFound(message("error.lineage.nothing_accounted"))
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
            raise NotFound(
                message(
                    "error.lineage.no_accounts",
                    level=level,
                    key=repr(key),
                    period=period or message("error.any_period"),
                )
            )
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
    raise NotFound(message("error.lineage.what"))


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
        raise NotFound(
            message(
                "error.lineage.no_value",
                indicator=repr(indicator),
                year=year or message("error.any_year"),
            )
        )
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
