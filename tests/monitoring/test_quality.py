"""Aggregation and quality rules on hand-made readings (DuckDB), and the same code on Spark."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import ibis
import numpy as np
import pandas as pd
import pytest

from carbonpeak.monitoring import (
    Meter,
    calendar_table,
    daily_energy,
    enterprise_month_quality,
    meter_month_quality,
    monthly_energy,
    parse_readings,
)
from carbonpeak.storage import TelemetryStore

METERS = {
    "m1": Meter("m1", "E1", "electricity", 15, 10.0, "2026-12-31"),
    "m2": Meter("m2", "E1", "bituminous_coal", 15, 5.0, "2026-09-30"),
}


def month_of_readings(meter: str, value: float, month: str = "2026-10") -> list[dict]:
    stamps = pd.date_range(month, periods=96 * 31, freq="15min")
    return [{"meter": meter, "ts": s.isoformat() + "+08:00", "value": value} for s in stamps]


def frames(records: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    readings, problems = parse_readings(records, METERS)
    assert problems == []
    meters = pd.DataFrame([vars(m) for m in METERS.values()])
    return readings, meters


def run(expression: ibis.Expr) -> pd.DataFrame:
    return ibis.duckdb.connect().execute(expression)


def test_parse_readings_converts_units_and_rejects_bad_records() -> None:
    readings, problems = parse_readings(
        [
            {"meter": "m1", "ts": "2026-10-01T00:00:00+08:00", "value": 250, "unit": "kWh"},
            {"meter": "m1", "ts": "2026-10-01T00:15:00Z", "value": 0.3},
            {"meter": "m9", "ts": "2026-10-01T00:00:00", "value": 1},
            {"meter": "m1", "ts": "yesterday", "value": 1},
            {"meter": "m1", "ts": "2026-10-01T00:30:00", "value": "一"},
            {"meter": "m1", "ts": "2026-10-01T00:45:00", "value": 1, "unit": "t"},
        ],
        METERS,
    )
    assert readings["value"].tolist() == [0.25, 0.3]
    assert str(readings["ts"].iloc[1]) == "2026-10-01 08:15:00"  # UTC → Beijing wall time
    assert [p.location for p in problems] == [
        "reading 3, meter",
        "reading 4, ts",
        "reading 5, value",
        "reading 6, unit",
    ]


def test_complete_clean_month_scores_full_marks() -> None:
    readings, meters = frames(month_of_readings("m1", 1.0))
    reported = pd.DataFrame(
        {"enterprise": ["E1"], "item": ["electricity"], "month": ["2026-10"], "reported": [2976.0]}
    )
    quality = run(
        enterprise_month_quality(
            ibis.memtable(readings),
            ibis.memtable(meters),
            ibis.memtable(calendar_table(["2026-10"])),
            ibis.memtable(reported),
        )
    ).iloc[0]
    assert quality["received"] == quality["expected"] == 2976
    assert quality["max_deviation"] == 0
    assert quality["quality_score"] == 100


def test_each_rule_catches_its_fault() -> None:
    records = month_of_readings("m1", 1.0)
    del records[100:400]  # a 75-hour gap
    records[500]["value"] = -1.0  # negative
    records[600]["value"] = 50.0  # above the meter's 10 per interval
    records[700]["ts"] = records[700]["ts"].replace(":00+08:00", ":03+08:00", 1)  # 3 s: tolerated
    records[800]["ts"] = records[800]["ts"][:14] + "07" + records[800]["ts"][16:]  # 7 min off
    records += month_of_readings("m2", 2.0)  # meter past its calibration date
    readings, meters = frames(records)
    per_meter = run(
        meter_month_quality(
            ibis.memtable(readings),
            ibis.memtable(meters),
            ibis.memtable(calendar_table(["2026-10"])),
        )
    )
    m1 = per_meter.set_index("meter").loc["m1"]
    assert m1["received"] == 2976 - 300
    assert m1["completeness"] == pytest.approx(2676 / 2976)
    assert (m1["negative"], m1["implausible"], m1["off_grid"]) == (1, 1, 1)
    assert m1["max_gap_minutes"] == 301 * 15
    assert not m1["calibration_expired"]
    assert per_meter.set_index("meter").loc["m2", "calibration_expired"]
    monthly = run(monthly_energy(ibis.memtable(readings), ibis.memtable(meters)))
    electricity = monthly.set_index("item").loc["electricity"]
    assert electricity["quantity"] == pytest.approx(2676 - 2)  # bad values excluded
    daily = run(daily_energy(ibis.memtable(readings), ibis.memtable(meters)))
    assert daily[daily["item"] == "bituminous_coal"]["quantity"].eq(192.0).all()


def test_deviation_from_the_monthly_report() -> None:
    readings, meters = frames(month_of_readings("m1", 1.0))
    for reported, consistent in ((2976 * 1.04, True), (2976 * 1.10, False)):
        frame = pd.DataFrame(
            {
                "enterprise": ["E1"],
                "item": ["electricity"],
                "month": ["2026-10"],
                "reported": [reported],
            }
        )
        quality = run(
            enterprise_month_quality(
                ibis.memtable(readings),
                ibis.memtable(meters),
                ibis.memtable(calendar_table(["2026-10"])),
                ibis.memtable(frame),
            )
        ).iloc[0]
        assert bool(quality["consistent"]) is consistent


def test_store_deduplicates_and_flushes_to_partitions(tmp_path: Path) -> None:
    store = TelemetryStore(tmp_path)
    readings, _ = frames(month_of_readings("m1", 1.0)[:100])
    assert store.stage(readings) == 100
    assert store.stage(readings) == 100  # redelivered: staged again, dropped by the flush
    assert store.flush() == 100
    assert store.stage(readings.head(10)) == 10  # staged again after a flush …
    assert store.flush() == 0  # … and not written again
    files = list(tmp_path.glob("readings/enterprise=E1/month=2026-10/*.parquet"))
    assert len(files) == 1
    connection = store.duckdb()
    stored = connection.execute(store.ibis_readings(connection))
    assert len(stored) == 100
    assert set(stored["month"].astype(str)) == {"2026-10"}


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    session = _spark()
    yield session
    session.stop()  # type: ignore[attr-defined]


def _spark() -> object:
    pyspark = pytest.importorskip("pyspark", reason="pyspark not installed (CI installs it)")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java runtime for Spark")
    return (
        pyspark.sql.SparkSession.builder.master("local[2]")
        .appName("carbonpeak-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        # Arrow conversion to pandas 3 warns inside PySpark 4.3; the plain path does not.
        .config("spark.sql.execution.arrow.pyspark.enabled", "false")
        .config("spark.sql.session.timeZone", "Asia/Shanghai")
        .getOrCreate()
    )


# py4j (PySpark's bridge to the JVM) leaves sockets for the garbage collector.
@pytest.mark.filterwarnings(
    "ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning"
)
def test_same_aggregation_on_duckdb_and_spark(tmp_path: Path, spark: object) -> None:
    records = month_of_readings("m1", 1.0)
    del records[100:200]
    records[300]["value"] = -2.0
    records += month_of_readings("m2", 2.0)
    readings, meters = frames(records)
    store = TelemetryStore(tmp_path)
    store.stage(readings)
    store.flush()
    reported = pd.DataFrame(
        {
            "enterprise": ["E1", "E1"],
            "item": ["electricity", "bituminous_coal"],
            "month": ["2026-10", "2026-10"],
            "reported": [2900.0, 5952.0],
        }
    )
    results = {}
    for name, connection in (("duckdb", store.duckdb()), ("spark", ibis.pyspark.connect(spark))):
        table = store.ibis_readings(connection)
        calendar, meter_table = calendar_table(["2026-10"]), meters
        results[name] = {
            "monthly": connection.execute(monthly_energy(table, ibis.memtable(meter_table))),
            "quality": connection.execute(
                enterprise_month_quality(
                    table,
                    ibis.memtable(meter_table),
                    ibis.memtable(calendar),
                    ibis.memtable(reported),
                )
            ),
        }
    for key in ("monthly", "quality"):
        duck, spark_result = results["duckdb"][key], results["spark"][key]
        assert list(duck.columns) == list(spark_result.columns)
        numeric = duck.select_dtypes("number").columns
        np.testing.assert_allclose(
            duck[numeric].to_numpy(float), spark_result[numeric].to_numpy(float), rtol=1e-9
        )
