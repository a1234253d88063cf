"""Stored readings scanned into per meter-month statistics (:mod:`carbonpeak.monitoring.scan`):
the DuckDB-free fast path of ``quality_report``.

Each partition file (``readings/enterprise=E/month=M/*.parquet``) is read and reduced on its own,
two files at a time: a file's readings stay in the CPU's cache and only its statistics are kept.
The meter column is read dictionary-encoded, so a file's few distinct meter ids are looked up in
the registry once and every reading gets an integer key by an array take. A month's files are
then merged per meter (:mod:`carbonpeak.monitoring.parts`); a month where one meter's files
overlap in time is read whole and sorted."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from carbonpeak.monitoring.parts import merge_parts
from carbonpeak.monitoring.rollup import meter_limits
from carbonpeak.monitoring.scan import MonthChunk, Workspace, combine_months, scan_month

__all__ = ["month_files", "read_file", "read_month", "store_stats"]

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


def _chunk(month: str, table: pa.Table, registry: dict[str, int]) -> MonthChunk:
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


def read_month(month: str, files: list[Path], registry: dict[str, int]) -> MonthChunk:
    """One month's readings with integer meter keys (-1 for a meter not in ``registry``, meter
    id → position)."""
    table = ds.dataset([str(f) for f in files], format=_FORMAT).to_table(
        columns=["meter", "ts", "value"]
    )
    return _chunk(month, table, registry)


def read_file(month: str, path: Path, registry: dict[str, int]) -> MonthChunk:
    """One partition file's readings, keyed as :func:`read_month` keys them."""
    # ParquetFile.read, not read_table: the dataset machinery behind read_table costs more
    # than decoding a file of a few ten thousand readings.
    table = pq.ParquetFile(path, read_dictionary=["meter"]).read(
        columns=["meter", "ts", "value"], use_threads=False
    )
    return _chunk(month, table, registry)


def store_stats(
    readings: Path,
    meters: pd.DataFrame,
    enterprise: str | None = None,
    month: str | None = None,
    workers: int = 2,
) -> pd.DataFrame:
    """Per meter-month statistics of the stored readings (meter ids index ``meters``), the
    files scanned ``workers`` at a time (reading Parquet and numpy release the GIL)."""
    files = month_files(readings, enterprise, month)
    registry = {str(m): i for i, m in enumerate(meters["meter"])}
    limits = meter_limits(meters)
    local = threading.local()

    def one(task: tuple[str, Path]) -> tuple[str, dict[str, np.ndarray]]:
        if not hasattr(local, "work"):
            local.work = Workspace()
        return task[0], scan_month(read_file(task[0], task[1], registry), limits, local.work)

    tasks = [(m, path) for m, paths in files.items() for path in paths]
    if workers <= 1 or len(tasks) <= 1:
        scanned = [one(task) for task in tasks]
    else:
        with ThreadPoolExecutor(workers) as pool:
            scanned = list(pool.map(one, tasks))
    parts: dict[str, list[dict[str, np.ndarray]]] = defaultdict(list)
    for m, stats in scanned:
        parts[m].append(stats)
    return combine_months(_merged(parts, files, registry, limits))


def _merged(
    parts: dict[str, list[dict[str, np.ndarray]]],
    files: dict[str, list[Path]],
    registry: dict[str, int],
    limits: np.ndarray,
) -> Iterator[tuple[str, dict[str, np.ndarray]]]:
    for m, month_parts in parts.items():
        merged = merge_parts(month_parts)
        if merged is None:  # a meter's files overlap in time: the month read whole, sorted
            merged = scan_month(read_month(m, files[m], registry), limits)
        yield m, merged
