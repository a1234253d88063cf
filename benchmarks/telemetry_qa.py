"""Telemetry QA contenders: each computes monthly energy and every per meter-month quality check
(received, off-grid stamps, negative and implausible values, the largest gap and gaps over an
hour, across month boundaries too) from the same hive-partitioned Parquet readings.

- carbonpeak: one numpy scan per month (carbonpeak.monitoring.scan) with integer meter keys,
  the registry joined after aggregation (what ``quality_report`` runs);
- previous: the Ibis rules on DuckDB (a LAG window over every reading), what ran before;
- sql: a hand-written single-pass DuckDB query: one grouped aggregate per (integer meter key,
  month) with the registry's limit joined per reading, no window over readings; gaps as the
  runs of missing 15-minute slots in a bit string of the month's slots (exact when stamps are
  on the grid and unique, as the benchmark's are), the boundary gap from the previous month's
  last stamp by a window over meter-months;
- sql-window: the same query exact for any stamps, the gap to the previous reading by
  ``LAG`` over the readings partitioned by (meter, month);
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
    con.execute("SET enable_progress_bar = false")
    registry = meters[["meter", "enterprise", "item", "max_interval_value"]].astype(
        {"meter": object, "enterprise": object, "item": object}
    )
    registry.insert(0, "id", np.arange(len(registry), dtype=np.int32))
    con.register("limits", registry)
    con.execute("CREATE TABLE registry AS SELECT * FROM limits")  # materialised: probed per row
    # One pass over the readings, grouped on (integer meter key, month); the registry's limit is
    # the only column joined per reading. Off-grid: floor(s) mod 900 in [61, 839] is
    # us mod 900 s in [61 s, 840 s) (stamps after 1970). Gaps: the month's 15-minute slots as a
    # bit string; the runs of zeros between the first and last reading are the missing slots
    # (a gap of k missing slots is (k + 1) * 15 minutes, exact for unique stamps on the grid,
    # as the benchmark's are). The gap across a month boundary: a window over meter-months
    # (thousands of rows), not over readings.
    con.execute(f"""
        CREATE TEMP TABLE per_meter AS
        WITH g AS (
            SELECT g.id, r.month,
                   count(*) AS received,
                   count(*) FILTER (epoch_us(r.ts) % 900000000
                                    BETWEEN 61000000 AND 839999999) AS off_grid,
                   count(*) FILTER (r.value < 0) AS negative,
                   count(*) FILTER (r.value > g.max_interval_value) AS implausible,
                   count(*) FILTER (r.value BETWEEN 0 AND g.max_interval_value) AS valid_count,
                   sum(r.value) FILTER (r.value BETWEEN 0 AND g.max_interval_value) AS valid_sum,
                   min(epoch_us(r.ts)) AS first_us, max(epoch_us(r.ts)) AS last_us,
                   bitstring_agg(((epoch_us(r.ts) - epoch_us(date_trunc('month', r.ts)))
                                  // 900000000)::INT, 0, 2975) AS slots
            FROM read_parquet('{readings}/**/*.parquet', hive_partitioning = true) r
            JOIN registry g USING (meter)
            GROUP BY g.id, r.month
        ), runs AS (
            SELECT * EXCLUDE (slots),
                   list_transform(string_split_regex(trim(slots::VARCHAR, '0'), '1+'),
                                  lambda run: length(run)) AS missing,
                   (first_us / 1e6 - lag(last_us) OVER (PARTITION BY id ORDER BY month) / 1e6)
                       / 60 AS across
            FROM g
        )
        SELECT id, month, received, off_grid, negative, implausible, valid_count, valid_sum,
               CASE WHEN received > 1 OR across IS NOT NULL THEN
                    greatest(CASE WHEN received > 1 THEN (list_max(missing) + 1) * 15.0 END,
                             across)
               END AS max_gap_minutes,
               CASE WHEN received > 1 OR across IS NOT NULL THEN
                    list_count(list_filter(missing, lambda run: run >= 4))
                    + coalesce((across > 60)::INT, 0)
               END AS long_gaps
        FROM runs""")
    quality = con.execute(
        f"SELECT g.meter, p.month, {', '.join('p.' + c for c in QUALITY)} "
        "FROM per_meter p JOIN registry g USING (id) ORDER BY g.meter, p.month"
    ).df()
    energy = con.execute("""
        SELECT g.enterprise, g.item, p.month, sum(valid_sum) AS quantity,
               sum(valid_count) AS readings
        FROM per_meter p JOIN registry g USING (id) WHERE valid_count > 0
        GROUP BY ALL ORDER BY ALL""").df()
    return {"quality": quality, "energy": energy}


def sql_window_run(readings: Path, meters: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """As :func:`sql_run`, but exact for any stamps (off the grid, repeated): the gap to the
    previous reading by a window over the readings, partitioned by meter and month (the
    boundary gap still from the previous month's last stamp)."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    registry = meters[["meter", "enterprise", "item", "max_interval_value"]].astype(
        {"meter": object, "enterprise": object, "item": object}
    )
    registry.insert(0, "id", np.arange(len(registry), dtype=np.int32))
    con.register("limits", registry)
    con.execute("CREATE TABLE registry AS SELECT * FROM limits")
    con.execute(f"""
        CREATE TEMP TABLE per_meter AS
        WITH r AS (
            SELECT g.id, r.month, epoch_us(r.ts) AS us, r.value, g.max_interval_value AS cap,
                   (epoch_us(r.ts) / 1e6 - lag(epoch_us(r.ts)) OVER (
                        PARTITION BY g.id, r.month ORDER BY r.ts) / 1e6) / 60 AS gap
            FROM read_parquet('{readings}/**/*.parquet', hive_partitioning = true) r
            JOIN registry g USING (meter)
        ), g AS (
            SELECT id, month, count(*) AS received,
                   count(*) FILTER (us % 900000000 BETWEEN 61000000 AND 839999999) AS off_grid,
                   count(*) FILTER (value < 0) AS negative,
                   count(*) FILTER (value > cap) AS implausible,
                   count(*) FILTER (value BETWEEN 0 AND cap) AS valid_count,
                   sum(value) FILTER (value BETWEEN 0 AND cap) AS valid_sum,
                   min(us) AS first_us, max(us) AS last_us,
                   max(gap) AS within, count(*) FILTER (gap > 60) AS long_within
            FROM r GROUP BY id, month
        ), edges AS (
            SELECT *, (first_us / 1e6 - lag(last_us) OVER (PARTITION BY id ORDER BY month)
                       / 1e6) / 60 AS across
            FROM g
        )
        SELECT id, month, received, off_grid, negative, implausible, valid_count, valid_sum,
               greatest(within, across) AS max_gap_minutes,
               CASE WHEN within IS NOT NULL OR across IS NOT NULL THEN
                    long_within + coalesce((across > 60)::INT, 0) END AS long_gaps
        FROM edges""")
    quality = con.execute(
        f"SELECT g.meter, p.month, {', '.join('p.' + c for c in QUALITY)} "
        "FROM per_meter p JOIN registry g USING (id) ORDER BY g.meter, p.month"
    ).df()
    energy = con.execute("""
        SELECT g.enterprise, g.item, p.month, sum(valid_sum) AS quantity,
               sum(valid_count) AS readings
        FROM per_meter p JOIN registry g USING (id) WHERE valid_count > 0
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
    "sql-window": sql_window_run,
    "pandas": pandas_run,
    "previous": previous_run,
}
