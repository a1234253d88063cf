"""Accounting throughput: the engine against a hand-written numpy version of the same outputs.

    .venv/bin/python benchmarks/accounting.py [--rows 10000000] [--repeat 3]

Both run in this process on the same synthetic rows (coal as fuel and feedstock, natural gas,
grid electricity, olefins out; 200 enterprises × 60 months) and must agree (rtol 1e-9) on every
additive metric of every enterprise-month: the baseline computes, row by row, each metric this
mix gives values to and sums them per enterprise-month with ``np.bincount``. It hard-codes this
mix's factors and methods; the engine reads them from the method table and reference data and
sums rows by key before the arithmetic (``carbonpeak.accounting.aggregate``). Each is timed on its
first call (the engine's includes loading reference data) and warm (best of ``--repeat``).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pandas as pd

from carbonpeak.accounting import (
    ADDITIVE_METRICS,
    PARAMETERS,
    Item,
    account,
    factor_set,
    items,
    parse_activity,
)

T = TypeVar("T")

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


def baseline(rows: pd.DataFrame) -> dict[str, np.ndarray]:
    """The same outputs, hand-written in numpy for this mix: every base metric the mix gives
    values to, per enterprise-month (the engine's rows in its order), row by row then summed."""
    fs = factor_set("northwest")
    coal, gas = (fs.fuel_defaults(_item(k)) for k in ("bituminous_coal", "natural_gas"))
    assert coal is not None
    assert gas is not None
    coefficients = [fs.tce_per_unit(_item(k)) for k in ITEMS]
    tce = np.array([c.value if c is not None else 0.0 for c in coefficients])
    years = range(2021, 2026)
    grid = np.array([fs.electricity_factor(y).value for y in years])
    rate = np.array([fs.equivalent_rate(y).value for y in years])
    olefin_carbon = fs.parameter("carbon_fraction_olefins", "tC/t").value
    coal_carbon = coal[0].value * coal[1].value
    gas_carbon = gas[0].value * gas[1].value
    co2_per_c = 44.0 / 12.0

    item = rows["item"].cat.codes.to_numpy()
    q = rows["quantity"].to_numpy()
    year = rows["year"].to_numpy() - 2021
    feedstock = (rows["purpose"] == "feedstock").to_numpy()
    is_coal, is_gas, is_power, is_olefins = (item == i for i in range(4))
    energy = np.where(is_olefins, 0.0, q * tce[item])
    fuel_coal = is_coal & ~feedstock
    metrics = {
        "energy_gross_tce": energy,
        "feedstock_energy_tce": np.where(feedstock, energy, 0.0),
        "energy_gross_equivalent_tce": np.where(is_power, q * rate[year], energy),
        "fuel_energy_tce": np.where(fuel_coal | is_gas, energy, 0.0),
        "coal_t": np.where(is_coal, q, 0.0),
        "electricity_mwh": np.where(is_power, q, 0.0),
        "carbon_in_tc": np.where(is_coal & feedstock, q * coal_carbon, 0.0),
        "carbon_out_tc": np.where(is_olefins, q * olefin_carbon, 0.0),
        "co2_combustion_t": np.select(
            [fuel_coal, is_gas],
            [
                q * coal_carbon * coal[2].value * co2_per_c,
                q * gas_carbon * gas[2].value * co2_per_c,
            ],
        ),
        "co2_electricity_t": np.where(is_power, q * grid[year], 0.0),
    }
    # enterprise-months, in the engine's order (enterprise, then month)
    months = len(rows["period"].cat.categories)
    group = rows["enterprise"].cat.codes.to_numpy().astype(np.int64) * months
    group += rows["period"].cat.codes.to_numpy()
    slots = len(rows["enterprise"].cat.categories) * months
    present = np.bincount(group, minlength=slots) > 0
    sums = {k: np.bincount(group, v, minlength=slots)[present] for k, v in metrics.items()}
    # the derived metrics of this mix (no carbonates, sector methods, heat, capture or PFC)
    sums["energy_consumption_tce"] = sums["energy_gross_tce"] - sums["feedstock_energy_tce"]
    sums["energy_consumption_equivalent_tce"] = (
        sums["energy_gross_equivalent_tce"] - sums["feedstock_energy_tce"]
    )
    sums["co2_mass_balance_t"] = (sums["carbon_in_tc"] - sums["carbon_out_tc"]) * co2_per_c
    sums["co2_process_t"] = sums["co2_mass_balance_t"]
    sums["co2_direct_t"] = sums["co2_combustion_t"] + sums["co2_process_t"]
    sums["co2_indirect_t"] = sums["co2_electricity_t"]
    sums["co2_total_t"] = sums["co2_direct_t"] + sums["co2_indirect_t"]
    sums["co2_net_t"] = sums["ghg_total_co2e_t"] = sums["co2_total_t"]
    return sums


def _item(key: str) -> Item:
    return items()[key]


def _timed(run: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def engine(rows: pd.DataFrame) -> pd.DataFrame:
    return account(rows, "northwest").totals("enterprise")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="warm calls of each, best kept")
    args = parser.parse_args()
    print(f"building {args.rows:,} synthetic rows …", flush=True)
    rows = synthetic_rows(args.rows)

    # First calls: the engine's includes loading the reference data and the item catalogue.
    engine_first, totals = _timed(lambda: engine(rows))
    baseline_first, sums = _timed(lambda: baseline(rows))
    for metric in ADDITIVE_METRICS:
        expected = sums.get(metric, np.zeros(len(totals)))
        np.testing.assert_allclose(totals[metric].to_numpy(), expected, rtol=1e-9, err_msg=metric)
    engine_warm = baseline_warm = float("inf")
    for _ in range(args.repeat):
        engine_warm = min(engine_warm, _timed(lambda: engine(rows))[0])
        baseline_warm = min(baseline_warm, _timed(lambda: baseline(rows))[0])

    sample = 200_000
    strings = rows.head(sample)[
        ["enterprise", "period", "item", "role", "purpose", "quantity"]
    ].astype(str)
    strings["unit"] = np.where(
        strings["item"] == "natural_gas",
        "万Nm3",
        np.where(strings["item"] == "electricity", "MWh", "t"),
    )
    parse_seconds, _ = _timed(lambda: parse_activity(strings))

    print(
        f"rows: {args.rows:,}; enterprise-months: {len(totals):,}; every additive metric "
        "agrees (rtol 1e-9)"
    )
    print(f"{'':44}{'first':>10}{'warm (best of ' + str(args.repeat) + ')':>22}")
    for name, first, warm in (
        ("engine   (account + enterprise roll-up)", engine_first, engine_warm),
        ("baseline (hand-written numpy)", baseline_first, baseline_warm),
    ):
        print(f"{name:44}{first:9.2f}s{warm:12.2f}s = {args.rows / warm:13,.0f} rows/s")
    print(
        f"ratio engine / baseline time: first {engine_first / baseline_first:.2f}, "
        f"warm {engine_warm / baseline_warm:.2f}"
    )
    print(
        f"parsing and checking text input: {sample / parse_seconds:,.0f} rows/s ({sample:,} rows)"
    )


if __name__ == "__main__":
    main()
