"""Restatement: what changes when results are recomputed, e.g. with another factor set."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from carbonpeak.accounting.boundary import BOUNDARY_METRICS
from carbonpeak.accounting.engine import METRICS, Accounts, Level

__all__ = ["COMPARED", "Restatement", "activity_fingerprint", "compare_results", "restate"]

COMPARED = ("energy_consumption_tce", "energy_gross_tce", "co2_total_t", "co2_net_t")


@dataclass(frozen=True)
class Restatement:
    """Old and new values per result, and the reference values that differ."""

    old_factor_set: str
    new_factor_set: str
    changes: pd.DataFrame  # keys, then <metric>_old, <metric>_new, <metric>_change per metric
    factors_removed: list[dict[str, object]]  # used before, not now
    factors_added: list[dict[str, object]]  # used now, not before

    @property
    def changed(self) -> bool:
        columns = [f"{m}_change" for m in COMPARED]
        return bool(
            self.factors_removed
            or self.factors_added
            or (self.changes[columns].abs() > 1e-9).any().any()
        )


def compare_results(
    before: pd.DataFrame,
    after: pd.DataFrame,
    old_factor_set: str,
    new_factor_set: str,
    old_factors: list[dict[str, object]],
    new_factors: list[dict[str, object]],
) -> Restatement:
    """Compare two tables of totals with the same keys (a result present on one side only shows
    with the other side empty)."""
    keys = [c for c in before.columns if c not in METRICS and c not in BOUNDARY_METRICS]
    merged = before[keys + list(COMPARED)].merge(
        after[keys + list(COMPARED)], on=keys, how="outer", suffixes=("_old", "_new")
    )
    for metric in COMPARED:
        merged[f"{metric}_change"] = merged[f"{metric}_new"] - merged[f"{metric}_old"]
    old_used = {str(f["source"]): f for f in old_factors}
    new_used = {str(f["source"]): f for f in new_factors}
    return Restatement(
        old_factor_set=old_factor_set,
        new_factor_set=new_factor_set,
        changes=merged,
        factors_removed=[old_used[s] for s in sorted(set(old_used) - set(new_used))],
        factors_added=[new_used[s] for s in sorted(set(new_used) - set(old_used))],
    )


def restate(
    old: Accounts, new: Accounts, level: Level = "enterprise", frequency: str = "year"
) -> Restatement:
    """Compare two accounts of the same activity (e.g. published history against new factors)."""
    if activity_fingerprint(old.rows) != activity_fingerprint(new.rows):
        raise ValueError("restatement compares two accounts of the same activity table")
    freq: Literal["month", "year"] = "year" if frequency == "year" else "month"
    return compare_results(
        old.totals(level, freq),
        new.totals(level, freq),
        old.factor_set,
        new.factor_set,
        old.factor_values(),
        new.factor_values(),
    )


def activity_fingerprint(rows: pd.DataFrame) -> str:
    """A content hash of normalised activity rows: equal rows give equal fingerprints."""
    hashed = pd.util.hash_pandas_object(rows.astype(str), index=False).to_numpy()
    return hashlib.sha256(hashed.tobytes()).hexdigest()
