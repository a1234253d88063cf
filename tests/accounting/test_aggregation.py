"""Accounting rows summed by key gives what accounting each row does (Hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonpeak.accounting import Accounts, account, factor_set, parse_activity
from carbonpeak.accounting.engine import row_contributions

# (item, role, purpose, unit, measured columns a row of this kind may carry)
KINDS = [
    ("bituminous_coal", "energy_input", "fuel", "t", {"ncv": "24.5", "ncv_unit": "GJ/t"}),
    (
        "bituminous_coal",
        "energy_input",
        "feedstock",
        "t",
        {"carbon_content": "0.6", "carbon_content_unit": "tC/t"},
    ),
    ("washed_coal", "energy_input", "conversion", "t", {"oxidation_rate": "0.97"}),
    ("natural_gas", "energy_input", "fuel", "万Nm3", {"oxidation_rate": "0.99"}),
    ("electricity", "energy_input", "fuel", "MWh", {"green_certificate": "true"}),
    ("renewable_electricity", "energy_input", "fuel", "MWh", {}),
    ("heat", "energy_input", "fuel", "GJ", {}),
    ("electricity", "energy_output", "", "MWh", {}),
    ("heat", "energy_output", "", "GJ", {}),
    (
        "olefins",
        "product_output",
        "",
        "t",
        {"carbon_content": "0.85", "carbon_content_unit": "tC/t"},
    ),
    ("coke", "product_output", "", "t", {}),
    ("aluminium", "product_output", "", "t", {"parameters": "anode_consumption=0.41"}),
    ("clinker", "product_output", "", "t", {"parameters": "cao=0.65;mgo=0.02"}),
    ("limestone", "carbonate_input", "", "t", {"parameters": "purity=0.9"}),
    ("co2", "co2_captured", "stored", "t", {"unit": "万Nm3", "parameters": "purity=0.99"}),
    ("electricity", "electricity_supplied", "", "MWh", {}),
    ("renewable_electricity", "electricity_supplied", "", "MWh", {}),
    ("bituminous_coal", "energy_input", "fuel", "t", {"parameters": "heat_ratio=0.3"}),
]
ALWAYS = {"clinker": {"parameters": "cao=0.64;mgo=0.03"}}

rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(["E1", "E2"]),
        st.sampled_from(["F1", "F2"]),
        st.sampled_from(["2022-12", "2023-01"]),
        st.sampled_from(range(len(KINDS))),
        st.floats(min_value=0, max_value=1e6, allow_nan=False),
        st.booleans(),  # with the kind's measured values
    ),
    min_size=1,
    max_size=40,
)
SECTORS = {"E1": "2614", "E2": "3011"}


def build(rows: list[tuple]) -> pd.DataFrame:
    records = []
    for enterprise, facility, period, kind, quantity, measured in rows:
        item, role, purpose, unit, extra = KINDS[kind]
        record = {
            "enterprise": enterprise,
            "facility": facility,
            "sector": SECTORS[enterprise],
            "period": period,
            "item": item,
            "role": role,
            "purpose": purpose,
            "quantity": repr(quantity),
            "unit": unit,
            **ALWAYS.get(item, {}),
            **(extra if measured else {}),
        }
        records.append(record)
    columns = sorted({c for r in records for c in r})
    return parse_activity(pd.DataFrame(records, columns=columns).fillna(""))


def per_row(activity: pd.DataFrame, factors: str) -> Accounts:
    """The accounts of ``activity`` with every row its own key: the rules run row by row."""
    resolved = factor_set(factors)
    parts = row_contributions(activity, resolved)
    return Accounts(activity, resolved, "<per row>", activity, parts)


def assert_close(keyed: pd.DataFrame, by_row: pd.DataFrame, scale: float) -> None:
    """Equal to 1e-9 relative, or to 1e-9 of ``scale`` (the largest term summed) where terms
    cancel: summing first rounds differently, never by more."""
    assert list(keyed.columns) == list(by_row.columns)
    for column in keyed.columns:
        if keyed[column].dtype.kind != "f":
            assert keyed[column].astype(str).tolist() == by_row[column].astype(str).tolist()
            continue
        np.testing.assert_allclose(
            keyed[column].to_numpy(),
            by_row[column].to_numpy(),
            rtol=1e-9,
            atol=1e-9 * scale,
            err_msg=column,
        )


def largest_term(accounts: Accounts) -> float:
    return float(np.abs(accounts.contributions.to_numpy()).max(initial=0.0))


@settings(max_examples=40, deadline=None)
@given(rows_strategy, st.sampled_from(["ningxia", "national_ets", "northwest"]))
def test_summing_rows_by_key_first_gives_the_per_row_totals(
    rows: list[tuple], factors: str
) -> None:
    activity = build(rows)
    keyed, by_row = account(activity, factors), per_row(activity, factors)
    scale = largest_term(by_row)
    assert len(keyed.keyed) <= len(activity)
    for level in ("facility", "enterprise", "sector", "division", "enterprise_sum", "base"):
        for frequency in ("month", "year"):
            assert_close(keyed.totals(level, frequency), by_row.totals(level, frequency), scale)
    assert keyed.factor_values() == by_row.factor_values()


def test_rows_of_one_key_are_summed_and_measured_rows_kept() -> None:
    activity = build(
        [
            ("E1", "F1", "2023-01", 0, 10.0, False),
            ("E1", "F1", "2023-01", 0, 5.0, False),  # same key: summed
            ("E1", "F1", "2023-01", 0, 7.0, True),  # measured NCV: its own row
            ("E2", "F1", "2023-01", 0, 1.0, False),
        ]
    )
    result = account(activity, "ningxia")
    assert sorted(result.keyed["quantity"].tolist()) == [1.0, 7.0, 15.0]
    by_row = per_row(activity, "ningxia")
    assert_close(result.totals("enterprise"), by_row.totals("enterprise"), largest_term(by_row))
