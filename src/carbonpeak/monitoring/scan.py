"""Per meter and month statistics of readings in one vectorised pass, without a window.

The Ibis rules in :mod:`carbonpeak.monitoring.quality` find gaps with ``LAG(ts) OVER
(PARTITION BY meter ORDER BY ts)`` over every reading, which sorts the whole table. Here each
month, or each part of a month (a partition file; parts are merged by
:mod:`carbonpeak.monitoring.parts`), is scanned once: readings keyed by an integer meter id (the
meter's index in the registry), in (meter, time) order (partitions are written so; checked, and
sorted only when they are not), reduced per meter to counts, sums, the first and last stamp,
and the largest gap inside the month. Values are looked at one by one only in a meter's run
whose minimum or maximum is out of bounds. The gap across a month boundary is the month's
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

__all__ = ["MonthChunk", "Workspace", "combine_months", "meter_month_stats", "scan_month"]

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
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    # One int64 key (meter, time since the chunk's first stamp) sorts faster than lexsort.
    low = int(ts.min())
    span = int(ts.max()) - low + 1
    if (int(ids.max()) + 1) * span < 2**62:
        order = np.argsort(ids * span + (ts - low), kind="stable")
    else:
        order = np.lexsort((ts, ids))
    return ids[order], ts[order], value[order]


class Workspace:
    """Scratch arrays reused from one chunk to the next. Scanning file by file keeps a chunk in
    the CPU's cache, and on a virtual machine a fresh temporary per operation costs more in page
    faults than the arithmetic does; one workspace per thread."""

    def __init__(self) -> None:
        self.size = 0
        self.seconds = np.empty(0)
        self.step = np.empty(0)
        self.integers = np.empty(0, np.int64)
        self.flags = np.empty(0, np.bool_)

    def reserve(self, n: int) -> None:
        if n > self.size:
            self.size = max(n, 2 * self.size)
            self.seconds = np.empty(self.size)
            self.step = np.empty(self.size)
            self.integers = np.empty(self.size, np.int64)
            self.flags = np.empty(self.size, np.bool_)


def _per_run(positions: NDArray[np.int64], starts: NDArray[np.int64]) -> NDArray[np.int64]:
    """How many of ``positions`` (reading indices) fall in each run."""
    if positions.shape[0] == 0:
        return np.zeros(starts.shape[0], np.int64)
    runs = np.searchsorted(starts, positions, side="right") - 1
    return np.bincount(runs, minlength=starts.shape[0]).astype(np.int64)


def _off_grid(ts: NDArray[np.int64], starts: NDArray[np.int64], work: Workspace) -> Any:
    # floor(ts / 1 s) mod 900 outside [-60, 60] s, i.e. ts mod 900 s in [61 s, 840 s): the
    # remainder as ts - (ts // slot) * slot (numpy divides by a constant fast, mod it does not).
    n = ts.shape[0]
    rest = work.integers[:n]
    slot = SLOT_SECONDS * 1_000_000
    np.floor_divide(ts, slot, out=rest)
    np.multiply(rest, slot, out=rest)
    np.subtract(ts, rest, out=rest)
    np.subtract(rest, (TOLERANCE_SECONDS + 1) * 1_000_000, out=rest)
    flags = work.flags[:n]
    np.less(rest.view(np.uint64), (SLOT_SECONDS - 2 * TOLERANCE_SECONDS - 1) * 1_000_000, out=flags)
    return _per_run(np.flatnonzero(flags), starts)


def _values(
    value: NDArray[np.float64],
    starts: NDArray[np.int64],
    lengths: NDArray[np.int64],
    limit: NDArray[np.float64],
) -> dict[str, np.ndarray]:
    """Negative, implausible and valid readings per run, and the valid sum. A run whose
    minimum is >= 0 and maximum <= its limit is all valid (NaN fails both tests), so only the
    other runs are looked at reading by reading."""
    low = np.minimum.reduceat(value, starts)
    high = np.maximum.reduceat(value, starts)
    valid_sum = np.add.reduceat(value, starts)
    negative = np.zeros(starts.shape[0], np.int64)
    implausible = np.zeros(starts.shape[0], np.int64)
    valid_count = lengths.copy()
    dirty = np.flatnonzero(~((low >= 0) & (high <= limit)))
    if dirty.shape[0]:
        sizes = lengths[dirty]
        offsets = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        positions = np.arange(int(sizes.sum())) + np.repeat(starts[dirty] - offsets, sizes)
        part = value[positions]
        cap = np.repeat(limit[dirty], sizes)
        valid = (part >= 0) & (part <= cap)
        negative[dirty] = np.add.reduceat((part < 0).astype(np.int64), offsets)
        implausible[dirty] = np.add.reduceat((part > cap).astype(np.int64), offsets)
        valid_count[dirty] = np.add.reduceat(valid.astype(np.int64), offsets)
        valid_sum[dirty] = np.add.reduceat(np.where(valid, part, 0.0), offsets)
    return {
        "negative": negative,
        "implausible": implausible,
        "valid_count": valid_count,
        "valid_sum": valid_sum,
    }


def scan_month(
    chunk: MonthChunk, limits: NDArray[np.float64], work: Workspace | None = None
) -> dict[str, np.ndarray]:
    """Statistics per meter of one month, or of part of a month (a file): ``limits`` is each
    registry meter's plausibility limit (max_interval_value), indexed by meter id."""
    work = work or Workspace()
    ids, ts, value = chunk.meter_id, chunk.ts_us, chunk.value
    if ids.shape[0] and int(ids.min()) < 0:
        known = ids >= 0
        ids, ts, value = ids[known], ts[known], value[known]
    n = ids.shape[0]
    if n == 0:
        return {name: np.zeros(0) for name in STAT_COLUMNS if name != "month"}
    work.reserve(n)
    flags = work.flags[: n - 1]
    np.not_equal(ids[1:], ids[:-1], out=flags)
    boundary = np.flatnonzero(flags)
    starts = np.concatenate(([0], boundary + 1))
    # Gaps as DuckDB's (EPOCH(ts) - EPOCH(previous)) / 60: seconds as doubles, then the
    # difference; divided by 60 after the maximum (division is monotonic: the same figure).
    seconds = np.divide(ts, 1e6, out=work.seconds[:n])
    step = work.step[:n]
    np.subtract(seconds[1:], seconds[:-1], out=step[:-1])
    step[-1] = -np.inf
    np.less(step[:-1], 0, out=flags)
    backwards = np.flatnonzero(flags)
    run_ids = ids[starts]
    # In (meter, time) order: each meter one run, time never going back inside a run (two
    # stamps distinct to the microsecond are distinct as float seconds until the year 2242).
    ordered = np.unique(run_ids).shape[0] == run_ids.shape[0] and bool(
        np.isin(backwards, boundary, assume_unique=True).all()
    )
    if not ordered:  # not in (meter, time) order: sort this chunk
        ids, ts, value = _sorted(ids, ts, value)
        return scan_month(MonthChunk(chunk.month, ids, ts, value), limits, work)
    step[boundary] = -np.inf  # a meter's first reading has no gap inside the chunk
    lengths = np.diff(np.concatenate((starts, [n])))
    np.greater(step, LONG_GAP_MINUTES * 60 - 1, out=work.flags[:n])
    candidates = np.flatnonzero(work.flags[:n])
    long_gaps = candidates[step[candidates] / 60 > LONG_GAP_MINUTES]
    return {
        "meter_id": run_ids,
        "received": lengths,
        "off_grid": _off_grid(ts, starts, work),
        **_values(value, starts, lengths, limits[run_ids]),
        "first_us": ts[starts],
        "last_us": ts[starts + lengths - 1],
        "max_gap_within": np.maximum.reduceat(step, starts) / 60,
        "long_gaps_within": _per_run(long_gaps, starts),
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
