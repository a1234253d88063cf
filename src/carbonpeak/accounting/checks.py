"""Reconciliation checks on an account: roll-ups, carbon and energy balances, reported totals,
records the base boundary would count twice."""

from __future__ import annotations

import numpy as np

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
    negative = facilities[
        (facilities["carbon_in_tc"] > 0)
        & (facilities["carbon_out_tc"] > facilities["carbon_in_tc"] * 1.000001)
    ]
    for row in negative.to_dict("records"):
        problems.append(
            Problem(
                f"enterprise {row['enterprise']}, facility {row['facility']}, {row['period']}",
                "carbon balance does not close: more carbon out than in",
                expected=f"carbon out ≤ {row['carbon_in_tc']:.1f} tC",
                found=round(row["carbon_out_tc"], 1),
            )
        )
    enterprises = accounts.totals("enterprise")
    reported = enterprises[enterprises["reported_energy_tce"] > 0]
    gap = (reported["energy_gross_tce"] - reported["reported_energy_tce"]).abs()
    for row in reported[gap > tolerance * reported["reported_energy_tce"]].to_dict("records"):
        problems.append(
            Problem(
                f"enterprise {row['enterprise']}, {row['period']}",
                "computed energy differs from the enterprise's reported total",
                expected=f"{row['reported_energy_tce']:.1f} tce ± {tolerance:.0%}",
                found=round(row["energy_gross_tce"], 1),
            )
        )
    out_of_balance = enterprises[
        (enterprises["energy_gross_tce"] < 0) & (enterprises["electricity_supplied_mwh"] == 0)
    ]
    for row in out_of_balance.to_dict("records"):
        problems.append(
            Problem(
                f"enterprise {row['enterprise']}, {row['period']}",
                "energy balance does not close: more energy out than in",
                expected="energy_gross_tce ≥ 0",
                found=round(row["energy_gross_tce"], 1),
            )
        )
    problems += boundary_problems(accounts.rows)
    return problems
