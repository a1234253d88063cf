"""Numbers in report cells, read strictly, and the physical ranges of measured values.

One reading for every numeric column: the cell is normalised (NFKC, so full-width digits,
points and signs read as ASCII ones; U+2212 minus as '-'), then must be a plain decimal number
(``1200``, ``0.58``, ``2.5e3``); text, ``inf``, ``nan`` and thousands separators are refused, not
coerced or dropped. Ranges are physical limits, wide enough for any real plant and narrow enough
that a slip of unit or sign cannot pass (docs/accounting.md lists them).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from carbonpeak.units import UnitError, is_compatible, to_magnitude

__all__ = [
    "CARBON_LIMITS",
    "MAX_QUANTITY",
    "NCV_LIMITS",
    "PARAMETER_RANGES",
    "Range",
    "limit_per_unit",
    "normalise_number",
    "strict_numbers",
]

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?")


def normalise_number(text: str) -> str:
    """A cell's text as the number parser sees it: NFKC, trimmed, U+2212 minus as '-'."""
    return unicodedata.normalize("NFKC", text).strip().replace("\u2212", "-")


def _parse(text: str) -> float:
    if text == "":
        return math.nan
    cleaned = normalise_number(text)
    if not _NUMBER.fullmatch(cleaned):
        return math.inf  # marks "not a number"; inf itself is refused as text too
    value = float(cleaned)
    return value if math.isfinite(value) else math.inf


def strict_numbers(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Each cell as a float: NaN where the cell is empty, and a mask of cells that hold
    something other than a finite decimal number."""
    text = cells.fillna("").astype(str).str.strip()
    values = text.map(_parse).astype(float)
    bad = pd.Series(np.isinf(values.to_numpy()), index=cells.index)
    return values.where(~bad, np.nan), bad


@dataclass(frozen=True)
class Range:
    low: float
    high: float
    low_open: bool = False  # low itself excluded

    def outside(self, values: pd.Series) -> pd.Series:
        below = values <= self.low if self.low_open else values < self.low
        return values.notna() & (below | (values > self.high))

    def text(self) -> str:
        return f"{'(' if self.low_open else '['}{self.low:g}, {self.high:g}]"


# The most of anything one row may report for one month, in the item's unit (t, MWh, 万Nm3,
# GJ): ten billion, twice the coal China burns in a year.
MAX_QUANTITY = 1e10
# Measured NCV, per mass and per volume: hydrogen's 120 GJ/t is the highest fuel per tonne;
# 150 MJ/Nm3 is above butane's 120.
NCV_LIMITS = ((150.0, "GJ/t"), (150.0, "MJ/Nm3"))
# Measured carbon: per mass at most pure carbon, 1 tC/t; per volume 3 kgC/Nm3 (butane 2.1); per
# heat 0.1 tC/GJ (blast-furnace gas, the highest default, is 0.0708).
CARBON_LIMITS = ((1.0, "tC/t"), (3.0, "kgC/Nm3"), (0.1, "tC/GJ"))
PARAMETER_RANGES: dict[str, Range] = {
    "purity": Range(0.0, 1.0, low_open=True),
    "cao": Range(0.0, 1.0),
    "mgo": Range(0.0, 1.0),
    "cao_nc": Range(0.0, 1.0),
    "mgo_nc": Range(0.0, 1.0),
    "anode_consumption": Range(0.0, 2.0, low_open=True),
    "anode_sulfur": Range(0.0, 1.0),
    "anode_ash": Range(0.0, 1.0),
    "heat_ratio": Range(0.0, 1.0),
}


def limit_per_unit(limits: tuple[tuple[float, str], ...], unit: str) -> float:
    """The first limit that converts to ``unit`` (e.g. 150 GJ/t as GJ/万Nm3 does not, 150 MJ/Nm3
    does: 1500), or NaN when none does."""
    for value, limit_unit in limits:
        try:
            if is_compatible(limit_unit, unit):
                return to_magnitude(value, limit_unit, unit)
        except UnitError:
            return math.nan
    return math.nan
