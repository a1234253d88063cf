"""The demo's energy and carbon budgets, set for graded outcomes (calibration ``budgets``).

Each budget is the unit's use as the demo plans the whole budget year (the generator's own
activity through December) divided by the share of it the year is meant to end at: most end
well inside (normal), a few close to the budget (watch), above it (warning) or already over it
(over). Synthetic, and a demonstration assumption, not a budgeting method."""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import pandas as pd

from carbonpeak.accounting import account, parse_activity
from carbonpeak.demo.generator import DemoBase, generate, load_calibration

__all__ = ["BUDGET_OUTCOMES", "demo_budgets"]

BUDGET_OUTCOMES = ("normal", "watch", "warning", "over")
_METRICS = (("energy_consumption_tce", "energy"), ("co2_net_t", "carbon"))


def _round3(value: float) -> float:
    """Three significant figures, as an office states a budget."""
    digits = 2 - math.floor(math.log10(abs(value)))
    return float(round(value, digits))


def demo_budgets(base: DemoBase) -> pd.DataFrame:
    """Budgets for the last year of the base (scope, year, kind, value, outcome): every key
    energy-using unit that ran the whole previous year, and the base. Synthetic."""
    calibration = load_calibration()
    settings = calibration["budgets"]
    year = int(base.months[-1][:4])
    months_so_far = [m for m in base.months if m.startswith(f"{year}-")]
    planned = base if base.months[-1].endswith("-12") else generate(f"{year}-12")
    accounts = account(parse_activity(planned.activity, "demo"), "ningxia")

    def this_year(level: Literal["enterprise", "base"]) -> tuple[pd.DataFrame, pd.DataFrame]:
        totals = accounts.totals(level, "month")
        period = totals["period"].astype(str)
        whole = totals[period.str.startswith(f"{year}-")]
        return whole, whole[whole["period"].astype(str) <= months_so_far[-1]]

    monthly, so_far = this_year("enterprise")
    base_monthly, base_so_far = this_year("base")
    running = set(
        base.facilities.loc[base.facilities["commissioned"] <= f"{year - 1}-01", "enterprise"]
    )
    key = set(base.enterprises.loc[base.enterprises["key_energy_unit"], "id"]) & running
    outcome_of = {
        entry: outcome for outcome, entries in settings["outcomes"].items() for entry in entries
    }
    low, high = (float(v) for v in settings["normal_share"])
    rng = np.random.default_rng([int(calibration["seed"]), year])
    rows = []
    for metric, kind in _METRICS:
        whole = monthly.groupby("enterprise", observed=True)[metric].sum()
        used = so_far.groupby("enterprise", observed=True)[metric].sum()
        scopes = [(str(e), float(whole[e]), float(used[e])) for e in sorted(key) if e in whole]
        # The base's own totals (the regional total), not a sum of the key units.
        scopes.append(("base", float(base_monthly[metric].sum()), float(base_so_far[metric].sum())))
        for scope, year_use, use_so_far in scopes:
            share = rng.uniform(low, high)  # drawn for every budget, so the draws stay put
            if year_use <= 0:
                continue
            outcome = outcome_of.get(f"{scope}/{kind}", "normal")
            if outcome == "over":
                value = use_so_far / float(settings["over_share_so_far"])
            elif outcome in ("watch", "warning"):
                value = year_use / float(settings[f"{outcome}_share"])
            else:
                value = year_use / share
            rows.append(
                {
                    "scope": scope,
                    "year": year,
                    "kind": kind,
                    "value": _round3(value),
                    "outcome": outcome,
                }
            )
    frame = pd.DataFrame(rows, columns=["scope", "year", "kind", "value", "outcome"])
    frame.attrs["synthetic"] = True
    return frame
