"""LMDI against the LMDIR oracles (modeling.md §1.4) and its defining properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from carbonpeak.tracking import decompose, decompose_table, log_mean, period_effects

SIMPLE = np.array(
    [
        [[1, 10, 2], [4, 5, 3]],
        [[4, 5, 3], [5, 6, 4]],
        [[8, 2, 4], [5, 7, 5]],
        [[10, 1, 5], [6, 8, 6]],
    ],
    dtype=float,
)
YEARS = ["1971", "1972", "1973", "1974"]
FACTORS = ["f1", "f2", "f3"]

# O-LMDI-1: Z rows, ΔV by factor, D by factor, per period.
ORACLE = [
    (
        [[50.47438029, -25.23719014, 14.76280986], [19.31568569, 15.78206435, 24.90224996]],
        [69.79006598, -9.455125793, 39.66505981],
        [1.761117821, 0.926191306, 1.379410116],
    ),
    (
        [[42.96021467, -56.79031473, 17.83010006], [0, 22.47128816, 32.52871184]],
        [42.96021467, -34.31902656, 50.3588119],
        [1.229284572, 0.847970248, 1.273773912],
    ),
    (
        [[12.6549815, -39.30996299, 12.6549815], [41.35566084, 30.28867832, 41.35566084]],
        [54.01064234, -9.021284671, 54.01064234],
        [1.208140223, 0.968911503, 1.208140223],
    ),
]


def test_lmdir_simple_oracle() -> None:
    result = decompose(SIMPLE, YEARS, FACTORS)
    np.testing.assert_allclose(result.totals, [80, 180, 239, 338])
    for period, (z, additive, multiplicative) in enumerate(ORACLE):
        np.testing.assert_allclose(result.contributions[period], z, atol=1e-8)
        np.testing.assert_allclose(result.additive[period], additive, atol=1e-8)
        np.testing.assert_allclose(result.multiplicative[period], multiplicative, atol=1e-8)
    np.testing.assert_allclose(np.cumsum(result.additive.sum(axis=1)), [100, 159, 258])
    np.testing.assert_allclose(
        result.multiplicative.prod(axis=1), [2.25, 1.327777778, 1.414225941], atol=1e-8
    )


def test_lmdir_zero_oracles() -> None:
    start = SIMPLE[0].copy()
    start[0, 0] = 0  # (a) X⁰[subcat 1, factor 1] = 0
    np.testing.assert_allclose(
        period_effects(start, SIMPLE[1]),
        [[60, 0, 0], [19.31568569, 15.78206435, 24.90224996]],
        atol=1e-8,
    )
    end = SIMPLE[1].copy()
    end[1, 2] = 0  # (b) Xᵀ[subcat 2, factor 3] = 0
    np.testing.assert_allclose(
        period_effects(SIMPLE[0], end),
        [[50.47438029, -25.23719014, 14.76280986], [0, 0, -60]],
        atol=1e-8,
    )


@pytest.mark.parametrize(
    ("x0", "xt", "expected"),
    [
        ([0.0, 1.0], [9999.0, 42 / 9999], [42.0, 0.0]),  # v0 = 0, vT = 42: appears
        ([9999.0, 42 / 9999], [0.0, 1.0], [-42.0, 0.0]),  # vanishes
        ([0.0, 0.0], [0.0, 0.0], [0.0, 0.0]),  # v0 = vT = 0
        ([5.0, 0.0], [0.0, 5.0], [0.0, 0.0]),  # v0 = vT = 0 through different factors
    ],
)
def test_degenerate_cases(x0: list[float], xt: list[float], expected: list[float]) -> None:
    np.testing.assert_allclose(
        period_effects(np.array([x0]), np.array([xt]))[0], expected, atol=1e-12
    )


def test_rejects_negative_values_and_ambiguous_zeros() -> None:
    with pytest.raises(ValueError, match="≥ 0"):
        period_effects(np.array([[1.0, -1.0]]), np.array([[1.0, 1.0]]))
    with pytest.raises(ValueError, match="more than one zero factor"):
        period_effects(np.array([[0.0, 0.0]]), np.array([[2.0, 3.0]]))


def test_log_mean() -> None:
    assert float(log_mean(5.0, 5.0)) == 5.0
    assert float(log_mean(np.e, 1.0)) == pytest.approx(np.e - 1)
    assert float(log_mean(0.0, 3.0)) == 0.0


def test_long_table_input() -> None:
    rows = [
        {"period": year, "subcategory": f"s{i + 1}", "factor": factor, "value": SIMPLE[p, i, k]}
        for p, year in enumerate(YEARS)
        for i in range(2)
        for k, factor in enumerate(FACTORS)
    ]
    result = decompose_table(pd.DataFrame(rows))
    np.testing.assert_allclose(result.additive[0], ORACLE[0][1], atol=1e-8)
    chained = result.table()
    whole = chained[(chained["from"] == "1971") & (chained["to"] == "1974")]
    assert whole["additive"].sum() == pytest.approx(258)
    with pytest.raises(ValueError, match="no value for period 1974, subcategory s2"):
        decompose_table(pd.DataFrame(rows[:-3]))


positive = arrays(
    np.float64,
    st.tuples(st.integers(2, 4), st.integers(1, 4), st.integers(1, 4)),
    elements=st.floats(0.01, 1000),
)


@settings(max_examples=100, deadline=None)
@given(positive)
def test_perfect_decomposition_and_link(x: np.ndarray) -> None:
    labels = [str(2020 + p) for p in range(x.shape[0])]
    result = decompose(x, labels, [f"k{k}" for k in range(x.shape[2])])
    change = np.diff(result.totals)
    tolerance = 1e-12 * float(result.totals.max())
    np.testing.assert_allclose(result.additive.sum(axis=1), change, rtol=1e-9, atol=tolerance)
    np.testing.assert_allclose(
        result.multiplicative.prod(axis=1), result.totals[1:] / result.totals[:-1], rtol=1e-9
    )
    scale = log_mean(result.totals[1:], result.totals[:-1])[:, None]
    np.testing.assert_allclose(
        result.additive, scale * np.log(result.multiplicative), rtol=1e-9, atol=1e-9
    )
    # Chaining: the chained effects sum to the change from the first to the last period.
    assert result.additive.sum() == pytest.approx(
        result.totals[-1] - result.totals[0], rel=1e-9, abs=tolerance
    )


@settings(max_examples=100, deadline=None)
@given(positive, st.randoms(use_true_random=False))
def test_time_reversal_and_factor_order(x: np.ndarray, rng: object) -> None:
    forward = period_effects(x[0], x[1])
    backward = period_effects(x[1], x[0])
    # Round-off scales with the aggregate (as in test_perfect_decomposition_and_link): an effect
    # near zero carries the absolute error of the totals it is the difference of.
    tolerance = max(1e-9, 1e-12 * float(x.prod(axis=2).sum(axis=1).max()))
    np.testing.assert_allclose(forward, -backward, rtol=1e-9, atol=tolerance)
    order = list(range(x.shape[2]))
    rng.shuffle(order)  # type: ignore[attr-defined]
    shuffled = period_effects(x[0][:, order], x[1][:, order])
    np.testing.assert_allclose(shuffled, forward[:, order], rtol=1e-9, atol=tolerance)
