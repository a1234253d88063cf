"""Per meter and month statistics of readings in one vectorised pass, without a window.

The Ibis rules in :mod:`carbonpeak.monitoring.quality` find gaps with ``LAG(ts) OVER
(PARTITION BY meter ORDER BY ts)`` over every reading, which sorts the whole table. Here each
period (month) is scanned once: readings keyed by an integer meter id (the meter's index in
the registry), in (meter, time) order within the month (partitions are written so; checked,
and sorted only when they are not), reduced per meter to counts, sums, the first and last
stamp, and the largest gap inside the month. The gap across a month boundary is the month's
first stamp minus the meter's last stamp in its previous month with readings: a step over
meter-months, not over readings. The registry (enterprise, item, limits, calibration) is joined
after aggregation. Every figure is computed the way the Ibis rules compute it (the same
floating-point expressions), so both agree to rounding.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

__all__ = ["MonthChunk", "combine_months", "meter_month_stats", "scan_month"]

TOLERANCE_SECONDS = 60  # as TIMESTAMP_TOLERANCE_SECONDS in quality.py
SLOT_SECONDS = 900
LONG_GAP_MINUTES = 60

STAT_COLUMNS = [
    "meter_id",
    "month",
    "received",
    "off_grid",
    "negative",
    "implausible",
    "valid_count",
    "valid_sum",
    "first_us",
    "last_us",
    "max_gap_within",
    "long_gaps_within",
]


@dataclass(frozen=True)
class MonthChunk:
    """One month's readings: registry index of each reading's meter (-1: not registered),
    the stamp in microseconds since the epoch (naive Beijing time), the value."""

    month: str
    meter_id: NDArray[np.int64]
    ts_us: NDArray[np.int64]
    value: NDArray[np.float64]


def _minutes(later: NDArray[np.int64], earlier: NDArray[np.int64]) -> NDArray[np.float64]:
    # As DuckDB's (EPOCH(ts) - EPOCH(previous)) / 60: seconds as doubles, then the difference.
    return (later / 1e6 - earlier / 1e6) / 60


def _sorted(
    ids: NDArray[np.int64], ts: NDArray[np.int64], value: NDArray[np.float64]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], NDArray[np.bool_], Any]:
    # One int64 key (meter, time since the month's first stamp) sorts faster than lexsort.
    low = int(ts.min())
    span = int(ts.max()) - low + 1
    if (int(ids.max()) + 1) * span < 2**62:
        order = np.argsort(ids * span + (ts - low))
    else:
        order = np.lexsort((ts, ids))
    ids, ts = ids[order], ts[order]
    changed = ids[1:] != ids[:-1]
    starts = np.flatnonzero(np.concatenate(([True], changed)))
    return ids, ts, value[order], changed, starts


def scan_month(chunk: MonthChunk, limits: NDArray[np.float64]) -> dict[str, np.ndarray]:
    """Statistics per meter of one month: ``limits`` is each registry meter's plausibility limit
    (max_interval_value), indexed by meter id."""
    known = chunk.meter_id >= 0
    ids, ts, value = chunk.meter_id, chunk.ts_us, chunk.value
    if not known.all():
        ids, ts, value = ids[known], ts[known], value[known]
    n = ids.shape[0]
    if n == 0:
        return {name: np.zeros(0) for name in STAT_COLUMNS if name != "month"}
    changed = ids[1:] != ids[:-1]
    starts = np.flatnonzero(np.concatenate(([True], changed)))
    ordered = np.unique(ids[starts]).shape[0] == starts.shape[0] and bool(
        np.all((ts[1:] >= ts[:-1]) | changed)
    )
    if not ordered:  # not in (meter, time) order: sort this month
        ids, ts, value, changed, starts = _sorted(ids, ts, value)
    ends = np.concatenate((starts[1:], [n]))
    seconds = np.floor_divide(ts, 1_000_000) % SLOT_SECONDS
    off_grid = np.minimum(seconds, SLOT_SECONDS - seconds) > TOLERANCE_SECONDS
    limit = limits[ids]
    valid = (value >= 0) & (value <= limit)
    gaps = np.full(n, -np.inf)
    seconds_since_epoch = ts / 1e6  # as DuckDB's EPOCH(ts)
    gaps[1:] = np.where(changed, -np.inf, np.diff(seconds_since_epoch) / 60)
    del seconds_since_epoch

    def total(flags: NDArray[np.bool_]) -> NDArray[np.int64]:
        return np.add.reduceat(flags.astype(np.int64), starts)

    return {
        "meter_id": ids[starts],
        "received": ends - starts,
        "off_grid": total(off_grid),
        "negative": total(value < 0),
        "implausible": total(value > limit),
        "valid_count": total(valid),
        "valid_sum": np.add.reduceat(np.where(valid, value, 0.0), starts),
        "first_us": ts[starts],
        "last_us": ts[ends - 1],
        "max_gap_within": np.maximum.reduceat(gaps, starts),
        "long_gaps_within": total(gaps > LONG_GAP_MINUTES),
    }


def meter_month_stats(chunks: Iterable[MonthChunk], limits: NDArray[np.float64]) -> pd.DataFrame:
    """Per (meter id, month): received, off_grid, negative, implausible, valid_count, valid_sum,
    max_gap_minutes (NaN when the meter's first reading is the only one so far) and long_gaps,
    the gaps counted across month boundaries too. Each month must come in one chunk."""
    return combine_months((chunk.month, scan_month(chunk, limits)) for chunk in chunks)


def combine_months(scanned: Iterable[tuple[str, dict[str, np.ndarray]]]) -> pd.DataFrame:
    """The months' statistics (:func:`scan_month`) together, with the gaps across months."""
    parts = []
    for month, stats in scanned:
        frame = pd.DataFrame(stats)
        frame.insert(1, "month", month)
        parts.append(frame)
    if not parts:
        return _empty()
    frame = pd.concat(parts, ignore_index=True)
    if frame.empty:
        return _empty()
    frame = frame.sort_values(["meter_id", "month"], ignore_index=True)
    ids = frame["meter_id"].to_numpy(np.int64)
    first = frame["first_us"].to_numpy(np.int64)
    last = frame["last_us"].to_numpy(np.int64)
    across = np.full(len(frame), -np.inf)
    same = ids[1:] == ids[:-1]
    across[1:] = np.where(same, _minutes(first[1:], last[:-1]), -np.inf)
    within = frame["max_gap_within"].to_numpy(float)
    largest = np.maximum(within, across)
    frame["max_gap_minutes"] = np.where(np.isneginf(largest), np.nan, largest)
    frame["long_gaps"] = frame["long_gaps_within"].to_numpy(np.int64) + (across > LONG_GAP_MINUTES)
    return frame.astype(
        {
            "meter_id": np.int64,
            "first_us": np.int64,
            "last_us": np.int64,
            "received": np.int64,
            "off_grid": np.int64,
            "negative": np.int64,
            "implausible": np.int64,
            "valid_count": np.int64,
            "long_gaps": np.int64,
            "valid_sum": float,
        }
    ).drop(columns=["max_gap_within", "long_gaps_within"])


def _empty() -> pd.DataFrame:
    columns = [c for c in STAT_COLUMNS if not c.endswith("_within")]
    return pd.DataFrame({c: [] for c in [*columns, "max_gap_minutes", "long_gaps"]})
