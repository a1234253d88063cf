"""A month's per meter statistics from the statistics of its parts.

A month partition may hold several files (one per flush); scanning each file on its own keeps the
work in the CPU's cache and the memory to one file. A meter's parts are joined when they follow
each other in time (one part's last stamp no later than the next part's first, as files
appended flush after flush are): then the month's sorted readings are the parts one after the
other, and its largest gap is the largest of the parts' own and of the steps between them,
computed with the same floating-point expression. When a meter's parts overlap in time the month
must be scanned whole (sorted); :func:`merge_parts` says so by returning ``None``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from carbonpeak.monitoring.scan import LONG_GAP_MINUTES

__all__ = ["merge_parts"]

_SUMMED = [
    "received",
    "off_grid",
    "negative",
    "implausible",
    "valid_count",
    "valid_sum",
    "long_gaps_within",
]


def merge_parts(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray] | None:
    """The statistics (:func:`~carbonpeak.monitoring.scan.scan_month`) of one month's parts
    merged per meter, or ``None`` when some meter's parts overlap in time."""
    nonempty = [p for p in parts if p["meter_id"].shape[0]]
    if len(nonempty) <= 1:
        return nonempty[0] if nonempty else parts[0]
    parts = nonempty
    joined = {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
    ids = joined["meter_id"].astype(np.int64)
    order = np.lexsort((joined["first_us"], ids))
    joined = {name: column[order] for name, column in joined.items()}
    ids = ids[order]
    same = ids[1:] == ids[:-1]
    if not same.any():
        return joined
    first = joined["first_us"] / 1e6
    last = joined["last_us"] / 1e6
    if bool(np.any(same & (first[1:] < last[:-1]))):
        return None
    # The step into each part from the same meter's previous part, as DuckDB's
    # (EPOCH(ts) - EPOCH(previous)) / 60.
    between = np.full(ids.shape[0], -np.inf)
    between[1:] = np.where(same, (first[1:] - last[:-1]) / 60, -np.inf)
    starts = np.flatnonzero(np.concatenate(([True], ~same)))
    ends = np.concatenate((starts[1:], [ids.shape[0]]))
    merged: dict[str, NDArray[np.generic]] = {name: joined[name][starts] for name in joined}
    for name in _SUMMED:
        merged[name] = np.add.reduceat(joined[name], starts)
    merged["long_gaps_within"] = merged["long_gaps_within"] + np.add.reduceat(
        (between > LONG_GAP_MINUTES).astype(np.int64), starts
    )
    merged["last_us"] = joined["last_us"][ends - 1]
    merged["max_gap_within"] = np.maximum(
        np.maximum.reduceat(joined["max_gap_within"], starts),
        np.maximum.reduceat(between, starts),
    )
    return merged
