"""LMDI-I decomposition, additive and multiplicative (Ang 2005, 2015), with the analytic limits for
zero values (Ang, Zhang & Choi 1998), as docs/tracking.md sets out.

The aggregate is V = Σ_i Π_k x_ik over sub-categories i (sectors, or sector × fuel) and factors k
(activity, structure, intensity, fuel mix, emission factor). A period's change splits exactly into
one effect per factor: ΔV = Σ_k ΔV_k and Vᵀ/V⁰ = Π_k D_k.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["Decomposition", "decompose", "decompose_table", "log_mean", "period_effects"]

Array = npt.NDArray[np.float64]


def log_mean(a: Array | float, b: Array | float) -> Array:
    """L(a, b) = (a − b) / (ln a − ln b), with L(a, a) = a; 0 where either is 0."""
    a_, b_ = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = (a_ - b_) / (np.log(a_) - np.log(b_))
    mean = np.where(np.isclose(a_, b_, rtol=1e-12, atol=0.0), a_, mean)
    return np.where((a_ <= 0) | (b_ <= 0), 0.0, mean)


def period_effects(x0: Array, xt: Array) -> Array:
    """Z[i, k]: the additive effect of factor k in sub-category i between two periods.

    ``x0`` and ``xt`` have shape (sub-categories, factors), all ≥ 0. Zeros take the analytic
    limits: a sub-category that appears (or disappears) is attributed wholly to the factor that
    was (or became) zero; zero factors in unchanged-zero rows contribute nothing.
    """
    x0, xt = np.asarray(x0, dtype=float), np.asarray(xt, dtype=float)
    if x0.shape != xt.shape or x0.ndim != 2:
        raise ValueError(
            f"expected two (sub-categories × factors) arrays, got {x0.shape} and {xt.shape}"
        )
    if (x0 < 0).any() or (xt < 0).any():
        raise ValueError(
            "LMDI needs factor values ≥ 0; report negative terms (such as CO2 "
            "utilised) as a separate line"
        )
    v0, vt = x0.prod(axis=1), xt.prod(axis=1)
    weight = log_mean(vt, v0)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        normal = weight * np.log(xt / x0)
    z = np.where((x0 > 0) & (xt > 0), normal, 0.0)
    # A row that appears: the factor(s) that were 0 carry v_iᵀ; one that disappears: −v_i⁰.
    appears = (v0 == 0) & (vt > 0)
    vanishes = (v0 > 0) & (vt == 0)
    z = np.where(appears[:, None] & (x0 == 0) & (xt > 0), vt[:, None], z)
    z = np.where(vanishes[:, None] & (x0 > 0) & (xt == 0), -v0[:, None], z)
    z = np.where((appears | vanishes)[:, None] & (x0 > 0) & (xt > 0), 0.0, z)
    zeros_then = (x0 == 0).sum(axis=1)
    zeros_now = (xt == 0).sum(axis=1)
    if ((appears & (zeros_then > 1)) | (vanishes & (zeros_now > 1))).any():
        raise ValueError(
            "a sub-category appears or vanishes through more than one zero factor: "
            "the decomposition would not be perfect; split it explicitly"
        )
    return np.asarray(z, dtype=float)


@dataclass(frozen=True)
class Decomposition:
    """Effects of each factor over each period, and chained over all periods."""

    periods: list[tuple[str, str]]
    factors: list[str]
    totals: Array  # V per period label, shape (periods + 1,)
    additive: Array  # ΔV_k per period, shape (periods, factors)
    multiplicative: Array  # D_k per period, shape (periods, factors)
    contributions: Array  # Z per period, shape (periods, sub-categories, factors)

    def table(self) -> pd.DataFrame:
        """One row per period and factor, with both forms, plus the chained whole."""
        rows = []
        for p, (start, end) in enumerate(self.periods):
            for k, factor in enumerate(self.factors):
                rows.append(
                    {
                        "from": start,
                        "to": end,
                        "factor": factor,
                        "additive": float(self.additive[p, k]),
                        "multiplicative": float(self.multiplicative[p, k]),
                    }
                )
        chained_add = self.additive.sum(axis=0)
        chained_mul = self.multiplicative.prod(axis=0)
        for k, factor in enumerate(self.factors):
            rows.append(
                {
                    "from": self.periods[0][0],
                    "to": self.periods[-1][1],
                    "factor": factor,
                    "additive": float(chained_add[k]),
                    "multiplicative": float(chained_mul[k]),
                }
            )
        return pd.DataFrame(rows)


def decompose(x: Array, labels: list[str], factors: list[str]) -> Decomposition:
    """Chained LMDI-I over consecutive periods. ``x`` has shape (periods, sub-categories,
    factors) and ``labels`` names the periods."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 3 or x.shape[0] != len(labels) or x.shape[2] != len(factors):
        raise ValueError(
            f"x of shape {x.shape} does not fit {len(labels)} periods and {len(factors)} factors"
        )
    if len(labels) < 2:
        raise ValueError("a decomposition needs at least two periods")
    totals = x.prod(axis=2).sum(axis=1)
    contributions = np.stack([period_effects(x[p], x[p + 1]) for p in range(len(labels) - 1)])
    additive = contributions.sum(axis=1)
    scale = log_mean(totals[1:], totals[:-1])[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        multiplicative = np.where(scale > 0, np.exp(additive / scale), np.nan)
    return Decomposition(
        periods=list(itertools.pairwise(labels)),
        factors=list(factors),
        totals=totals,
        additive=additive,
        multiplicative=multiplicative,
        contributions=contributions,
    )


def decompose_table(frame: pd.DataFrame) -> Decomposition:
    """LMDI from a long table with columns period, subcategory, factor, value (one value per
    period, sub-category and factor; periods in their sorted order)."""
    required = {"period", "subcategory", "factor", "value"}
    missing = required - set(frame.columns)
    if missing:
        raise ValueError(f"missing columns: {', '.join(sorted(missing))}")
    duplicated = frame.duplicated(["period", "subcategory", "factor"])
    if duplicated.any():
        first = frame[duplicated].iloc[0]
        raise ValueError(
            f"more than one value for period {first['period']}, subcategory "
            f"{first['subcategory']}, factor {first['factor']}"
        )
    factors = list(dict.fromkeys(frame["factor"].astype(str)))
    cube = frame.astype({"period": str, "subcategory": str, "factor": str}).pivot_table(
        index=["period", "subcategory"], columns="factor", values="value", aggfunc="first"
    )
    periods = sorted(cube.index.get_level_values("period").unique())
    subcategories = sorted(cube.index.get_level_values("subcategory").unique())
    full = cube.reindex(
        pd.MultiIndex.from_product([periods, subcategories], names=["period", "subcategory"])
    )[factors]
    if full.isna().any().any():
        gap = full[full.isna().any(axis=1)].index[0]
        raise ValueError(
            f"no value for period {gap[0]}, subcategory {gap[1]} (give 0 for an "
            "absent sub-category)"
        )
    x = full.to_numpy(dtype=float).reshape(len(periods), len(subcategories), len(factors))
    return decompose(x, periods, factors)
