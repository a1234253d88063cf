"""Lineage: the inputs, methods and reference values behind an accounted result.

Each input row's contributions and sources come from the method table (``methods.RULES``), the
same rules the engine runs: a row lists the sources of the factors of every rule applying to it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbonpeak.accounting.boundary import BOUNDARY_METRICS, base_lineage
from carbonpeak.accounting.catalogue import items
from carbonpeak.accounting.engine import Accounts
from carbonpeak.accounting.methods import as_frame, contributions, row_sources
from carbonpeak.accounting.metrics import ADDITIVE_METRICS, METHODS, with_derived
from carbonpeak.accounting.rows import Rows
from carbonpeak.errors import NotFound
from carbonpeak.messages import message

__all__ = ["lineage"]


def _selection(
    rows: pd.DataFrame, enterprise: str | None, period: str | None, facility: str | None
) -> np.ndarray:
    mask = np.ones(len(rows), dtype=bool)
    if enterprise is not None:
        mask &= (rows["enterprise"] == enterprise).to_numpy()
    if facility is not None:
        mask &= (rows["facility"] == facility).to_numpy()
    if period is not None:
        column = rows["period"].astype(str) if len(period) == 7 else rows["year"].astype(str)
        mask &= (column == period).to_numpy()
    return mask


def _enterprise_months(rows: pd.DataFrame, mask: np.ndarray) -> np.ndarray:
    """Every row of the enterprise-months of the rows in ``mask``: the groups the rules read
    (green power deducted per enterprise-month, fuel for power per facility-month)."""
    periods = len(rows["period"].cat.categories)
    key = rows["enterprise"].cat.codes.to_numpy().astype(np.int64) * periods
    key += rows["period"].cat.codes.to_numpy()
    return np.isin(key, np.unique(key[mask]))


def lineage(
    accounts: Accounts,
    enterprise: str | None = None,
    period: str | None = None,
    facility: str | None = None,
) -> dict[str, object]:
    """Inputs, method and factors behind a result: the base, an enterprise or a facility, for a
    month (``YYYY-MM``), a year (``YYYY``) or all periods."""
    rows = accounts.rows
    mask = _selection(rows, enterprise, period, facility)
    if not mask.any():
        raise NotFound(
            message(
                "error.lineage.no_activity_rows",
                enterprise=repr(enterprise),
                facility=repr(facility),
                period=repr(period),
            )
        )
    context_mask = _enterprise_months(rows, mask)
    context = Rows(rows[context_mask], accounts.factors)
    chosen = np.flatnonzero(mask[context_mask])
    parts = as_frame(contributions(context), context.frame.index)
    selected = with_derived(parts.iloc[chosen].copy())
    catalogue = items()
    inputs = []
    factor_sources: set[str] = set()
    records = context.frame.iloc[chosen]
    positions = np.flatnonzero(mask)
    columns = ["enterprise", "facility", "period", "item", "role", "purpose"]
    values = zip(*(records[c].astype(str) for c in columns), strict=True)
    quantities = records["quantity"].to_numpy(dtype=float)
    for offset, (i, position, texts) in enumerate(zip(chosen, positions, values, strict=True)):
        sources = row_sources(context, int(i))
        factor_sources.update(s for s in sources if "@" in s)
        contribution = selected.iloc[offset]
        quantity = quantities[offset]
        inputs.append(
            {
                "row": int(position) + 2,
                **dict(zip(columns, texts, strict=True)),
                "quantity": float(quantity) if not np.isnan(quantity) else None,
                "unit": catalogue[texts[3]].unit,
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
