"""The quality rules and monthly energy of :mod:`carbonpeak.monitoring.quality`, computed from
per meter-month statistics (:mod:`carbonpeak.monitoring.scan`) instead of from every reading.
The registry is joined after aggregation. Same columns, order and values as the Ibis rules
(which stay for Spark, and as the reference the tests compare against)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from carbonpeak.monitoring.quality import (
    COMPLETENESS_THRESHOLD,
    DEVIATION_LIMIT,
    SCORE_WEIGHTS,
)
from carbonpeak.monitoring.scan import MonthChunk, meter_month_stats

__all__ = [
    "chunks_from_frame",
    "enterprise_month_frame",
    "meter_limits",
    "meter_month_frame",
    "monthly_energy_frame",
    "stats_from_frame",
]


def meter_limits(meters: pd.DataFrame) -> np.ndarray:
    """Each registry meter's plausibility limit, indexed by its position (the meter id)."""
    return meters["max_interval_value"].to_numpy(float)


def chunks_from_frame(readings: pd.DataFrame, meters: pd.DataFrame) -> Iterator[MonthChunk]:
    """One chunk per month of a readings frame (meter, ts, value, month)."""
    index = pd.Index(meters["meter"].astype(str))
    for month, part in readings.groupby("month", sort=True):
        yield MonthChunk(
            str(month),
            index.get_indexer(pd.Index(part["meter"].astype(str))).astype(np.int64),
            part["ts"].astype("datetime64[us]").to_numpy().view(np.int64),
            part["value"].to_numpy(float),
        )


def stats_from_frame(readings: pd.DataFrame, meters: pd.DataFrame) -> pd.DataFrame:
    return meter_month_stats(chunks_from_frame(readings, meters), meter_limits(meters))


def _with_registry(stats: pd.DataFrame, meters: pd.DataFrame) -> pd.DataFrame:
    ids = stats["meter_id"].to_numpy(np.int64)
    registry = meters.reset_index(drop=True)
    joined = stats.copy()
    for column in ("meter", "enterprise", "item", "calibration_due"):
        joined[column] = registry[column].astype(str).to_numpy()[ids]
    return joined


def meter_month_frame(
    stats: pd.DataFrame, meters: pd.DataFrame, calendar: pd.DataFrame
) -> pd.DataFrame:
    """As :func:`~carbonpeak.monitoring.quality.meter_month_quality`."""
    joined = _with_registry(stats, meters).merge(calendar, on="month", how="inner")
    joined["completeness"] = joined["received"] / joined["expected"]
    joined["calibration_expired"] = joined["calibration_due"] < joined["month_end"]
    columns = [
        "meter",
        "enterprise",
        "item",
        "month",
        "received",
        "off_grid",
        "negative",
        "implausible",
        "max_gap_minutes",
        "long_gaps",
        "calibration_due",
        "expected",
        "month_end",
        "completeness",
        "calibration_expired",
    ]
    frame = _typed(joined.sort_values(["enterprise", "meter", "month"], ignore_index=True)[columns])
    # SQL's SUM over no gap at all is NULL, as the Ibis rule returns it.
    frame["long_gaps"] = _counts_or_null(frame["long_gaps"].where(frame["max_gap_minutes"].notna()))
    return frame


def monthly_energy_frame(stats: pd.DataFrame, meters: pd.DataFrame) -> pd.DataFrame:
    """As :func:`~carbonpeak.monitoring.quality.monthly_energy`: valid readings per enterprise,
    item and month."""
    joined = _with_registry(stats[stats["valid_count"] > 0], meters)
    grouped = joined.groupby(["enterprise", "item", "month"], sort=True).agg(
        quantity=("valid_sum", "sum"), readings=("valid_count", "sum")
    )
    return _typed(grouped.reset_index())


