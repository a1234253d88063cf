"""A synthetic province for the monthly-close benchmark: enterprises in GB/T 4754 divisions, their
meters (electricity in MWh, coal in t), one month of 15-minute readings written as the telemetry
store writes them (readings/enterprise=E/month=M/readings.parquet, each file in (meter, time)
order), and the year's eleven earlier months as accepted monthly activity.

Readings are deterministic (a seeded generator): 0.5 % of slots missing, one reading in 10^5
negative, one in 10^4 above the meter's limit, so every quality check has something to find.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from carbonpeak.storage.telemetry_files import SCHEMA as TELEMETRY_SCHEMA

SECTORS = ["2614", "2511", "4411", "3011", "2619", "3120"]  # chemicals, coal, power, ...
ITEMS = {"electricity": ("MWh", 2.0), "bituminous_coal": ("t", 20.0)}  # unit, per 15 min
SCHEMA = TELEMETRY_SCHEMA  # written as the telemetry store writes them


@dataclass(frozen=True)
class Province:
    readings: Path
    meters: pd.DataFrame  # the registry: meter, enterprise, item, interval_minutes, ...
    enterprises: pd.DataFrame  # enterprise, sector
    earlier_activity: pd.DataFrame  # the year's other months, as accepted reports
    month: str
    readings_count: int


def generate(
    root: Path,
    enterprises: int = 2000,
    meters: int = 100_000,
    days: int = 31,
    year: int = 2025,
    seed: int = 20251231,
) -> Province:
    """``meters`` spread over ``enterprises``; readings of December ``year``, its first ``days``
    days (31 for the whole month), and January-November as reported activity."""
    rng = np.random.default_rng(seed)
    month = f"{year}-12"
    codes = [f"P{e:05d}" for e in range(enterprises)]
    owner = np.sort(rng.integers(0, enterprises, meters))
    owner[:enterprises] = np.arange(enterprises)  # every enterprise has a meter
    owner.sort()
    item_of = np.where(rng.random(meters) < 0.7, "electricity", "bituminous_coal")
    registry = pd.DataFrame(
        {
            "meter": [f"M{m:06d}" for m in range(meters)],
            "enterprise": [codes[e] for e in owner],
            "item": item_of,
            "interval_minutes": 15,
            "max_interval_value": [ITEMS[i][1] * 2.5 for i in item_of],
            "calibration_due": np.where(rng.random(meters) < 0.01, "2025-06-30", "2027-06-30"),
            "installed_on": None,
        }
    )
    slots = days * 96
    stamps = (
        np.datetime64(f"{month}-01T00:00", "us") + np.arange(slots) * np.timedelta64(15, "m")
    ).astype("datetime64[us]")
    total = 0
    bounds = np.searchsorted(owner, np.arange(enterprises + 1))
    for e in range(enterprises):
        first, last = int(bounds[e]), int(bounds[e + 1])
        count = last - first
        if count == 0:
            continue
        scale = np.array([ITEMS[i][1] for i in item_of[first:last]])
        values = rng.uniform(0.2, 1.0, (count, slots)) * scale[:, None]
        flip = rng.random((count, slots))
        values[flip < 1e-5] = -1.0
        values[(flip > 1e-5) & (flip < 1e-4 + 1e-5)] *= 3.0
        kept = rng.random((count, slots)) >= 0.005
        rows = int(kept.sum())
        meter_index = np.repeat(np.arange(first, last), slots).reshape(count, slots)[kept]
        folder = root / "readings" / f"enterprise={codes[e]}" / f"month={month}"
        folder.mkdir(parents=True, exist_ok=True)
        table = pa.table(
            {
                "meter": pa.array(registry["meter"].to_numpy()[meter_index]).dictionary_encode(),
                "enterprise": pa.array(np.full(rows, codes[e])),
                "item": pa.array(item_of[meter_index]),
                "ts": pa.array(np.broadcast_to(stamps, (count, slots))[kept]),
                "value": pa.array(values[kept]),
                "unit": pa.array([ITEMS[i][0] for i in item_of[meter_index]]),
            }
        )
        pq.write_table(table.cast(SCHEMA), folder / "readings.parquet")
        total += rows
    sector_of = [SECTORS[e % len(SECTORS)] for e in range(enterprises)]
    return Province(
        readings=root / "readings",
        meters=registry,
        enterprises=pd.DataFrame({"enterprise": codes, "sector": sector_of}),
        earlier_activity=_earlier_months(registry, codes, sector_of, year, days, rng),
        month=month,
        readings_count=total,
    )


def _earlier_months(
    registry: pd.DataFrame,
    codes: list[str],
    sectors: list[str],
    year: int,
    days: int,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """January-November as accepted reports: per enterprise and item about the metered amount."""
    per_month = (
        registry.assign(full=[ITEMS[i][1] * 0.6 * 96 * 30 for i in registry["item"]])
        .groupby(["enterprise", "item"], as_index=False)["full"]
        .sum()
    )
    sector = dict(zip(codes, sectors, strict=True))
    frames = []
    for month in range(1, 12):
        noise = rng.uniform(0.9, 1.1, len(per_month))
        frames.append(
            pd.DataFrame(
                {
                    "enterprise": per_month["enterprise"],
                    "sector": per_month["enterprise"].map(sector),
                    "period": f"{year}-{month:02d}",
                    "item": per_month["item"],
                    "role": "energy_input",
                    "quantity": [f"{q:.6f}" for q in per_month["full"] * noise],
                    "unit": [ITEMS[i][0] for i in per_month["item"]],
                }
            )
        )
    del days
    return pd.concat(frames, ignore_index=True)
