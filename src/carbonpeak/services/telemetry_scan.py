"""Stored readings scanned one month at a time into per meter-month statistics
(:mod:`carbonpeak.monitoring.scan`): the DuckDB-free fast path of ``quality_report``.

A month's partitions (``readings/enterprise=E/month=M/*.parquet``) are read together with the
meter column kept dictionary-encoded, so each file's few distinct meter ids are looked up in the
registry once and every reading gets an integer key by an array take."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds

from carbonpeak.monitoring.rollup import meter_limits
from carbonpeak.monitoring.scan import MonthChunk, combine_months, meter_month_stats, scan_month

__all__ = ["month_files", "read_month", "store_stats"]

_FORMAT = ds.ParquetFileFormat(read_options=ds.ParquetReadOptions(dictionary_columns=["meter"]))


def month_files(
    readings: Path, enterprise: str | None = None, month: str | None = None
) -> dict[str, list[Path]]:
    """Partition files per month, optionally of one enterprise and one month."""
    pattern = f"enterprise={enterprise or '*'}/month={month or '*'}/*.parquet"
    files: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(readings.glob(pattern)):
        files[path.parent.name.removeprefix("month=")].append(path)
    return dict(sorted(files.items()))


def read_month(month: str, files: list[Path], registry: dict[str, int]) -> MonthChunk:
    """One month's readings with integer meter keys (-1 for a meter not in ``registry``, meter
    id → position)."""
    table = ds.dataset([str(f) for f in files], format=_FORMAT).to_table(
        columns=["meter", "ts", "value"]
    )
    ids = np.empty(table.num_rows, dtype=np.int64)
    position = 0
    for chunk in table.column("meter").chunks:
        if not isinstance(chunk, pa.DictionaryArray):
            chunk = chunk.dictionary_encode()
        lookup = np.array(
            [registry.get(str(m), -1) for m in chunk.dictionary.to_pylist()], dtype=np.int64
        )
        codes = chunk.indices.to_numpy(zero_copy_only=False)
        ids[position : position + len(chunk)] = lookup[codes]
        position += len(chunk)
    ts = table.column("ts").cast(pa.timestamp("us")).to_numpy().view(np.int64)
    value = table.column("value").to_numpy().astype(float, copy=False)
    return MonthChunk(month, ids, ts, value)


def _chunks(files: dict[str, list[Path]], registry: dict[str, int]) -> Iterator[MonthChunk]:
    for month, paths in files.items():
        yield read_month(month, paths, registry)


def store_stats(
    readings: Path,
    meters: pd.DataFrame,
    enterprise: str | None = None,
    month: str | None = None,
    workers: int = 2,
) -> pd.DataFrame:
    """Per meter-month statistics of the stored readings (meter ids index ``meters``), the
    months scanned ``workers`` at a time (reading Parquet and numpy release the GIL)."""
    files = month_files(readings, enterprise, month)
    registry = {str(m): i for i, m in enumerate(meters["meter"])}
    limits = meter_limits(meters)
    if workers <= 1 or len(files) <= 1:
        return meter_month_stats(_chunks(files, registry), limits)

    def one(item: tuple[str, list[Path]]) -> tuple[str, dict[str, np.ndarray]]:
        # Read and reduce in the worker: only a month's statistics are kept, not its readings.
        return item[0], scan_month(read_month(item[0], item[1], registry), limits)

    with ThreadPoolExecutor(workers) as pool:
        return combine_months(pool.map(one, files.items()))
