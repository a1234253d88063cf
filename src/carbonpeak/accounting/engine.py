"""The accounting engine: energy (tce) and CO2 from an activity table, by China's official methods.

The rules of ``methods.py`` (one table: GB/T 2589 energy, combustion, the carbon mass balance,
carbonates, sector methods, purchased electricity and heat, capture) run on the rows summed by
key (``aggregate.py``): every metric is linear in a row's amount, so summing first gives the same
totals with far less arithmetic. Facility, enterprise, sector and division totals are sums over
keys; the base total is not a sum: ``totals("base")`` is the regional view (``boundary.py``).
Per-row contributions are computed only where asked for (lineage, ``Accounts.contributions``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd

from carbonpeak.accounting.aggregate import by_key
from carbonpeak.accounting.boundary import base_view
from carbonpeak.accounting.catalogue import FactorSet, factor_set
from carbonpeak.accounting.methods import as_frame, contributions
from carbonpeak.accounting.metrics import (
    ADDITIVE_METRICS,
    BASE_METRICS,
    METRICS,
    with_derived,
    with_ratios,
)
from carbonpeak.accounting.rows import Rows
from carbonpeak.datafile import DataFileError, Problem

__all__ = ["ADDITIVE_METRICS", "METRICS", "Accounts", "Level", "account", "row_contributions"]

# Every level but "base" sums units' scope 1 + 2; "enterprise_sum" is that sum over the base (not
# a base total, boundary.ENTERPRISE_SUM_NOTE); "base" is the regional view (boundary.py).
Level = Literal["facility", "enterprise", "sector", "division", "enterprise_sum", "base"]
_LEVEL_KEYS: dict[str, list[str]] = {
    "facility": ["enterprise", "facility", "sector"],
    "enterprise": ["enterprise", "sector"],
    "sector": ["sector"],
    "division": ["division"],
    "enterprise_sum": [],
}


def row_contributions(rows: pd.DataFrame, factors: FactorSet) -> pd.DataFrame:
    """Each row's contribution to each base metric (``metrics.BASE_METRICS``), row by row."""
    return as_frame(contributions(Rows(rows, factors)), rows.index)


@dataclass
class Accounts:
    """The result of accounting an activity table with one factor set."""

    rows: pd.DataFrame  # the normalised activity rows
    factors: FactorSet
    source: str
    keyed: pd.DataFrame  # the rows summed by key (aggregate.by_key)
    keyed_parts: pd.DataFrame  # each key's contribution to the base metrics some rule gave rows
    problems: list[Problem] = field(default_factory=list)

    @property
    def factor_set(self) -> str:
        return self.factors.id

    @cached_property
    def contributions(self) -> pd.DataFrame:
        """Each activity row's contribution to each base metric (not DERIVED), computed on
        first use: the totals come from the keys."""
        return row_contributions(self.rows, self.factors)

    def totals(
        self, level: Level = "enterprise", frequency: Literal["month", "year"] = "month"
    ) -> pd.DataFrame:
        """Additive metrics summed at ``level`` per month or year, with the ratio metrics; the
        ``base`` level is the regional view, with its parts (boundary.BOUNDARY_METRICS)."""
        if level == "base":
            units = self._summed(["period"])
            return with_ratios(with_derived(base_view(units, self.keyed, self.factors, frequency)))
        time = "period" if frequency == "month" else "year"
        return with_ratios(self._summed([*_LEVEL_KEYS[level], time]))

    def _summed(self, names: list[str]) -> pd.DataFrame:
        keys = self._keys()
        summed = (
            self.keyed_parts.groupby([keys[name] for name in names], observed=True, sort=True)
            .sum()
            .reset_index()
        )
        for metric in BASE_METRICS:  # metrics no rule gave rows to are zero everywhere
            if metric not in summed:
                summed[metric] = 0.0
        return with_derived(summed)

    def _keys(self) -> pd.DataFrame:
        sector = self.keyed["sector"]
        # The division is the code's first two digits, derived per category, not per row.
        divisions = np.asarray([str(code)[:2] for code in sector.cat.categories], dtype=object)
        return pd.DataFrame(
            {
                "enterprise": self.keyed["enterprise"],
                "facility": self.keyed["facility"],
                "sector": sector,
                "division": pd.Categorical(divisions[sector.cat.codes.to_numpy()]),
                "period": self.keyed["period"],
                "year": self.keyed["year"],
            }
        )

    def factor_values(self) -> list[dict[str, object]]:
        """Every reference value used, with source and status: the account's factor lineage."""
        return [
            {"source": f.source, "value": f.value, "unit": f.unit, "status": f.status.value}
            for f in sorted(self.factors.used.values(), key=lambda f: f.source)
        ]


def account(activity: pd.DataFrame, factors: str | FactorSet = "ningxia") -> Accounts:
    """Account a normalised activity table (``parse_activity``/``read_activity``)."""
    resolved = factor_set(factors) if isinstance(factors, str) else factors
    keyed = by_key(activity)
    try:
        parts = contributions(Rows(keyed, resolved))
    except DataFileError:
        if keyed is not activity:
            contributions(Rows(activity, resolved))  # raises, naming the activity rows
        raise
    return Accounts(
        activity,
        resolved,
        str(activity.attrs.get("source", "<activity>")),
        keyed,
        pd.DataFrame(parts, index=keyed.index),
    )
