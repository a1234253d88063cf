"""Telemetry QA contenders: each computes monthly energy and every per meter-month quality check
(received, off-grid stamps, negative and implausible values, the largest gap and gaps over an
hour, across month boundaries too) from the same hive-partitioned Parquet readings.

- carbonpeak: one numpy scan per month (carbonpeak.monitoring.scan) with integer meter keys,
  the registry joined after aggregation (what ``quality_report`` runs);
- previous: the Ibis rules on DuckDB (a LAG window over every reading), what ran before;
- sql: a single-pass DuckDB query, per (meter, month) grouped aggregates, gaps as runs of
  missing 15-minute slots in a bit string of the month's slots (exact when stamps are on the
  grid and unique, as the benchmark's are), the boundary gap from the previous month's last
  stamp;
- pandas: sort by meter and time, diff, group by meter and month.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import ibis
import numpy as np
import pandas as pd
import pyarrow.dataset as ds

from carbonpeak.monitoring import calendar_table, meter_month_quality, monthly_energy
from carbonpeak.monitoring.rollup import meter_month_frame, monthly_energy_frame
from carbonpeak.services.telemetry_scan import store_stats

QUALITY = ["received", "off_grid", "negative", "implausible", "max_gap_minutes", "long_gaps"]


def carbonpeak_run(readings: Path, meters: pd.DataFrame) -> dict[str, pd.DataFrame]:
    stats = store_stats(readings, meters)
    calendar = calendar_table(sorted(stats["month"].unique()))
    return {
        "quality": meter_month_frame(stats, meters, calendar),
        "energy": monthly_energy_frame(stats, meters),
    }


def previous_run(readings: Path, meters: pd.DataFrame) -> dict[str, pd.DataFrame]:
    con = ibis.duckdb.connect()
    table = con.read_parquet(str(readings / "**" / "*.parquet"), hive_partitioning=True)
    months = sorted(con.execute(table.select("month").distinct())["month"].astype(str))
    meter_table = ibis.memtable(meters)
    quality = meter_month_quality(table, meter_table, ibis.memtable(calendar_table(months)))
    return {
        "quality": con.execute(quality),
        "energy": con.execute(monthly_energy(table, meter_table)),
    }


def sql_run(readings: Path, meters: pd.DataFrame) -> dict[str, pd.DataFrame]:
    con = duckdb.connect()
    con.register(
        "limits",
        meters[["meter", "enterprise", "item", "max_interval_value"]].astype(
            {"meter": object, "enterprise": object, "item": object}
        ),
    )
    con.execute("CREATE TABLE registry AS SELECT * FROM limits")  # materialised: probed per row
    con.execute(f"""
        CREATE TEMP TABLE per_meter AS
        WITH r AS (
            SELECT r.meter, r.month, epoch_us(r.ts) AS us, r.value, g.max_interval_value AS cap,
                   (epoch_us(r.ts) // 1000000) % 900 AS second_in_slot,
                   ((epoch_us(r.ts) - epoch_us(date_trunc('month', r.ts))) // 900000000)::INT
                       AS slot
            FROM read_parquet('{readings}/**/*.parquet', hive_partitioning = true) r
            JOIN registry g USING (meter)
        ), g AS (
            SELECT meter, month, count(*) AS received,
                   count(*) FILTER (least(second_in_slot, 900 - second_in_slot) > 60) AS off_grid,
                   count(*) FILTER (value < 0) AS negative,
                   count(*) FILTER (value > cap) AS implausible,
                   count(*) FILTER (value >= 0 AND value <= cap) AS valid_count,
                   sum(value) FILTER (value >= 0 AND value <= cap) AS valid_sum,
                   min(us) AS first_us, max(us) AS last_us,
                   list_transform(
                       string_split(trim(bitstring_agg(slot, 0, 2975)::VARCHAR, '0'), '1'),
                       lambda run: length(run)) AS runs
            FROM r GROUP BY meter, month
        ), edges AS (
            SELECT *, (first_us / 1e6 - lag(last_us) OVER (PARTITION BY meter ORDER BY month)
                       / 1e6) / 60 AS across
            FROM g
        )
        SELECT meter, month, received, off_grid, negative, implausible, valid_count, valid_sum,
               CASE WHEN received > 1 OR across IS NOT NULL THEN
                    greatest(CASE WHEN received > 1 THEN (list_max(runs) + 1) * 15.0 END, across)
               END AS max_gap_minutes,
               CASE WHEN received > 1 OR across IS NOT NULL THEN
                    list_count(list_filter(runs, lambda run: run >= 4))
                    + coalesce((across > 60)::INT, 0)
               END AS long_gaps
        FROM edges""")
    quality = con.execute(
        f"SELECT meter, month, {', '.join(QUALITY)} FROM per_meter ORDER BY meter, month"
    ).df()
    energy = con.execute("""
        SELECT g.enterprise, g.item, p.month, sum(valid_sum) AS quantity,
               sum(valid_count) AS readings
        FROM per_meter p JOIN registry g USING (meter) WHERE valid_count > 0
        GROUP BY ALL ORDER BY ALL""").df()
    return {"quality": quality, "energy": energy}


def pandas_run(readings: Path, meters: pd.DataFrame) -> dict[str, pd.DataFrame]:
    table = ds.dataset(str(readings), format="parquet", partitioning="hive").to_table(
        columns=["meter", "ts", "value", "month"]
    )
    frame = table.to_pandas()
    frame["meter"] = frame["meter"].astype("category")
    frame = frame.sort_values(["meter", "ts"], ignore_index=True)
    limits = meters.set_index("meter")["max_interval_value"]
    cap = frame["meter"].map(limits).astype(float)
    seconds = frame["ts"].astype("datetime64[us]").astype("int64") // 1_000_000 % 900
    epoch = frame["ts"].astype("datetime64[us]").astype("int64") / 1e6
    gap = (epoch - epoch.groupby(frame["meter"], observed=True).shift()) / 60
    valid = (frame["value"] >= 0) & (frame["value"] <= cap)
    work = pd.DataFrame(
        {
            "meter": frame["meter"],
            "month": frame["month"].astype(str),
            "off_grid": np.minimum(seconds, 900 - seconds) > 60,
            "negative": frame["value"] < 0,
            "implausible": frame["value"] > cap,
            "gap": gap,
            "long": gap > 60,
            "valid_value": frame["value"].where(valid, 0.0),
            "valid": valid,
        }
    )
    grouped = work.groupby(["meter", "month"], observed=True, sort=True)
    quality = grouped.agg(
        received=("off_grid", "size"),
        off_grid=("off_grid", "sum"),
        negative=("negative", "sum"),
        implausible=("implausible", "sum"),
        max_gap_minutes=("gap", "max"),
        long_gaps=("long", "sum"),
        valid_sum=("valid_value", "sum"),
        valid_count=("valid", "sum"),
    ).reset_index()
    quality["meter"] = quality["meter"].astype(str)
    registry = meters.set_index("meter")
    quality["enterprise"] = quality["meter"].map(registry["enterprise"])
    quality["item"] = quality["meter"].map(registry["item"])
    energy = (
        quality[quality["valid_count"] > 0]
        .groupby(["enterprise", "item", "month"], sort=True)
        .agg(quantity=("valid_sum", "sum"), readings=("valid_count", "sum"))
        .reset_index()
    )
    return {"quality": quality[["meter", "month", *QUALITY]], "energy": energy}


def assert_same_outputs(
    name: str, ours: dict[str, pd.DataFrame], other: dict[str, pd.DataFrame]
) -> None:
    """The per meter-month checks and the monthly energy agree to 1e-12."""
    mine = ours["quality"].sort_values(["meter", "month"], ignore_index=True)
    theirs = other["quality"].sort_values(["meter", "month"], ignore_index=True)
    assert list(mine["meter"]) == list(theirs["meter"].astype(str)), name
    assert list(mine["month"]) == list(theirs["month"].astype(str)), name
    for column in QUALITY:
        np.testing.assert_allclose(
            pd.to_numeric(theirs[column]).to_numpy(float),
            pd.to_numeric(mine[column]).to_numpy(float),
            rtol=1e-12,
            err_msg=f"{name}: {column}",
        )
    energy_mine = ours["energy"].sort_values(["enterprise", "item", "month"], ignore_index=True)
    energy_theirs = other["energy"].sort_values(["enterprise", "item", "month"], ignore_index=True)
    assert list(energy_mine["month"]) == list(energy_theirs["month"].astype(str)), name
    for column in ("quantity", "readings"):
        np.testing.assert_allclose(
            energy_theirs[column].to_numpy(float),
            energy_mine[column].to_numpy(float),
            rtol=1e-12,
            err_msg=f"{name}: {column}",
        )


CONTENDERS = {
    "carbonpeak": carbonpeak_run,
    "sql": sql_run,
    "pandas": pandas_run,
    "previous": previous_run,
}
