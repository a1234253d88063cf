"""Meter readings: validation of incoming payloads (MQTT messages, HTTP batches).

A reading is the quantity an energy meter measured over one interval (15 minutes by default,
per the online-monitoring technical specification), stamped at the interval's start, in Beijing
time, so that a reading belongs to the day and month of its stamp. Quantities are converted to
the item's unit from the accounting item catalogue.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from carbonpeak.accounting import items
from carbonpeak.datafile import Problem
from carbonpeak.monitoring.batch import READING_COLUMNS, parse_columns
from carbonpeak.units import UnitError, is_compatible, to_magnitude

__all__ = ["FUTURE_TOLERANCE", "READING_COLUMNS", "Meter", "beijing_now", "parse_readings"]

# A reading is stamped at its interval's start, so no honest stamp is later than now; the
# tolerance allows for a gateway's clock running a little fast.
FUTURE_TOLERANCE = timedelta(minutes=5)
BEIJING = ZoneInfo("Asia/Shanghai")


def beijing_now() -> datetime:
    """Beijing wall time, naive, as readings are kept."""
    return datetime.now(BEIJING).replace(tzinfo=None)


@dataclass(frozen=True)
class Meter:
    """A registered meter (计量器具)."""

    meter: str
    enterprise: str
    item: str
    interval_minutes: int
    max_interval_value: float  # plausibility limit per interval, in the item's unit
    calibration_due: str  # YYYY-MM-DD
    installed_on: str | None = None  # YYYY-MM-DD; no reading is dated before it


def parse_readings(
    records: list[Any],
    meters: dict[str, Meter],
    now: datetime | None = None,
    enterprise: str | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Valid readings as a frame, and a problem per rejected record (kept apart, not dropped
    silently). Negative and implausible values are kept: quality checks count them.

    Refused: anything but an object, an unknown meter, a meter of another enterprise than
    ``enterprise`` (the sender's, when known), a stamp later than ``now`` (Beijing time) plus
    :data:`FUTURE_TOLERANCE` or before the meter was installed, a value that is not a finite
    number, a unit that does not convert to the meter item's. No record, however malformed,
    raises: each becomes a problem.
    """
    latest = (now or beijing_now()) + FUTURE_TOLERANCE

    def one(index: int, record: Any) -> dict[str, Any] | Problem:
        where = f"reading {index + 1}"
        try:
            return _parse_one(record, meters, items(), latest, enterprise, where)
        except Exception as exc:  # a malformed record must never stop the others
            return Problem(where, f"malformed reading: {type(exc).__name__}", found=record)

    return parse_columns(records, meters, _item_units(), latest, enterprise, BEIJING, one)


@cache
def _item_units() -> dict[str, str]:
    """Each catalogue item's unit (the packaged catalogue does not change while running)."""
    return {key: item.unit for key, item in items().items()}


def _parse_one(
    record: Any,
    meters: dict[str, Meter],
    catalogue: Any,
    latest: datetime,
    enterprise: str | None,
    where: str,
) -> dict[str, Any] | Problem:
    if not isinstance(record, dict):
        return Problem(
            where,
            "not a reading",
            expected='an object {"meter", "ts", "value", "unit"}',
            found=record,
        )
    meter = meters.get(str(record.get("meter", "")))
    if meter is None:
        return Problem(
            f"{where}, meter",
            "unknown meter",
            expected="a registered meter id",
            found=record.get("meter"),
        )
    if enterprise is not None and meter.enterprise != enterprise:
        return Problem(
            f"{where}, meter",
            "the meter belongs to another enterprise than the sender's",
            expected=f"a meter of {enterprise}",
            found=f"{meter.meter} of {meter.enterprise}",
        )
    try:
        stamp = datetime.fromisoformat(str(record["ts"]))
        if stamp.tzinfo is not None:  # keep Beijing wall time, naive
            stamp = stamp.astimezone(BEIJING).replace(tzinfo=None)
    except (KeyError, ValueError, OverflowError):
        return Problem(
            f"{where}, ts",
            "not a timestamp",
            expected="ISO 8601, e.g. 2026-10-01T00:15:00+08:00",
            found=record.get("ts"),
        )
    if stamp > latest:
        return Problem(
            f"{where}, ts",
            "in the future",
            expected=f"at most {latest.isoformat(timespec='minutes')} Beijing time",
            found=record.get("ts"),
        )
    if meter.installed_on is not None and stamp.date().isoformat() < meter.installed_on:
        return Problem(
            f"{where}, ts",
            "before the meter was installed",
            expected=f"on or after {meter.installed_on}",
            found=record.get("ts"),
        )
    value = record.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return Problem(f"{where}, value", "not a number", expected="a number", found=value)
    target = catalogue[meter.item].unit
    unit = record.get("unit") or target
    try:
        if not isinstance(unit, str) or not is_compatible(unit, target):
            raise UnitError(str(unit))
        quantity = to_magnitude(float(value), unit, target)
    except Exception:  # pint raises more than UnitError on some malformed strings
        return Problem(
            f"{where}, unit",
            "unit does not fit the meter's item",
            expected=f"convertible to {target}",
            found=unit,
        )
    if not math.isfinite(quantity):
        return Problem(f"{where}, value", "not a finite quantity", expected="a number", found=value)
    return {
        "meter": meter.meter,
        "enterprise": meter.enterprise,
        "item": meter.item,
        "ts": pd.Timestamp(stamp),
        "value": quantity,
        "unit": target,
        "month": stamp.strftime("%Y-%m"),
    }
