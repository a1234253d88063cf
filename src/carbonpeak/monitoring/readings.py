"""Meter readings: validation of incoming payloads (MQTT messages, HTTP batches).

A reading is the quantity an energy meter measured over one interval (15 minutes by default,
per the online-monitoring technical specification), stamped at the interval's start, in Beijing
time, so that a reading belongs to the day and month of its stamp. Quantities are converted to
the item's unit from the accounting item catalogue.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from carbonpeak.accounting import items
from carbonpeak.datafile import Problem
from carbonpeak.units import UnitError, is_compatible, to_magnitude

__all__ = ["READING_COLUMNS", "Meter", "parse_readings"]

READING_COLUMNS = ["meter", "enterprise", "item", "ts", "value", "unit", "month"]


@dataclass(frozen=True)
class Meter:
    """A registered meter (计量器具)."""

    meter: str
    enterprise: str
    item: str
    interval_minutes: int
    max_interval_value: float  # plausibility limit per interval, in the item's unit
    calibration_due: str  # YYYY-MM-DD


def parse_readings(
    records: list[dict[str, Any]], meters: dict[str, Meter]
) -> tuple[pd.DataFrame, list[Problem]]:
    """Valid readings as a frame, and a problem per rejected record (kept apart, not dropped
    silently). Negative and implausible values are kept: quality checks count them."""
    rows: list[dict[str, Any]] = []
    problems: list[Problem] = []
    catalogue = items()
    for index, record in enumerate(records):
        where = f"reading {index + 1}"
        meter = meters.get(str(record.get("meter", "")))
        if meter is None:
            problems.append(
                Problem(
                    f"{where}, meter",
                    "unknown meter",
                    expected="a registered meter id",
                    found=record.get("meter"),
                )
            )
            continue
        try:
            stamp = datetime.fromisoformat(str(record["ts"]))
        except (KeyError, ValueError):
            problems.append(
                Problem(
                    f"{where}, ts",
                    "not a timestamp",
                    expected="ISO 8601, e.g. 2026-10-01T00:15:00+08:00",
                    found=record.get("ts"),
                )
            )
            continue
        if stamp.tzinfo is not None:  # keep Beijing wall time, naive
            stamp = (
                pd.Timestamp(stamp).tz_convert("Asia/Shanghai").tz_localize(None).to_pydatetime()
            )
        value = record.get("value")
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(float(value))
        ):
            problems.append(
                Problem(f"{where}, value", "not a number", expected="a number", found=value)
            )
            continue
        unit = str(record.get("unit") or catalogue[meter.item].unit)
        target = catalogue[meter.item].unit
        try:
            if not is_compatible(unit, target):
                raise UnitError(unit)
            quantity = to_magnitude(float(value), unit, target)
        except UnitError:
            problems.append(
                Problem(
                    f"{where}, unit",
                    "unit does not fit the meter's item",
                    expected=f"convertible to {target}",
                    found=unit,
                )
            )
            continue
        rows.append(
            {
                "meter": meter.meter,
                "enterprise": meter.enterprise,
                "item": meter.item,
                "ts": pd.Timestamp(stamp),
                "value": quantity,
                "unit": target,
                "month": stamp.strftime("%Y-%m"),
            }
        )
    frame = pd.DataFrame(rows, columns=READING_COLUMNS)
    frame["ts"] = pd.to_datetime(frame["ts"]).astype("datetime64[us]")
    frame["value"] = frame["value"].astype(float)
    return frame, problems
