"""The one-scan quality and monthly energy (monitoring.scan, monitoring.rollup) against the Ibis
rules they replace on DuckDB, on random and adversarial readings, through the store and the
service, and against the Ibis rules on Spark."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import hypothesis.strategies as st
import ibis
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings

from carbonpeak.monitoring import (
    Meter,
    calendar_table,
    enterprise_month_quality,
    meter_month_quality,
    monthly_energy,
)
from carbonpeak.monitoring.rollup import (
    enterprise_month_frame,
    meter_month_frame,
    monthly_energy_frame,
    stats_from_frame,
)
from carbonpeak.services.telemetry_scan import store_stats
from carbonpeak.storage import TelemetryStore

REGISTRY = [
    Meter("m1", "E1", "electricity", 15, 10.0, "2026-10-15"),
    Meter("m2", "E1", "bituminous_coal", 15, 5.0, "2026-12-31"),
    Meter("m3", "E2", "electricity", 15, 2.0, "2027-01-31"),
    Meter("m10", "E2", "natural_gas", 15, 1e9, "2025-01-01"),
]
METERS = pd.DataFrame([vars(m) for m in REGISTRY])


def ibis_outputs(
    readings: pd.DataFrame, meters: pd.DataFrame, reported: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    con = ibis.duckdb.connect()
    table, meter_table = ibis.memtable(readings), ibis.memtable(meters)
    calendar = ibis.memtable(calendar_table(sorted(readings["month"].unique())))
    return {
        "meter": con.execute(meter_month_quality(table, meter_table, calendar)),
        "monthly": con.execute(monthly_energy(table, meter_table)),
        "enterprise": con.execute(
            enterprise_month_quality(table, meter_table, calendar, ibis.memtable(reported))
        ),
    }


def scan_outputs(
    stats: pd.DataFrame, meters: pd.DataFrame, reported: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    calendar = calendar_table(sorted(stats["month"].unique()))
    return {
        "meter": meter_month_frame(stats, meters, calendar),
        "monthly": monthly_energy_frame(stats, meters),
        "enterprise": enterprise_month_frame(stats, meters, calendar, reported),
    }


def assert_same(expected: pd.DataFrame, found: pd.DataFrame) -> None:
    """Same columns, rows and values: numbers to 1e-12 (relative), NULLs in the same places."""
    assert list(found.columns) == list(expected.columns)
    assert len(found) == len(expected)
    for column in expected.columns:
        want, got = expected[column], found[column]
        if pd.api.types.is_float_dtype(want):
            np.testing.assert_allclose(
                got.to_numpy(float), want.to_numpy(float), rtol=1e-12, err_msg=column
            )
        else:
            assert [None if pd.isna(v) else v for v in got.tolist()] == [
                None if pd.isna(v) else v for v in want.tolist()
            ], column


def readings_frame(rows: list[tuple[str, pd.Timestamp, float]]) -> pd.DataFrame:
    """Readings as the store keeps them: the meter's enterprise and item, the stamp's month."""
    by_id = {m.meter: m for m in REGISTRY}
    frame = pd.DataFrame(rows, columns=["meter", "ts", "value"])
    frame["enterprise"] = [by_id[m].enterprise if m in by_id else "E9" for m in frame["meter"]]
    frame["item"] = [by_id[m].item if m in by_id else "electricity" for m in frame["meter"]]
    frame["ts"] = pd.to_datetime(frame["ts"]).astype("datetime64[us]")
    frame["unit"] = "x"
    frame["month"] = frame["ts"].dt.strftime("%Y-%m")
    return frame[["meter", "enterprise", "item", "ts", "value", "unit", "month"]]


def reported_for(readings: pd.DataFrame, factor: float) -> pd.DataFrame:
    """A report per enterprise, item and month: the telemetry sum times ``factor`` (0 is a zero
    report), and one group left out."""
    valid = readings[(readings["value"] >= 0) & (readings["value"] < 1)]
    groups = valid.groupby(["enterprise", "item", "month"])["value"].sum().reset_index()
    groups["reported"] = groups["value"] * factor
    return groups.iloc[1:].drop(columns="value")


START = pd.Timestamp("2026-09-30 20:00")
stamps = st.one_of(
    # on the 15-minute grid, near a month boundary
    st.integers(0, 4 * 24 * 40).map(lambda k: START + pd.Timedelta(minutes=15 * k)),
    # anywhere, to the microsecond, including just around the 60 s tolerance
    st.integers(0, 40 * 86400 * 10**6).map(lambda us: START + pd.Timedelta(microseconds=us)),
    st.sampled_from([60, 61, 839, 840, 841, 3600]).flatmap(
        lambda s: st.integers(0, 200).map(
            lambda k: START + pd.Timedelta(minutes=15 * k, seconds=s, microseconds=k % 3)
        )
    ),
)
values = st.one_of(
    st.sampled_from([0.0, -0.0, -1.0, 2.0, 5.0, 10.0, 10.000000001, 1e9, 1e-300]),
    st.floats(-5, 20, allow_nan=False),
)
rows = st.lists(
    st.tuples(st.sampled_from(["m1", "m2", "m3", "m10", "unregistered"]), stamps, values),
    min_size=1,
    max_size=120,
)


# Shrinking a failure here takes minutes (each example runs DuckDB): report it as generated.
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(rows=rows, factor=st.sampled_from([1.0, 0.97, 1.3, 0.0]), shuffle=st.randoms())
def test_scan_equals_the_ibis_rules(
    rows: list[tuple[str, pd.Timestamp, float]], factor: float, shuffle: object
) -> None:
    readings = readings_frame(rows)
    if not readings["meter"].isin(METERS["meter"]).any():
        return  # nothing registered: the Ibis rules return no rows, the scan no statistics
    order = list(range(len(readings)))
    shuffle.shuffle(order)  # type: ignore[attr-defined]
    readings = readings.iloc[order].reset_index(drop=True)  # any order in a partition
    reported = reported_for(readings, factor)
    expected = ibis_outputs(readings, METERS, reported)
    found = scan_outputs(stats_from_frame(readings, METERS), METERS, reported)
    for level in expected:
        assert_same(expected[level], found[level])


def test_adversarial_gaps_at_boundaries_and_duplicate_stamps() -> None:
    """Repeated stamps, a gap of exactly 60 minutes and one a microsecond longer, a meter
    silent for a whole month, a single reading, a reading at the tolerance's edge."""
    base = pd.Timestamp("2026-10-31 23:00")
    rows = [
        ("m1", base, 1.0),
        ("m1", base, 1.0),  # the same stamp twice: a gap of 0
        ("m1", base + pd.Timedelta(minutes=60), 1.0),  # exactly 60 minutes: not long
        ("m1", base + pd.Timedelta(minutes=120, microseconds=1), 11.0),  # just long, implausible
        ("m1", pd.Timestamp("2026-12-01 00:00"), -1.0),  # November silent: across two months
        ("m2", pd.Timestamp("2026-11-15 07:01:00"), 1.0),  # 60 s off the grid: on time
        ("m2", pd.Timestamp("2026-11-15 07:16:01"), 1.0),  # 61 s: off the grid
        ("m3", pd.Timestamp("2026-11-30 23:59:59.999999"), 0.0),  # alone
        ("m10", pd.Timestamp("2026-10-01 00:00"), 1e9),  # exactly at the limit: valid
    ]
    readings = readings_frame(rows)
    reported = pd.DataFrame(
        {
            "enterprise": ["E1", "E2"],
            "item": ["electricity", "electricity"],
            "month": ["2026-10", "2026-11"],
            "reported": [3.0, 0.0],
        }
    )
    expected = ibis_outputs(readings, METERS, reported)
    found = scan_outputs(stats_from_frame(readings, METERS), METERS, reported)
    for level in expected:
        assert_same(expected[level], found[level])
    per_meter = found["meter"].set_index(["meter", "month"])
    assert per_meter.loc[("m1", "2026-10"), "long_gaps"] == 0
    assert per_meter.loc[("m1", "2026-11"), "long_gaps"] == 1
    assert per_meter.loc[("m1", "2026-12"), "long_gaps"] == 1
    assert per_meter.loc[("m2", "2026-11"), "off_grid"] == 1


