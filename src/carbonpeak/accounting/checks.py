"""Reconciliation checks on an account: roll-ups, carbon and energy balances, reported totals,
records the base boundary would count twice."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import numpy as np
import pandas as pd

from carbonpeak.accounting.boundary import boundary_problems
from carbonpeak.accounting.engine import ADDITIVE_METRICS, Accounts
from carbonpeak.datafile import Problem

__all__ = ["check"]


def check(accounts: Accounts, tolerance: float = 0.02) -> list[Problem]:
    """Reconciliation: parts sum to wholes, the carbon and energy balances close, reported totals
    agree with computed ones within ``tolerance``."""
    problems: list[Problem] = []
    sectors = accounts.rows.groupby("enterprise", observed=True)["sector"].nunique()
    for name in sectors[sectors > 1].index:
        problems.append(
            Problem(
                f"enterprise {name}",
                "rows name more than one sector",
                expected="one GB/T 4754 code per enterprise",
                found=name,
            )
        )
    metric_columns = list(ADDITIVE_METRICS)
    # Levels roll up to the units' sum; the base total (regional view) is not a sum of units.
    base = accounts.totals("enterprise_sum").set_index("period")[metric_columns]
    for level in ("facility", "enterprise", "sector", "division"):
        parts = accounts.totals(level).groupby("period", observed=True)[metric_columns].sum()
        difference = (parts - base).abs().to_numpy()
        scale = np.maximum(base.abs().to_numpy(), 1.0)
        if (difference > 1e-9 * scale).any():
            problems.append(
                Problem(
                    f"roll-up {level} → enterprise sum",
                    "parts do not sum to the whole",
                    expected="equal sums",
                    found=float(difference.max()),
                )
            )
    facilities = accounts.totals("facility")
    problems += _each(
        facilities[
            (facilities["carbon_in_tc"] > 0)
            & (facilities["carbon_out_tc"] > facilities["carbon_in_tc"] * 1.000001)
        ],
        lambda r: f"enterprise {r['enterprise']}, facility {r['facility']}, {r['period']}",
        "carbon balance does not close: more carbon out than in",
        lambda r: f"carbon out ≤ {r['carbon_in_tc']:.1f} tC",
        lambda r: round(r["carbon_out_tc"], 1),
    )
    enterprises = accounts.totals("enterprise")
    reported = enterprises[enterprises["reported_energy_tce"] > 0]
    gap = (reported["energy_gross_tce"] - reported["reported_energy_tce"]).abs()
    problems += _each(
        reported[gap > tolerance * reported["reported_energy_tce"]],
        _enterprise_month,
        "computed energy differs from the enterprise's reported total",
        lambda r: f"{r['reported_energy_tce']:.1f} tce ± {tolerance:.0%}",
        lambda r: round(r["energy_gross_tce"], 1),
    )
    problems += _each(
        enterprises[
            (enterprises["energy_gross_tce"] < 0) & (enterprises["electricity_supplied_mwh"] == 0)
        ],
        _enterprise_month,
        "energy balance does not close: more energy out than in",
        lambda r: "energy_gross_tce ≥ 0",
        lambda r: round(r["energy_gross_tce"], 1),
    )
    problems += boundary_problems(accounts.rows)
    return problems


def _enterprise_month(row: dict[Hashable, Any]) -> str:
    return f"enterprise {row['enterprise']}, {row['period']}"


def _each(
    rows: pd.DataFrame,
    location: Callable[[dict[Hashable, Any]], str],
    problem: str,
    expected: Callable[[dict[Hashable, Any]], str],
    found: Callable[[dict[Hashable, Any]], object],
) -> list[Problem]:
    """One problem per row of ``rows``."""
    return [
        Problem(location(row), problem, expected=expected(row), found=found(row))
        for row in rows.to_dict("records")
    ]
