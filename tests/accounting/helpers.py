"""Build small activity tables for tests."""

from __future__ import annotations

from typing import Any

import pandas as pd

from carbonpeak.accounting import Accounts, account, parse_activity

DEFAULTS = {"enterprise": "E1", "facility": "F1", "sector": "2614", "period": "2024-03"}


def table(*rows: dict[str, Any]) -> pd.DataFrame:
    """An activity table of string cells, as a CSV would give it."""
    frame = pd.DataFrame([{**DEFAULTS, **row} for row in rows])
    return frame.astype(object).where(frame.notna(), "").astype(str)


def accounted(*rows: dict[str, Any], factors: str = "ningxia") -> Accounts:
    return account(parse_activity(table(*rows)), factors)


def total(result: Accounts, metric: str) -> float:
    """A metric of the units' scope 1 + 2, summed (the methods' own results, no boundary)."""
    return float(result.totals("enterprise_sum")[metric].sum())
