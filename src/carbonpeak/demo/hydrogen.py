"""Green hydrogen where it goes: the electrolysers' output is consumed, in the month it is made,
as feedstock by the coal-chemical plants the calibration names, whose feedstock coal falls by
the coal it replaces (``green_hydrogen_use`` in the calibration). Produced equals consumed in
every month, so the base's flows balance and nothing is counted twice."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

__all__ = ["route_green_hydrogen"]


def _cell(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def route_green_hydrogen(rows: list[dict[str, str]], use: dict[str, Any]) -> list[dict[str, str]]:
    """``rows`` (activity as text cells) with each month's green hydrogen supplied
    (``energy_output``) consumed by the named plants, split by their shares; each consumer's
    feedstock coal that month is reduced by ``coal_per_t`` per tonne of hydrogen."""
    shares: dict[str, float] = {k: float(v) for k, v in use["consumers"].items()}
    total = sum(shares.values())
    shares = {k: v / total for k, v in shares.items()}
    coal_per_t = float(use["coal_per_t"])
    produced: dict[str, float] = defaultdict(float)
    for row in rows:
        if row["item"] == "green_hydrogen" and row["role"] == "energy_output":
            produced[row["period"]] += float(row["quantity"])
    coal_rows: dict[tuple[str, str], dict[str, str]] = {}
    for row in rows:
        if (
            row["enterprise"] in shares
            and row["role"] == "energy_input"
            and row.get("purpose") == "feedstock"
            and row["item"] == "bituminous_coal"
        ):
            coal_rows[(row["enterprise"], row["period"])] = row
    added: list[dict[str, str]] = []
    for period, hydrogen in sorted(produced.items()):
        consumers = list(shares)
        for index, enterprise in enumerate(consumers):
            coal = coal_rows.get((enterprise, period))
            if coal is None:
                raise ValueError(f"{enterprise} has no feedstock coal in {period} to replace")
            # The last consumer takes the remainder: consumed equals produced to the cell.
            if index < len(consumers) - 1:
                amount = float(_cell(hydrogen * shares[enterprise]))
            else:
                amount = hydrogen - sum(
                    float(r["quantity"]) for r in added if r["period"] == period
                )
            remaining = float(coal["quantity"]) - amount * coal_per_t
            if remaining <= 0:
                raise ValueError(f"{enterprise}: hydrogen replaces all its coal in {period}")
            coal["quantity"] = _cell(remaining)
            added.append(
                {
                    **dict.fromkeys(coal, ""),
                    "enterprise": enterprise,
                    "facility": coal["facility"],
                    "sector": coal["sector"],
                    "period": period,
                    "item": "green_hydrogen",
                    "role": "energy_input",
                    "quantity": _cell(amount),
                    "unit": "t",
                    "purpose": "feedstock",
                    "ncv": _cell(float(use["ncv"])),
                    "ncv_unit": "GJ/t",
                }
            )
    return rows + added
