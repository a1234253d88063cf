"""Restatement: what changes when the same activity is accounted with another factor set."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from carbonpeak.accounting.engine import METRICS, Accounts, Level

__all__ = ["Restatement", "restate"]

COMPARED = ("energy_consumption_tce", "energy_gross_tce", "co2_total_t", "co2_net_t")


@dataclass(frozen=True)
class Restatement:
    """Old and new values per result, and the reference values that differ."""

    old_factor_set: str
    new_factor_set: str
    changes: pd.DataFrame  # keys, then <metric>_old, <metric>_new, <metric>_change per metric
    factors_removed: list[dict[str, object]]  # used before, not now
    factors_added: list[dict[str, object]]  # used now, not before


def restate(
    old: Accounts, new: Accounts, level: Level = "enterprise", frequency: str = "year"
) -> Restatement:
    """Compare two accounts of the same activity (e.g. published history against new factors)."""
    if len(old.rows) != len(new.rows):
        raise ValueError("restatement compares two accounts of the same activity table")
    freq = "year" if frequency == "year" else "month"
    before = old.totals(level, freq)  # type: ignore[arg-type]
    after = new.totals(level, freq)  # type: ignore[arg-type]
    keys = [c for c in before.columns if c not in METRICS]
    merged = before[keys + list(COMPARED)].merge(
        after[keys + list(COMPARED)], on=keys, suffixes=("_old", "_new")
    )
    for metric in COMPARED:
        merged[f"{metric}_change"] = merged[f"{metric}_new"] - merged[f"{metric}_old"]
    old_used = {str(f["source"]): f for f in old.factor_values()}
    new_used = {str(f["source"]): f for f in new.factor_values()}
    return Restatement(
        old_factor_set=old.factor_set,
        new_factor_set=new.factor_set,
        changes=merged,
        factors_removed=[old_used[s] for s in sorted(set(old_used) - set(new_used))],
        factors_added=[new_used[s] for s in sorted(set(new_used) - set(old_used))],
    )