def test_store_scan_reads_partitions_in_any_order(tmp_path: Path) -> None:
    """Through the store: months of several enterprises' partitions, one meter's file written
    out of time order, filters by enterprise and month."""
    stamps = pd.date_range("2026-10-30", "2026-11-02", freq="15min")
    records = [("m1", s, 1.0) for s in stamps if s.minute != 30]
    records += [("m3", s, 0.5) for s in stamps[::3]]
    records += [("m2", s, 6.0 if s.hour == 5 else 1.0) for s in stamps[::-1]]
    readings = readings_frame(records)
    store = TelemetryStore(tmp_path)
    store.stage(readings)
    store.flush()
    reported = reported_for(readings, 1.1)
    expected = ibis_outputs(readings, METERS, reported)
    found = scan_outputs(store_stats(store.readings, METERS, workers=2), METERS, reported)
    for level in expected:
        assert_same(expected[level], found[level])
    only = store_stats(store.readings, METERS, enterprise="E2", month="2026-11", workers=1)
    assert set(only["month"]) == {"2026-11"}
    assert set(METERS["meter"].to_numpy()[only["meter_id"].to_numpy(int)]) == {"m3"}


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    pyspark = pytest.importorskip("pyspark", reason="pyspark not installed (CI installs it)")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java runtime for Spark")
    session = (
        pyspark.sql.SparkSession.builder.master("local[2]")
        .appName("carbonpeak-test-scan")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.execution.arrow.pyspark.enabled", "false")
        .config("spark.sql.session.timeZone", "Asia/Shanghai")
        .getOrCreate()
    )
    yield session
    session.stop()


@pytest.mark.filterwarnings(
    "ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning"
)
def test_scan_equals_the_ibis_rules_on_spark(tmp_path: Path, spark: object) -> None:
    stamps = pd.date_range("2026-10-31 12:00", "2026-11-01 12:00", freq="15min")
    records = [("m1", s, 1.0) for s in stamps if s.hour != 3]
    records += [("m2", s, 7.0 if s.minute == 45 else 1.0) for s in stamps]
    readings = readings_frame(records)
    store = TelemetryStore(tmp_path)
    store.stage(readings)
    store.flush()
    reported = reported_for(readings, 0.9)
    connection = ibis.pyspark.connect(spark)
    table = store.ibis_readings(connection)
    calendar = calendar_table(["2026-10", "2026-11"])
    meter_table = ibis.memtable(METERS)
    on_spark = {
        "meter": connection.execute(
            meter_month_quality(table, meter_table, ibis.memtable(calendar))
        ),
        "monthly": connection.execute(monthly_energy(table, meter_table)),
        "enterprise": connection.execute(
            enterprise_month_quality(
                table, meter_table, ibis.memtable(calendar), ibis.memtable(reported)
            )
        ),
    }
    found = scan_outputs(store_stats(store.readings, METERS), METERS, reported)
    for level, expected in on_spark.items():
        numeric = list(expected.select_dtypes("number").columns)
        assert list(found[level].columns) == list(expected.columns), level
        assert len(found[level]) == len(expected) > 0, level
        np.testing.assert_allclose(
            found[level][numeric].to_numpy(float),
            expected[numeric].to_numpy(float),
            rtol=1e-12,
            err_msg=level,
        )