def enterprise_month_frame(
    stats: pd.DataFrame, meters: pd.DataFrame, calendar: pd.DataFrame, reported: pd.DataFrame
) -> pd.DataFrame:
    """As :func:`~carbonpeak.monitoring.quality.enterprise_month_quality`."""
    per_meter = meter_month_frame(stats, meters, calendar)
    totals = monthly_energy_frame(stats, meters)
    with_reported = totals.merge(
        reported[["enterprise", "item", "month", "reported"]].astype(
            {"enterprise": str, "item": str, "month": str, "reported": float}
        ),
        on=["enterprise", "item", "month"],
        how="left",
    )
    quantity, report = with_reported["quantity"], with_reported["reported"]
    deviation = ((quantity - report) / report).abs()
    # SQL keeps NULL (no report) apart from NaN (0/0, a zero report of zero telemetry): MAX
    # skips NULLs but a NaN is larger than any number, and NaN <= limit is false.
    with_reported["deviation"] = deviation.where(report.notna())
    with_reported["nan_deviation"] = report.notna() & deviation.isna()
    with_reported["reports"] = report.notna()
    consistency = with_reported.groupby(["enterprise", "month"], sort=False).agg(
        max_deviation=("deviation", "max"),
        telemetry_total=("quantity", "sum"),
        nan_deviation=("nan_deviation", "any"),
        reports=("reports", "sum"),
    )
    consistency["max_deviation"] = consistency["max_deviation"].where(
        ~consistency["nan_deviation"], np.nan
    )
    per_meter["long_gaps"] = pd.to_numeric(per_meter["long_gaps"]).astype(float)
    per_meter["bad_values"] = per_meter["negative"] + per_meter["implausible"]
    per_meter["expired"] = per_meter["calibration_expired"].astype(np.int64)
    rolled = per_meter.groupby(["enterprise", "month"], sort=False).agg(
        meters=("meter", "nunique"),
        received=("received", "sum"),
        expected=("expected", "sum"),
        off_grid=("off_grid", "sum"),
        bad_values=("bad_values", "sum"),
        max_gap_minutes=("max_gap_minutes", "max"),
        long_gaps=("long_gaps", "sum"),
        measured_gaps=("long_gaps", "count"),
        expired_meters=("expired", "sum"),
    )
    joined = rolled.join(consistency, how="left").reset_index()
    reported_any = joined["reports"].fillna(0).to_numpy() > 0
    nan_any = joined["nan_deviation"].fillna(False).to_numpy(bool)
    joined = joined.drop(columns=["reports", "nan_deviation"])
    joined["long_gaps"] = _counts_or_null(joined["long_gaps"].where(joined["measured_gaps"] > 0))
    joined = joined.drop(columns="measured_gaps")
    completeness = joined["received"] / joined["expected"]
    largest = joined["max_deviation"].to_numpy(float)
    weights = SCORE_WEIGHTS
    with np.errstate(invalid="ignore"):
        deviation_score = np.where(
            ~reported_any,
            0.0,
            np.where(
                nan_any,
                np.nan,
                np.where(
                    largest <= DEVIATION_LIMIT,
                    float(weights["consistency"]),
                    np.maximum(
                        0.0, weights["consistency"] * (1 - (largest - DEVIATION_LIMIT) / 0.15)
                    ),
                ),
            ),
        )
    received = joined["received"].to_numpy(float)
    score = (
        np.minimum(completeness.to_numpy(float) / COMPLETENESS_THRESHOLD, 1.0)
        * weights["completeness"]
        + deviation_score
        + np.maximum(0.0, 1 - 5 * joined["off_grid"].to_numpy(float) / received)
        * weights["timestamps"]
        + np.maximum(0.0, 1 - joined["max_gap_minutes"].fillna(0).to_numpy(float) / (72 * 60))
        * weights["gaps"]
        + np.maximum(0.0, 1 - 100 * joined["bad_values"].to_numpy(float) / received)
        * weights["values"]
        + np.where(joined["expired_meters"] == 0, float(weights["calibration"]), 0.0)
    )
    joined["completeness"] = completeness
    joined["complete_enough"] = completeness >= COMPLETENESS_THRESHOLD
    joined["consistent"] = pd.Series(
        [
            None if not any_report else bool(not is_nan and d <= DEVIATION_LIMIT)
            for d, any_report, is_nan in zip(largest, reported_any, nan_any, strict=True)
        ],
        dtype=object,
    )
    joined["quality_score"] = _round_half_away(score, 1)
    return _typed(joined.sort_values(["enterprise", "month"], ignore_index=True))


def _counts_or_null(counts: pd.Series) -> pd.Series:
    """Counts as int64, or as objects with None where SQL's SUM saw only NULLs."""
    if counts.isna().any():
        return (
            counts.astype(object)
            .where(counts.notna(), None)
            .map(lambda v: v if v is None else int(v))
        )
    return counts.astype(np.int64)


def _round_half_away(values: np.ndarray, digits: int) -> np.ndarray:
    """As SQL ROUND on a double (C's round of value × 10^digits): halves away from zero."""
    scale = 10.0**digits
    scaled = values * scale
    floor = np.floor(scaled)
    rounded = np.where(scaled - floor >= 0.5, floor + 1, floor)
    return np.asarray(rounded / scale)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """String columns as str, counts as int64: the dtypes the Ibis rules return."""
    types: dict[str, Any] = {}
    for column in frame.columns:
        if column in {"meter", "enterprise", "item", "month", "calibration_due", "month_end"}:
            types[column] = str
        elif column in {
            "received",
            "off_grid",
            "negative",
            "implausible",
            "expected",
            "readings",
            "meters",
            "bad_values",
            "expired_meters",
        }:
            types[column] = np.int64
    return frame.astype(types)
