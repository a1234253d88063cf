"""Aggregation and data quality of online-monitoring readings, written once in Ibis.

The same expressions run on DuckDB (the default) and on Spark (a province or a nation): the
caller binds ``readings``, ``meters``, ``calendar`` and ``reported`` to tables of its backend.
Rules follow the online-monitoring technical specification (accounting.md §5): completeness
of uploaded over expected intervals ≥ 90 %; telemetry totals within 5 % of the monthly report;
time stamps within a minute of the interval grid; gaps; negative or implausible values; meters
past their calibration date. Each enterprise and month gets a quality score of 0-100:
completeness 40 (full marks at 90 %), consistency 20 (full within 5 %, none beyond 20 %),
time stamps 10 (none when a fifth is off-grid), gaps 10 (none at 72 h, the repair deadline of
three working days), values 10 (none when 1 % are negative or implausible), calibration 10.
"""

from __future__ import annotations

import calendar as _calendar

import ibis
import ibis.selectors as s
import pandas as pd
from ibis import _
from ibis.expr.types import Table

__all__ = [
    "COMPLETENESS_THRESHOLD",
    "DEVIATION_LIMIT",
    "SCORE_WEIGHTS",
    "calendar_table",
    "daily_energy",
    "enterprise_month_quality",
    "meter_month_quality",
    "monthly_energy",
    "valid_readings",
]

COMPLETENESS_THRESHOLD = 0.90
DEVIATION_LIMIT = 0.05
TIMESTAMP_TOLERANCE_SECONDS = 60
# Points of the 100-point score.
SCORE_WEIGHTS = {
    "completeness": 40,
    "consistency": 20,
    "timestamps": 10,
    "gaps": 10,
    "values": 10,
    "calibration": 10,
}


def calendar_table(months: list[str], interval_minutes: int = 15) -> pd.DataFrame:
    """Expected readings per meter in each month."""
    per_day = 24 * 60 // interval_minutes
    return pd.DataFrame(
        {
            "month": months,
            "expected": [per_day * _calendar.monthrange(int(m[:4]), int(m[5:]))[1] for m in months],
            "month_end": [
                pd.Timestamp(m).to_period("M").end_time.strftime("%Y-%m-%d") for m in months
            ],
        }
    )


def valid_readings(readings: Table, meters: Table) -> Table:
    """Readings that count toward energy: not negative, not above the meter's limit."""
    joined = readings.join(meters.select("meter", "max_interval_value"), "meter")
    return joined.filter((_.value >= 0) & (_.value <= _.max_interval_value)).drop(
        "max_interval_value"
    )


def daily_energy(readings: Table, meters: Table) -> Table:
    """Energy per enterprise, item and day from valid readings."""
    valid = valid_readings(readings, meters)
    return (
        valid.mutate(day=valid.ts.truncate("D").cast("date"))
        .group_by(["enterprise", "item", "day"])
        .aggregate(quantity=_.value.sum(), readings=_.count())
        .order_by(["enterprise", "item", "day"])
    )


def monthly_energy(readings: Table, meters: Table) -> Table:
    """Energy per enterprise, item and month from valid readings (the accounting engine's unit)."""
    return (
        valid_readings(readings, meters)
        .group_by(["enterprise", "item", "month"])
        .aggregate(quantity=_.value.sum(), readings=_.count())
        .order_by(["enterprise", "item", "month"])
    )


def meter_month_quality(readings: Table, meters: Table, calendar: Table) -> Table:
    """Per meter and month: received vs expected, off-grid stamps, gaps, bad values, calibration."""
    window = ibis.window(group_by="meter", order_by="ts")
    stamped = readings.mutate(previous=readings.ts.lag().over(window))
    offset = (stamped.ts.minute() % 15) * 60 + stamped.ts.second()
    stamped = stamped.mutate(
        gap_minutes=(stamped.ts.epoch_seconds() - stamped.previous.epoch_seconds()) / 60,
        off_grid=ibis.least(offset, 900 - offset) > TIMESTAMP_TOLERANCE_SECONDS,
    )
    limits = meters.select("meter", "max_interval_value", "calibration_due", "interval_minutes")
    joined = stamped.join(limits, "meter")
    per_meter = joined.group_by(["meter", "enterprise", "item", "month"]).aggregate(
        received=_.count(),
        off_grid=_.off_grid.sum(),
        negative=(_.value < 0).sum(),
        implausible=(_.value > _.max_interval_value).sum(),
        max_gap_minutes=_.gap_minutes.max(),
        long_gaps=(_.gap_minutes > 60).sum(),
        calibration_due=_.calibration_due.max(),
    )
    with_calendar = per_meter.join(calendar, "month")
    return with_calendar.mutate(
        completeness=_.received / _.expected,
        calibration_expired=_.calibration_due < _.month_end,
    ).order_by(["enterprise", "meter", "month"])


def enterprise_month_quality(
    readings: Table, meters: Table, calendar: Table, reported: Table
) -> Table:
    """Per enterprise and month: the checks rolled up, the deviation of telemetry from the
    monthly report (``reported``: enterprise, item, month, reported), and a 0-100 score."""
    per_meter = meter_month_quality(readings, meters, calendar)
    totals = monthly_energy(readings, meters)
    consistency = (
        totals.join(reported, ["enterprise", "item", "month"], how="left")
        .mutate(deviation=((_.quantity - _.reported) / _.reported).abs())
        .group_by(["enterprise", "month"])
        .aggregate(max_deviation=_.deviation.max(), telemetry_total=_.quantity.sum())
    )
    rolled = per_meter.group_by(["enterprise", "month"]).aggregate(
        meters=_.meter.nunique(),
        received=_.received.sum(),
        expected=_.expected.sum(),
        off_grid=_.off_grid.sum(),
        bad_values=(_.negative + _.implausible).sum(),
        max_gap_minutes=_.max_gap_minutes.max(),
        long_gaps=_.long_gaps.sum(),
        expired_meters=_.calibration_expired.cast("int64").sum(),
    )
    joined = rolled.join(consistency, ["enterprise", "month"], how="left")
    completeness = joined.received / joined.expected
    weights = SCORE_WEIGHTS
    deviation_score = ibis.cases(
        (joined.max_deviation.isnull(), 0.0),
        (joined.max_deviation <= DEVIATION_LIMIT, float(weights["consistency"])),
        else_=ibis.greatest(
            0.0, weights["consistency"] * (1 - (joined.max_deviation - DEVIATION_LIMIT) / 0.15)
        ),
    )
    score = (
        ibis.least(completeness / COMPLETENESS_THRESHOLD, 1.0) * weights["completeness"]
        + deviation_score
        + ibis.greatest(0.0, 1 - 5 * joined.off_grid / joined.received) * weights["timestamps"]
        + ibis.greatest(0.0, 1 - joined.max_gap_minutes.fill_null(0) / (72 * 60)) * weights["gaps"]
        + ibis.greatest(0.0, 1 - 100 * joined.bad_values / joined.received) * weights["values"]
        + ibis.ifelse(joined.expired_meters == 0, float(weights["calibration"]), 0.0)
    )
    return (
        joined.drop(s.endswith("_right"))
        .mutate(
            completeness=completeness,
            complete_enough=completeness >= COMPLETENESS_THRESHOLD,
            consistent=joined.max_deviation <= DEVIATION_LIMIT,
            quality_score=score.round(1),
        )
        .order_by(["enterprise", "month"])
    )
