"""The regional terms of a projection follow the accounts' rule: the yearly formula reproduces the
worked base of three units in docs/accounting.md, the vectorised and plain versions agree, and
added non-fossil capacity moves the base as the regional method says."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonpeak.scenarios import Boundary, Flows
from carbonpeak.scenarios.regional import offsets, terms, terms_loop

# docs/accounting.md, "a base of three units": factor set ningxia, data year 2024.
THREE_UNITS = Boundary(
    grid_factor=0.6187,
    residual_factor=0.6096,
    grid_non_fossil_share=0.2521,
    equivalent_tce_per_mwh=0.3016,
    calorific_tce_per_mwh=0.1229,
    non_fossil_supplied_mwh=12_000.0,
    non_fossil_delivered_mwh=0.0,
    electricity_co2_t=-146_631.90,
    energy_tce=45_947.50,
    energy_equivalent_tce=6_633.50,
    non_fossil_tce=414.41,
)
THREE_UNITS_FLOWS = Flows(
    bought=30_000.0,  # the chemical plant's grid electricity, 5 000 MWh of it green
    own=0.0,
    green=5_000.0,
    fossil_supplied=250_000.0,
    delivered=0.0,
    new_non_fossil=0.0,
    units_energy=71_430.00 + 5_242.50,  # the units' own energy: power plant and chemical plant
    grid=1.0,
)
NO_OFFSET = dict.fromkeys(
    ("electricity_co2_t", "energy_tce", "energy_equivalent_tce", "non_fossil_tce"), 0.0
)


def test_the_yearly_formula_reproduces_the_worked_base_of_three_units() -> None:
    found = terms_loop(THREE_UNITS, THREE_UNITS_FLOWS, NO_OFFSET)
    assert found["net_imported_electricity_mwh"] == pytest.approx(-232_000.0)
    assert found["electricity_co2_t"] == pytest.approx(-146_631.90, abs=0.005)
    assert found["energy_tce"] == pytest.approx(45_947.50, abs=0.005)
    assert found["energy_equivalent_tce"] == pytest.approx(6_633.50, abs=0.005)
    assert found["non_fossil_tce"] == pytest.approx(414.41, abs=0.005)
    assert 100 * found["non_fossil_tce"] / found["energy_equivalent_tce"] == pytest.approx(
        6.25, abs=0.005
    )
    # One month: the accounted values are the formula's, up to the table's rounding.
    for name, value in offsets(THREE_UNITS, THREE_UNITS_FLOWS).items():
        assert abs(value) < 0.005, name


def test_added_non_fossil_capacity_in_an_exporting_base() -> None:
    """Every added MWh generated in the base is exported (or replaces an import) at the grid
    factor, leaves energy unchanged (generation in, export out) and raises the share."""
    offset = offsets(THREE_UNITS, THREE_UNITS_FLOWS)
    before = terms_loop(THREE_UNITS, THREE_UNITS_FLOWS, offset)
    after = terms_loop(THREE_UNITS, replace(THREE_UNITS_FLOWS, new_non_fossil=10_000.0), offset)
    assert after["electricity_co2_t"] - before["electricity_co2_t"] == pytest.approx(-6_187.0)
    assert after["energy_tce"] == pytest.approx(before["energy_tce"])
    assert after["energy_equivalent_tce"] == pytest.approx(before["energy_equivalent_tce"])
    assert after["non_fossil_tce"] > before["non_fossil_tce"]


def test_an_importer_takes_the_grids_non_fossil_share_and_the_residual_factor() -> None:
    importer = replace(THREE_UNITS, non_fossil_supplied_mwh=0.0)
    flows = replace(THREE_UNITS_FLOWS, fossil_supplied=0.0, grid=0.9)
    found = terms_loop(importer, flows, NO_OFFSET)
    assert found["net_imported_electricity_mwh"] == pytest.approx(30_000.0)
    # The rest beside green power takes the residual factor, which falls with the grid.
    assert found["electricity_co2_t"] == pytest.approx(25_000.0 * 0.6096 * 0.9)
    # The grid's non-fossil share rises as its factor falls: 1 − (1 − 0.2521) × 0.9.
    share = 1 - (1 - 0.2521) * 0.9
    assert found["non_fossil_tce"] == pytest.approx(30_000.0 * share * 0.3016)


@settings(max_examples=60, deadline=None)
@given(
    bought=st.floats(0, 5e7),
    own=st.floats(0, 5e6),
    green=st.floats(0, 1.0),
    supplied=st.floats(0, 5e7),
    new=st.floats(0, 3e7),
    grid=st.floats(0.5, 1.2),
    residual=st.booleans(),
)
def test_vectorised_terms_equal_the_plain_ones(
    bought: float,
    own: float,
    green: float,
    supplied: float,
    new: float,
    grid: float,
    residual: bool,
) -> None:
    boundary = THREE_UNITS if residual else replace(THREE_UNITS, residual_factor=math.nan)
    plain = Flows(bought, own, green * bought, supplied, 1e3, new, 2e7, grid)
    offset = offsets(boundary, THREE_UNITS_FLOWS)
    vector = Flows(*(np.array([[float(v)]]) for v in vars(plain).values()))
    fast = terms(boundary, vector, offset)
    slow = terms_loop(boundary, plain, offset)
    for name, value in slow.items():
        np.testing.assert_allclose(fast[name][0, 0], value, rtol=1e-12, atol=1e-6, err_msg=name)
