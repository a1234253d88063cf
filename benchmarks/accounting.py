"""Accounting throughput: the engine against a hand-written vectorised baseline of the same formula.

    .venv/bin/python benchmarks/accounting.py [--rows 10000000]

Both run in this process on the same synthetic rows (coal as fuel and feedstock, natural gas,
grid electricity, olefins out) and must agree on every enterprise-month total of energy and CO2.
The baseline hard-codes this mix's factors and skips what the engine also does (units, lineage,
every other metric and method), so the ratio is the price of generality.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from carbonpeak.accounting import PARAMETERS, Item, account, factor_set, items, parse_activity

ITEMS = ["bituminous_coal", "natural_gas", "electricity", "olefins"]
# (item index, role, purpose) of the mix
KINDS = [
    (0, "energy_input", "fuel"),
    (0, "energy_input", "feedstock"),
    (1, "energy_input", "fuel"),
    (2, "energy_input", "fuel"),
    (3, "product_output", ""),
]


def synthetic_rows(n: int, seed: int = 20231101) -> pd.DataFrame:
    """Normalised rows as ``parse_activity`` returns them, built directly to save memory."""
    rng = np.random.default_rng(seed)
    kinds = rng.integers(0, len(KINDS), n)
    enterprises = pd.Categorical.from_codes(
        rng.integers(0, 200, n), [f"E{i:03d}" for i in range(200)]
    )
    months = [f"{y}-{m:02d}" for y in range(2021, 2026) for m in range(1, 13)]
    period_codes = rng.integers(0, len(months), n)
    item_index = np.array([k[0] for k in KINDS])[kinds]
    frame = pd.DataFrame(
        {
            "enterprise": enterprises,
            "facility": pd.Categorical.from_codes(np.zeros(n, dtype=int), ["F1"]),
            "sector": pd.Categorical.from_codes(np.zeros(n, dtype=int), ["2614"]),
            "period": pd.Categorical.from_codes(period_codes, months),
            "year": np.array([int(m[:4]) for m in months], dtype="int16")[period_codes],
            "item": pd.Categorical.from_codes(item_index, ITEMS),
            "role": pd.Categorical(np.array([k[1] for k in KINDS])[kinds]),
            "purpose": pd.Categorical(np.array([k[2] for k in KINDS])[kinds]),
            "quantity": rng.uniform(1, 1000, n),
            "volume_nm3": np.full(n, np.nan),
            "ncv_gj": np.full(n, np.nan),
            "carbon_tc": np.full(n, np.nan),
            "carbon_tc_per_gj": np.full(n, np.nan),
            "oxidation_rate": np.full(n, np.nan),
            "green_certificate": np.zeros(n, dtype=bool),
        }
    )
    for key in PARAMETERS:
        frame[f"param_{key}"] = np.nan
    return frame


def baseline(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The same formulas, hand-written for this mix: energy and CO2 per enterprise-month."""
    fs = factor_set("northwest")
    coal, gas = (
        fs.fuel_defaults(fs_item) for fs_item in (_item("bituminous_coal"), _item("natural_gas"))
    )
    assert coal is not None
    assert gas is not None
    coefficients = [fs.tce_per_unit(_item(k)) for k in ITEMS]
    tce = np.array([c.value if c is not None else 0.0 for c in coefficients])
    grid = {y: fs.electricity_factor(y).value for y in range(2021, 2026)}
    olefin_carbon = fs.parameter("carbon_fraction_olefins", "tC/t").value
    item = rows["item"].cat.codes.to_numpy()
    q = rows["quantity"].to_numpy()
    feedstock = (rows["purpose"] == "feedstock").to_numpy()
    product = item == 3
    energy = np.where(product, 0.0, q * tce[item])
    coal_carbon = coal[0].value * coal[1].value
    gas_carbon = gas[0].value * gas[1].value
    grid_by_row = np.array([grid[y] for y in range(2021, 2026)])[rows["year"].to_numpy() - 2021]
    co2 = np.select(
        [(item == 0) & ~feedstock, (item == 0) & feedstock, item == 1, item == 2, product],
        [
            q * coal_carbon * coal[2].value * 44 / 12,
            q * coal_carbon * 44 / 12,
            q * gas_carbon * gas[2].value * 44 / 12,
            q * grid_by_row,
            -q * olefin_carbon * 44 / 12,
        ],
    )
    enterprise = rows["enterprise"].cat.codes.to_numpy().astype(np.int64)
    group = enterprise * 1000 + rows["period"].cat.codes.to_numpy()
    _, inverse = np.unique(group, return_inverse=True)
    return np.bincount(inverse, energy), np.bincount(inverse, co2)


def _item(key: str) -> Item:
    return items()[key]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    args = parser.parse_args()
    print(f"building {args.rows:,} synthetic rows …", flush=True)
    rows = synthetic_rows(args.rows)
    # Warm up both: reference data and the item catalogue load once per process.
    warm = synthetic_rows(1000)
    baseline(warm)
    account(warm, "northwest").totals("enterprise")

    start = time.perf_counter()
    energy_base, co2_base = baseline(rows)
    baseline_seconds = time.perf_counter() - start

    start = time.perf_counter()
    totals = account(rows, "northwest").totals("enterprise")
    engine_seconds = time.perf_counter() - start

    np.testing.assert_allclose(totals["energy_gross_tce"].to_numpy(), energy_base, rtol=1e-9)
    np.testing.assert_allclose(totals["co2_total_t"].to_numpy(), co2_base, rtol=1e-9)

    sample = 200_000
    strings = rows.head(sample)[
        ["enterprise", "period", "item", "role", "purpose", "quantity"]
    ].astype(str)
    strings["unit"] = np.where(
        strings["item"] == "natural_gas",
        "万Nm3",
        np.where(strings["item"] == "electricity", "MWh", "t"),
    )
    start = time.perf_counter()
    parse_activity(strings)
    parse_seconds = time.perf_counter() - start

    print(f"rows: {args.rows:,}; enterprise-months: {len(totals):,}; totals agree (rtol 1e-9)")
    print(
        f"engine   (account + enterprise roll-up): {engine_seconds:8.2f} s "
        f"= {args.rows / engine_seconds:13,.0f} rows/s"
    )
    print(
        f"baseline (hand-written numpy):           {baseline_seconds:8.2f} s "
        f"= {args.rows / baseline_seconds:13,.0f} rows/s"
    )
    print(f"ratio engine / baseline time: {engine_seconds / baseline_seconds:.2f}")
    print(
        f"parsing and checking text input: {sample / parse_seconds:,.0f} rows/s ({sample:,} rows)"
    )


if __name__ == "__main__":
    main()
