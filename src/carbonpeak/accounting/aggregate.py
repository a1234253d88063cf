"""Activity rows summed by key before the arithmetic.

Every base metric is linear in a row's amount once the row's key is fixed (enterprise, facility,
sector, month, item, role, purpose, green certificate): its factors and the rules that apply
depend on nothing else but measured values. So rows with the same key and no measured value
(NCV, carbon content, oxidation rate, parameters, a gas volume) are summed first, 10M rows to
some 60k keys, and the rules run once per key; rows with a measured value keep their own row.
Totals at every level are then sums over keys, equal to sums over rows up to rounding.
"""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd

__all__ = ["KEY_COLUMNS", "by_key"]

KEY_COLUMNS = (
    "enterprise",
    "facility",
    "sector",
    "period",
    "item",
    "role",
    "purpose",
    "green_certificate",
)
# A key space up to this many slots per row is counted densely (np.bincount), else sorted.
_DENSE_SLOTS_PER_ROW = 4


def by_key(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with the rows of the same key and no measured value summed into one (their
    ``quantity`` added); rows with a measured value follow unchanged. ``rows`` itself where its
    columns are not those of ``parse_activity`` (categorical keys, numeric measurements)."""
    measured = [c for c in rows.columns if c not in (*KEY_COLUMNS, "year", "quantity")]
    if not set(KEY_COLUMNS) <= set(rows.columns) or any(
        rows[c].dtype.kind != "f" for c in measured
    ):
        return rows
    if not all(
        rows[c].dtype == bool or isinstance(rows[c].dtype, pd.CategoricalDtype) for c in KEY_COLUMNS
    ):
        return rows
    plain: np.ndarray | None = None  # None: every row is plain
    for column in measured:
        values = rows[column].to_numpy()
        if not np.isnan(np.fmax.reduce(values, initial=np.nan)):  # some value measured
            plain = np.isnan(values) if plain is None else plain & np.isnan(values)
    codes, sizes = [], []
    for column in KEY_COLUMNS:
        code, size = _codes(rows[column])
        if code.size and code.min() < 0:  # a missing key: the row stays on its own
            plain = (code >= 0) if plain is None else plain & (code >= 0)
        codes.append(code)
        sizes.append(size)
    keyed = _sum_plain(rows, codes, sizes, plain)
    if plain is None:
        return keyed
    return pd.concat([keyed, rows[~plain]], ignore_index=True)


def _codes(column: pd.Series) -> tuple[np.ndarray, int]:
    if column.dtype == bool:
        return column.to_numpy().view(np.int8), 2
    return column.cat.codes.to_numpy(), len(column.cat.categories)


def _sum_plain(
    rows: pd.DataFrame, codes: list[np.ndarray], sizes: list[int], plain: np.ndarray | None
) -> pd.DataFrame:
    """One row per key of the plain rows, with the summed quantity."""
    quantity = rows["quantity"].to_numpy(dtype=float)
    if plain is not None:
        quantity = quantity[plain]
    varying = [i for i, size in enumerate(sizes) if size > 1]  # constant columns: code 0
    key = np.zeros(len(quantity), dtype=np.int64)
    space = 1
    for i in varying:
        code = codes[i] if plain is None else codes[i][plain]
        key = key * sizes[i] + code
        space *= sizes[i]
    if space <= max(_DENSE_SLOTS_PER_ROW * len(key), 1 << 20):
        present = np.flatnonzero(np.bincount(key, minlength=space))
        sums = np.bincount(key, weights=quantity, minlength=space)[present]
    else:
        present, inverse = np.unique(key, return_inverse=True)
        sums = np.bincount(inverse, weights=quantity, minlength=len(present))
    decoded = {}
    for i in reversed(varying):
        present, decoded[i] = np.divmod(present, sizes[i])
    n = len(sums)
    columns: dict[str, object] = {}
    for i, name in enumerate(KEY_COLUMNS):
        code = decoded.get(i, np.zeros(n, dtype=np.int64))
        if rows[name].dtype == bool:
            columns[name] = code.astype(bool)
        else:
            columns[name] = pd.Categorical.from_codes(
                code, dtype=cast(pd.CategoricalDtype, rows[name].dtype)
            )
    period = rows["period"].cat.categories
    years = np.array([int(str(p)[:4]) for p in period], dtype=rows["year"].to_numpy().dtype)
    columns["year"] = years[decoded.get(KEY_COLUMNS.index("period"), np.zeros(n, dtype=int))]
    columns["quantity"] = sums
    frame = pd.DataFrame(
        {
            name: columns[name]
            if name in columns
            else np.full(n, np.nan, rows[name].to_numpy().dtype)
            for name in rows.columns
        }
    )
    if "source" in rows.attrs:  # not the rows' line numbers: keys have none
        frame.attrs["source"] = rows.attrs["source"]
    return frame
