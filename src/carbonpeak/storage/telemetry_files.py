"""A month partition of stored readings as a set of Parquet files, each in (meter, time) order,
no (meter, stamp) in two files.

A flush appends a new file (level 0) holding only the readings the partition does not have yet:
the files whose stamp range overlaps the new readings' are read (their two key columns) and
the keys they hold are left out. A file's level and stamp range are in its name,
``part-L<level>-<first µs>-<last µs>-<random>.parquet``, so that pruning needs no file opened.
Compaction is size-tiered: once a level has ``FANOUT`` files they are merged into one file of
the next level, so a reading is rewritten about log_FANOUT(month / flush) times, not once per
flush, and a partition keeps a few dozen files at most. The single ``readings.parquet`` of
stores written before is a file of unknown range and of the top level.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

__all__ = [
    "FANOUT",
    "SCHEMA",
    "PartitionFile",
    "absent_from",
    "distinct_sorted",
    "merge_files",
    "partition_files",
    "prepare_file",
    "read_columns",
    "write_file",
]

SCHEMA = pa.schema(
    [
        ("meter", pa.string()),
        ("enterprise", pa.string()),
        ("item", pa.string()),
        ("ts", pa.timestamp("us")),
        ("value", pa.float64()),
        ("unit", pa.string()),
    ]
)
FANOUT = 8
LEGACY_NAME = "readings.parquet"
_LEGACY_LEVEL = 99
_NAME = re.compile(r"part-L(\d+)-(-?\d+)-(-?\d+)-[0-9a-f]+\.parquet")


class PartitionFile:
    """One file of a partition: its level and the range of its stamps (µs), None if unknown."""

    def __init__(self, path: Path) -> None:
        self.path = path
        match = _NAME.fullmatch(path.name)
        if match is None:
            self.level, self.first, self.last = _LEGACY_LEVEL, None, None
        else:
            self.level = int(match[1])
            self.first, self.last = int(match[2]), int(match[3])

    def overlaps(self, first: int, last: int) -> bool:
        if self.first is None or self.last is None:
            return True
        return self.first <= last and first <= self.last


def partition_files(folder: Path) -> list[PartitionFile]:
    return [PartitionFile(p) for p in sorted(folder.glob("*.parquet"))]


def _stamps_us(table: pa.Table) -> np.ndarray:
    stamps: np.ndarray = table.column("ts").cast(pa.timestamp("us")).to_numpy().view(np.int64)
    return stamps


def _ranks(meters: pa.ChunkedArray | pa.Array, dictionary: pa.Array) -> np.ndarray:
    """Each meter's rank in the text order of ``dictionary`` (which holds every meter)."""
    ranks = np.empty(len(dictionary), dtype=np.int64)
    texts = np.array(dictionary.to_pylist(), dtype=object)
    ranks[np.argsort(texts, kind="stable")] = np.arange(len(dictionary))
    codes = pc.index_in(meters, value_set=dictionary).to_numpy(zero_copy_only=False)
    ranked: np.ndarray = ranks[codes]
    return ranked


def _combined(ranks: np.ndarray, stamps: np.ndarray, low: int, span: int) -> np.ndarray:
    combined: np.ndarray = ranks * span + (stamps - low)
    return combined


def distinct_sorted(table: pa.Table) -> pa.Table:
    """The rows in (meter, time) order, the first of each (meter, stamp) kept: rows earlier in
    ``table`` were received earlier."""
    if table.num_rows == 0:
        return table
    meters = table.column("meter")
    dictionary = pc.unique(meters)
    ranks, stamps = _ranks(meters, dictionary), _stamps_us(table)
    low, span = int(stamps.min()), int(stamps.max()) - int(stamps.min()) + 1
    if len(dictionary) * span < 2**62:  # one int64 key sorts much faster than text
        key = _combined(ranks, stamps, low, span)
        order = np.argsort(key, kind="stable")
        key = key[order]
        repeat = np.concatenate(([False], key[1:] == key[:-1]))
    else:
        order = np.lexsort((stamps, ranks))  # stable as well
        ranks, stamps = ranks[order], stamps[order]
        repeat = np.concatenate(([False], (ranks[1:] == ranks[:-1]) & (stamps[1:] == stamps[:-1])))
    return table.take(pa.array(order[~repeat]))


def absent_from(new: pa.Table, files: list[PartitionFile]) -> pa.Table:
    """The rows of ``new`` whose (meter, stamp) none of ``files`` holds; only the files whose
    stamp range overlaps the new rows' are read, two columns of each."""
    if new.num_rows == 0:
        return new
    stamps = _stamps_us(new)
    first, last = int(stamps.min()), int(stamps.max())
    held = [
        _read(f.path, ["meter", "ts"]).cast(pa.schema([("meter", pa.string()), SCHEMA.field("ts")]))
        for f in files
        if f.overlaps(first, last)
    ]
    if not held:
        return new
    keys = pa.concat_tables(held)
    meters = pa.chunked_array([*new.column("meter").chunks, *keys.column("meter").chunks])
    dictionary = pc.unique(meters)
    held_stamps = _stamps_us(keys)
    low = min(first, int(held_stamps.min())) if len(held_stamps) else first
    span = max(last, int(held_stamps.max()) if len(held_stamps) else last) - low + 1
    if len(dictionary) * span >= 2**62:  # rare: an exact join instead
        joined = new.append_column("_order", pa.array(np.arange(new.num_rows))).join(
            keys, keys=["meter", "ts"], join_type="left anti", use_threads=False
        )
        joined = joined.take(pc.sort_indices(joined, sort_keys=[("_order", "ascending")]))
        return joined.drop_columns("_order")
    new_key = _combined(_ranks(new.column("meter"), dictionary), stamps, low, span)
    held_key = _combined(_ranks(keys.column("meter"), dictionary), held_stamps, low, span)
    fresh = ~np.isin(new_key, held_key)
    return new if fresh.all() else new.filter(pa.array(fresh))


def _read(path: Path, columns: list[str] | None = None) -> pa.Table:
    # One open file: a compaction may unlink the path meanwhile, never the opened file.
    with path.open("rb") as handle:
        return pq.read_table(handle, columns=columns)


def prepare_file(folder: Path, table: pa.Table, level: int) -> tuple[Path, Path]:
    """Write ``table`` (in (meter, time) order) to a hidden temporary file; returns it and the
    name it takes as a file of ``level`` once renamed into place."""
    stamps = _stamps_us(table)
    name = f"part-L{level}-{stamps.min()}-{stamps.max()}-{uuid.uuid4().hex[:12]}.parquet"
    temporary = folder / f".{uuid.uuid4().hex}.tmp"
    pq.write_table(table.select(SCHEMA.names).cast(SCHEMA), temporary)
    return temporary, folder / name


def write_file(folder: Path, table: pa.Table, level: int) -> Path:
    """Write ``table`` as a new file of ``level``, through a hidden temporary file renamed into
    place: a reader never sees a partial file."""
    temporary, target = prepare_file(folder, table, level)
    temporary.replace(target)
    return target


def read_columns(file: PartitionFile, columns: list[str]) -> pa.Table:
    return _read(file.path, columns)


def merge_files(files: list[PartitionFile]) -> pa.Table:
    """The readings of ``files`` (disjoint keys) as one table in (meter, time) order."""
    tables = [_read(f.path).select(SCHEMA.names).cast(SCHEMA) for f in files]
    merged = pa.concat_tables(tables)
    order = pc.sort_indices(merged, sort_keys=[("meter", "ascending"), ("ts", "ascending")])
    return merged.take(order)
