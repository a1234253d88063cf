"""The monthly close of a synthetic province, end to end, timed step by step:

    readings → quality → metered activity → accounts → indicators → tracking

    .venv/bin/python benchmarks/province.py [--enterprises 2000] [--meters 100000] [--days 31]
                                            [--backends scan duckdb spark]

1. benchmarks/province_data.py writes December's readings of ``--meters`` meters of
   ``--enterprises`` enterprises (``--days`` days of 15-minute slots) as the telemetry store
   writes them, and January-November as accepted monthly activity.
2. For each backend, quality and the month's metered energy:
   - scan: one numpy scan per month (what ``quality_report`` runs without a connection);
   - duckdb, spark: the Ibis rules (carbonpeak.monitoring.quality), the same code on DuckDB and
     on Spark local[2].
   Then, the same for every backend (pandas in this process, on the aggregated month): the
   activity table (metered December + the reported months), the accounts (GB/T 2589 energy,
   CO2 by the regional method), the plan's accounted indicators for the full year and every
   target's status. Each step is timed on a first and a warm call.
3. Checks that every backend gives the same quality counts and the same energy and CO2 totals.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import ibis
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.province_data import Province, generate

from carbonpeak.accounting import account, items, parse_activity
from carbonpeak.monitoring import calendar_table, meter_month_quality, monthly_energy
from carbonpeak.monitoring.rollup import meter_month_frame, monthly_energy_frame
from carbonpeak.plan import load_plan
from carbonpeak.services.telemetry_scan import store_stats
from carbonpeak.tracking.indicators import accounted_values
from carbonpeak.tracking.targets import track_targets


def spark_connection() -> Any:
    import pyspark

    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise RuntimeError("no Java runtime for Spark")
    session = (
        pyspark.sql.SparkSession.builder.master("local[2]")
        .appName("carbonpeak-province")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.driver.memory", "4g")
        .config("spark.sql.execution.arrow.pyspark.enabled", "false")
        .config("spark.sql.session.timeZone", "Asia/Shanghai")
        .getOrCreate()
    )
    return ibis.pyspark.connect(session)


def quality_step(backend: str, province: Province, connection: Any) -> dict[str, pd.DataFrame]:
    meters = province.meters
    if backend == "scan":
        stats = store_stats(province.readings, meters)
        calendar = calendar_table([province.month])
        return {
            "quality": meter_month_frame(stats, meters, calendar),
            "energy": monthly_energy_frame(stats, meters),
        }
    if connection.name == "pyspark":
        table = connection.read_parquet(str(province.readings), recursiveFileLookup=False)
    else:
        table = connection.read_parquet(
            str(province.readings / "**" / "*.parquet"), hive_partitioning=True
        )
    meter_table = ibis.memtable(meters.drop(columns="installed_on"))
    calendar = ibis.memtable(calendar_table([province.month]))
    return {
        "quality": connection.execute(meter_month_quality(table, meter_table, calendar)),
        "energy": connection.execute(monthly_energy(table, meter_table)),
    }


def activity_step(province: Province, energy: pd.DataFrame) -> pd.DataFrame:
    """The month's metered energy as activity (as services.telemetry.telemetry_activity), with
    the year's reported months."""
    catalogue = items()
    registry = province.enterprises
    sector = dict(zip(registry["enterprise"], registry["sector"], strict=True))
    metered = pd.DataFrame(
        {
            "enterprise": energy["enterprise"].astype(str),
            "sector": energy["enterprise"].astype(str).map(sector),
            "period": energy["month"].astype(str),
            "item": energy["item"].astype(str),
            "role": "energy_input",
            "quantity": [f"{v:.6f}" for v in energy["quantity"]],
            "unit": [catalogue[str(k)].unit for k in energy["item"]],
        }
    )
    return pd.concat([province.earlier_activity, metered], ignore_index=True)


def timed(label: str, run: Callable[[], Any], times: dict[str, list[float]]) -> Any:
    started = time.perf_counter()
    result = run()
    times.setdefault(label, []).append(time.perf_counter() - started)
    return result


def close(backend: str, province: Province, connection: Any, times: dict[str, list[float]]) -> Any:
    plan = load_plan().plan
    year = int(province.month[:4])
    outputs = timed(
        "quality + metered energy", lambda: quality_step(backend, province, connection), times
    )
    activity = timed("activity table", lambda: activity_step(province, outputs["energy"]), times)
    accounts = timed(
        "accounts", lambda: account(parse_activity(activity, "province"), "ningxia"), times
    )
    values = timed("indicators", lambda: accounted_values(plan, accounts, pd.DataFrame()), times)
    statuses = timed("tracking", lambda: track_targets(plan, values, date(year + 1, 1, 20)), times)
    totals = accounts.totals("base", "year")
    return outputs, totals, values, statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enterprises", type=int, default=2000)
    parser.add_argument("--meters", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=31)
    parser.add_argument("--backends", nargs="*", default=["scan", "duckdb", "spark"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="carbonpeak-province-") as folder:
        started = time.perf_counter()
        province = generate(Path(folder), args.enterprises, args.meters, args.days)
        print(
            f"province: {args.enterprises:,} enterprises, {args.meters:,} meters, "
            f"{province.readings_count:,} readings of {province.month} ({args.days} days), "
            f"{len(province.earlier_activity):,} reported activity rows; generated in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        results = {}
        for backend in args.backends:
            connection = None
            if backend == "duckdb":
                connection = ibis.duckdb.connect()
            elif backend == "spark":
                started = time.perf_counter()
                try:
                    connection = spark_connection()
                except Exception as exc:  # no Java, no pyspark: say so, time the rest
                    print(f"spark: skipped ({exc})")
                    continue
                print(f"spark: session started in {time.perf_counter() - started:.1f} s")
            times: dict[str, list[float]] = {}
            close(backend, province, connection, times)  # first
            results[backend] = close(backend, province, connection, times)  # warm
            total_first = sum(t[0] for t in times.values())
            total_warm = sum(t[1] for t in times.values())
            print(f"{backend}: monthly close first {total_first:.2f} s, warm {total_warm:.2f} s")
            for label, (first, warm) in times.items():
                print(f"    {label:<26} first {first:8.3f} s   warm {warm:8.3f} s")
        reference = next(iter(results))
        _, ref_totals, ref_values, ref_statuses = results[reference]
        for backend, (outputs, totals, values, statuses) in results.items():
            for column in ("energy_gross_tce", "co2_total_t"):
                np.testing.assert_allclose(
                    totals[column].to_numpy(float),
                    ref_totals[column].to_numpy(float),
                    rtol=1e-9,
                    err_msg=f"{backend}: {column}",
                )
            assert [v.value for v in values] == [v.value for v in ref_values] or np.allclose(
                [v.value for v in values], [v.value for v in ref_values], rtol=1e-9
            ), backend
            assert [s.get("status") for s in statuses] == [s.get("status") for s in ref_statuses], (
                backend
            )
            quality = outputs["quality"]
            print(
                f"{backend}: {len(quality):,} meter-months, "
                f"{int(quality['negative'].sum()):,} negative, "
                f"{int(quality['implausible'].sum()):,} implausible, "
                f"{int(quality['off_grid'].sum()):,} off grid; year energy "
                f"{float(totals['energy_gross_tce'].sum()):,.1f} tce, CO2 "
                f"{float(totals['co2_total_t'].sum()):,.1f} t"
            )
        print(f"same totals, indicators and statuses on {', '.join(results)} (1e-9)")


if __name__ == "__main__":
    main()
