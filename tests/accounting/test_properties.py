"""Invariants of the accounting engine, checked with Hypothesis."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonpeak.accounting import (
    ADDITIVE_METRICS,
    BOUNDARY_METRICS,
    account,
    check,
    parse_activity,
)

# (item, role, purpose, unit): combinations a real table contains.
KINDS = [
    ("bituminous_coal", "energy_input", "fuel", "t"),
    ("bituminous_coal", "energy_input", "feedstock", "t"),
    ("washed_coal", "energy_input", "conversion", "t"),
    ("natural_gas", "energy_input", "fuel", "万Nm3"),
    ("diesel", "energy_input", "fuel", "t"),
    ("electricity", "energy_input", "fuel", "MWh"),
    ("renewable_electricity", "energy_input", "fuel", "MWh"),
    ("heat", "energy_input", "fuel", "GJ"),
    ("electricity", "energy_output", "", "MWh"),
    ("olefins", "product_output", "", "t"),
    ("methanol", "product_output", "", "t"),
    ("coke", "product_output", "", "t"),
    ("limestone", "carbonate_input", "", "t"),
    ("co2", "co2_captured", "stored", "t"),
    ("electricity", "electricity_supplied", "", "MWh"),
    ("green_electricity", "energy_input", "fuel", "MWh"),  # electricity with green certificates
    ("renewable_electricity", "electricity_supplied", "", "MWh"),
    ("heat", "energy_output", "", "GJ"),
]
# For unit-change properties: the same quantity in another unit, and the factor between them.
OTHER_UNITS = {"t": ("万t", 1e-4), "MWh": ("kWh", 1e3), "GJ": ("MJ", 1e3), "万Nm3": ("Nm3", 1e4)}

rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(["E1", "E2", "E3"]),
        st.sampled_from(["F1", "F2"]),
        st.sampled_from(["2022-12", "2023-01", "2023-07"]),
        st.sampled_from(range(len(KINDS))),
        st.floats(min_value=0, max_value=1e6, allow_nan=False),
    ),
    min_size=1,
    max_size=30,
)
SECTORS = {"E1": "2614", "E2": "4411", "E3": "3011"}


def build(
    rows: list[tuple], scale: float = 1.0, other_units: bool = False, feedstock: bool = False
) -> pd.DataFrame:
    records = []
    for enterprise, facility, period, kind, quantity in rows:
        item, role, purpose, unit = KINDS[kind]
        value = quantity * scale
        if other_units:
            unit, factor = OTHER_UNITS[unit]
            value *= factor
        if feedstock and purpose == "fuel" and item == "bituminous_coal":
            purpose = "feedstock"
        green = "true" if item == "green_electricity" else ""
        item = "electricity" if green else item
        records.append(
            {
                "enterprise": enterprise,
                "facility": facility,
                "sector": SECTORS[enterprise],
                "period": period,
                "item": item,
                "role": role,
                "purpose": purpose,
                "quantity": repr(value),
                "unit": unit,
                "green_certificate": green,
            }
        )
    return parse_activity(pd.DataFrame(records))


def base_totals(frame: pd.DataFrame) -> np.ndarray:
    totals = account(frame, "northwest").totals("base", "year")
    return totals[[*ADDITIVE_METRICS, *BOUNDARY_METRICS]].to_numpy()


@settings(max_examples=60, deadline=None)
@given(rows_strategy, st.floats(min_value=1e-3, max_value=1e3))
def test_scaling_inputs_scales_results(rows: list[tuple], k: float) -> None:
    np.testing.assert_allclose(
        base_totals(build(rows, k)), k * base_totals(build(rows)), rtol=1e-9, atol=1e-6
    )


@settings(max_examples=60, deadline=None)
@given(rows_strategy)
def test_rollups_equal_sums_of_parts(rows: list[tuple]) -> None:
    result = account(build(rows), "ningxia")
    assert not [p for p in check(result) if "roll-up" in p.location]
    whole = result.totals("enterprise_sum", "year").set_index("year")[list(ADDITIVE_METRICS)]
    for level in ("facility", "enterprise", "sector", "division"):
        parts = result.totals(level, "year").groupby("year")[list(ADDITIVE_METRICS)].sum()
        np.testing.assert_allclose(parts.to_numpy(), whole.to_numpy(), rtol=1e-9, atol=1e-6)
    # The base total is the regional view: what no unit trades is the units' sum.
    base = result.totals("base", "year").set_index("year")
    for metric in ("co2_direct_t", "co2_captured_t", "coal_t", "feedstock_energy_tce"):
        np.testing.assert_allclose(base[metric], whole[metric], rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(
        base["co2_net_t"],
        base["co2_direct_t"]
        + base["co2_net_imported_electricity_t"]
        + base["co2_net_imported_heat_t"]
        - base["co2_captured_t"],
        rtol=1e-9,
        atol=1e-6,
    )


BASE_METRICS = [
    "co2_net_t",
    "co2_total_t",
    "energy_consumption_tce",
    "energy_consumption_equivalent_tce",
    "non_fossil_tce",
    "net_imported_electricity_mwh",
]


@settings(max_examples=60, deadline=None)
@given(
    rows_strategy,
    st.sampled_from(["E1", "E2", "E3"]),
    st.sampled_from(["E1", "E2", "E3"]),
    st.sampled_from(["2022-12", "2023-01", "2023-07"]),
    st.floats(min_value=0, max_value=1e6, allow_nan=False),
    st.sampled_from(["ningxia", "national_average", "national_ets"]),
)
def test_moving_electricity_within_the_base_leaves_the_base_total_unchanged(
    rows: list[tuple], seller: str, buyer: str, period: str, quantity: float, factors: str
) -> None:
    # A sale by one unit matched by a purchase by another in the same month nets out.
    sale = (
        seller,
        "F1",
        period,
        KINDS.index(("electricity", "energy_output", "", "MWh")),
        quantity,
    )
    purchase = (
        buyer,
        "F2",
        period,
        KINDS.index(("electricity", "energy_input", "fuel", "MWh")),
        quantity,
    )
    before = account(build(rows), factors).totals("base", "year").set_index("year")
    after = account(build([*rows, sale, purchase]), factors).totals("base", "year")
    after = after.set_index("year").reindex(before.index.union(after.index), fill_value=0.0)
    before = before.reindex(after.index, fill_value=0.0)
    np.testing.assert_allclose(
        after[BASE_METRICS].to_numpy(), before[BASE_METRICS].to_numpy(), rtol=1e-9, atol=1e-6
    )


@settings(max_examples=60, deadline=None)
@given(rows_strategy)
def test_input_units_do_not_change_results(rows: list[tuple]) -> None:
    np.testing.assert_allclose(
        base_totals(build(rows, other_units=True)), base_totals(build(rows)), rtol=1e-9, atol=1e-6
    )


@settings(max_examples=60, deadline=None)
@given(rows_strategy)
def test_feedstock_exclusion_never_raises_energy_totals(rows: list[tuple]) -> None:
    as_fuel = account(build(rows), "ningxia").totals("enterprise", "year")
    as_feedstock = account(build(rows, feedstock=True), "ningxia").totals("enterprise", "year")
    assert (as_fuel["energy_consumption_tce"] <= as_fuel["energy_gross_tce"] + 1e-9).all()
    assert (
        as_feedstock["energy_consumption_tce"] <= as_fuel["energy_consumption_tce"] + 1e-6
    ).all()
    np.testing.assert_allclose(as_feedstock["energy_gross_tce"], as_fuel["energy_gross_tce"])
