"""Batches of readings validated column by column: a gateway sends hundreds of readings in a
message, so each check runs over the batch's column (meters looked up, stamps parsed, values
typed, units converted by a factor cached per unit and item unit) instead of record by record
through pint. A record that fails any check is parsed again on its own by the record-wise rules
(:func:`carbonpeak.monitoring.readings._parse_one`), which name its problem: the outcome, rows
and problems, is the record-wise one."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from carbonpeak.units import is_compatible, to_magnitude

__all__ = ["READING_COLUMNS", "conversion_factor", "parse_columns"]

READING_COLUMNS = ["meter", "enterprise", "item", "ts", "value", "unit", "month"]


@lru_cache(maxsize=1024)
def conversion_factor(unit: str, target: str) -> float | None:
    """The factor from ``unit`` to ``target`` (None when they do not convert, or the conversion
    is not a plain factor, as temperatures are): pint runs once per pair, not per reading."""
    try:
        if not is_compatible(unit, target):
            return None
        factor = to_magnitude(1.0, unit, target)
        if to_magnitude(0.0, unit, target) != 0.0 or not math.isfinite(factor):
            return None
        return factor
    except Exception:  # pint raises more than UnitError on some malformed strings
        return None


def _stamp(text: Any, zone: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        try:
            stamp = stamp.astimezone(zone).replace(tzinfo=None)
        except (OverflowError, ValueError):
            return None
    return stamp


def _stamps(texts: list[Any], zone: Any) -> tuple[np.ndarray, np.ndarray]:
    """Each text as a naive stamp (NaT where it is none) and whether it is one. Texts of the
    plain shape ``YYYY-MM-DDTHH:MM:SS`` (``T`` or a space), with or without ``+08:00`` from
    1992 (Beijing time has had no summer time since), are parsed by numpy at once; the
    others one by one as :func:`datetime.fromisoformat` reads them."""
    count = len(texts)
    stamps = np.full(count, np.datetime64("NaT"), dtype="datetime64[us]")
    plain = np.zeros(count, dtype=bool)
    strings = [t if type(t) is str and len(t) in (19, 25) and t.isascii() else "" for t in texts]
    if count:
        long = np.array([len(t) == 25 for t in strings], dtype=bool)
        raw = np.array(strings, dtype="S25")
        table = raw.view(np.uint8).reshape(count, 25)
        digits = (table[:, _DIGITS] >= ord("0")) & (table[:, _DIGITS] <= ord("9"))
        plain = digits.all(axis=1) & (table[:, [4, 7]] == ord("-")).all(axis=1)
        plain &= (table[:, 10] == ord("T")) | (table[:, 10] == ord(" "))
        plain &= (table[:, [13, 16]] == ord(":")).all(axis=1)
        hours = (table[:, 11].astype(int) - ord("0")) * 10 + table[:, 12] - ord("0")
        plain &= hours < 24
        offset = table[:, 19:].copy().view("S6").reshape(-1)
        beijing = (offset == b"+08:00") & (raw >= b"1992")
        plain &= np.where(long, beijing, offset == b"")
        if plain.any():
            try:  # numpy reads the space separator as fromisoformat does
                stamps[plain] = raw[plain].astype("S19").astype("datetime64[us]")
            except ValueError:  # a day or time out of range: each read on its own
                plain[:] = False
    found = plain.copy()
    for index in np.flatnonzero(~plain):
        stamp = _stamp(texts[index], zone)
        if stamp is not None:
            stamps[index] = np.datetime64(stamp, "us")
            found[index] = True
    return stamps, found


_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]


def parse_columns(
    records: list[Any],
    meters: dict[str, Any],
    units: dict[str, str],
    latest: datetime,
    enterprise: str | None,
    zone: Any,
    one: Callable[[int, Any], dict[str, Any] | Any],
) -> tuple[pd.DataFrame, list[Any]]:
    """Valid readings (meter, enterprise, item, ts, value, unit, month) and the problems, both
    in record order. ``units``: each item's unit; ``one(index, record)``: the record-wise parse
    of a record that failed here (a row or a problem)."""
    ok = np.array([type(r) is dict for r in records], dtype=bool)
    meter_of = [meters.get(str(r.get("meter", ""))) if type(r) is dict else None for r in records]
    ok &= np.array([m is not None for m in meter_of], dtype=bool)
    if enterprise is not None:
        ok &= np.array([m is not None and m.enterprise == enterprise for m in meter_of], dtype=bool)
    texts = [r.get("ts") if good else None for r, good in zip(records, ok, strict=True)]
    stamp_array, parsed = _stamps(texts, zone)
    # Years before 1000 are left to the record-wise rules (strftime writes them unpadded).
    ok &= parsed & (stamp_array <= np.datetime64(latest, "us"))
    ok &= stamp_array >= np.datetime64("1000-01-01T00:00:00", "us")
    installed = np.array(
        [m.installed_on if m is not None and m.installed_on else "NaT" for m in meter_of],
        dtype="datetime64[D]",
    )
    ok &= np.isnat(installed) | (stamp_array.astype("datetime64[D]") >= installed)
    raw = [r.get("value") if good else None for r, good in zip(records, ok, strict=True)]
    ok &= np.array(
        [type(v) is float or (type(v) is int and -(2**63) < v < 2**63) for v in raw], dtype=bool
    )
    targets = [units.get(m.item, "") if m is not None else "" for m in meter_of]
    factors = np.array(
        [
            (_factor(r.get("unit"), t) if good else None) or math.nan
            for r, t, good in zip(records, targets, ok, strict=True)
        ],
        dtype=float,
    )
    values = np.array(
        [v if good else math.nan for v, good in zip(raw, ok, strict=True)], dtype=float
    )
    with np.errstate(over="ignore", invalid="ignore"):  # overflow: refused record by record
        quantities = values * factors
    ok &= np.isfinite(quantities) & np.isfinite(values)
    fallback = {int(i): one(int(i), records[i]) for i in np.flatnonzero(~ok)}
    problems = [o for o in fallback.values() if not isinstance(o, dict)]
    fast = np.flatnonzero(ok)
    meter_rows: list[Any] = [meter_of[i] for i in fast]
    kept_stamps = stamp_array[fast]
    months = kept_stamps.astype("datetime64[M]")
    distinct, where = np.unique(months, return_inverse=True)
    frame = pd.DataFrame(
        {
            "meter": [m.meter for m in meter_rows],
            "enterprise": [m.enterprise for m in meter_rows],
            "item": [m.item for m in meter_rows],
            "ts": pd.Series(kept_stamps, dtype="datetime64[us]"),
            "value": quantities[fast],
            "unit": [targets[i] for i in fast],
            "month": distinct.astype(str)[where.reshape(-1)].astype(object),
        },
        columns=READING_COLUMNS,
    )
    rescued = {i: row for i, row in fallback.items() if isinstance(row, dict)}
    if rescued:  # rare: a record the columns refused but the record-wise rules accept
        extra = pd.DataFrame(list(rescued.values()), columns=READING_COLUMNS)
        extra["ts"] = pd.to_datetime(extra["ts"]).astype("datetime64[us]")
        order = np.argsort(np.concatenate([fast, list(rescued)]), kind="stable")
        frame = pd.concat([frame, extra], ignore_index=True).iloc[order].reset_index(drop=True)
    frame["value"] = frame["value"].astype(float)
    return frame, problems


def _factor(unit: Any, target: str) -> float | None:
    if target == "":
        return None
    if unit is None or unit == "":
        return 1.0
    if not isinstance(unit, str):
        return None
    if unit == target:
        return 1.0
    return conversion_factor(unit, target)
