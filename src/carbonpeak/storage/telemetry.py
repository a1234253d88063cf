"""Telemetry at rest: a durable staging table, flushed to hive-partitioned Parquet
(enterprise=…/month=…/part-*.parquet, :mod:`carbonpeak.storage.telemetry_files`) that DuckDB,
or Spark, reads.

Staging commits a batch of readings (one Arrow IPC blob a batch, not a row a reading) before its
message is acknowledged, so a consumer killed at any point loses nothing. A flush reads the
staged batches, keeps the first of each (meter, stamp), appends to each partition a new file of
the readings it does not hold yet, and then deletes only the batches it read: a batch staged
while the Parquet was being written stays staged for the next flush, and a flush killed after
writing is repeated by the next without duplicates (the written file then holds those keys).
One flush at a time (a file lock). Compaction merges a partition's small files into larger
ones; readers take a shared lock (:meth:`TelemetryStore.reading`) and compaction swaps files
only under the exclusive one, so a reader never sees a reading twice or misses one.

Records that cannot be stored (malformed, refused by validation) go to the dead-letter table
``rejected`` with their problem and where they came from, in the same transaction as the readings
of their batch.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from carbonpeak.storage.telemetry_files import (
    FANOUT,
    SCHEMA,
    PartitionFile,
    absent_from,
    distinct_sorted,
    merge_files,
    partition_files,
    prepare_file,
    read_columns,
    write_file,
)

__all__ = ["TelemetryStore"]

_PATTERN = "enterprise=*/month=*/*.parquet"
_JOURNAL = ".compaction.json"
_KEYS = pa.schema([SCHEMA.field("meter"), SCHEMA.field("ts")])


def _partitions(table: pa.Table) -> tuple[list[tuple[str, str]], list[pa.Table]]:
    """The (enterprise, month) partitions of ``table``'s rows, and each one's rows."""
    enterprises = table.column("enterprise")
    names = pc.unique(enterprises)
    codes = pc.index_in(enterprises, value_set=names).to_numpy(zero_copy_only=False)
    stamps = table.column("ts").to_numpy()
    months, month_codes = np.unique(stamps.astype("datetime64[M]"), return_inverse=True)
    pairs = codes * len(months) + month_codes.reshape(-1)
    touched, parts = [], []
    for pair in np.unique(pairs):
        enterprise = str(names[int(pair) // len(months)].as_py())
        touched.append((enterprise, str(months[int(pair) % len(months)])))
        parts.append(table.filter(pa.array(pairs == pair)))
    return touched, parts


class TelemetryStore:
    """Readings under ``root``: ``staging.sqlite3`` and ``readings/enterprise=E/month=M/``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._version: tuple[float, str] | None = None
        self.readings = root / "readings"
        self.readings.mkdir(parents=True, exist_ok=True)
        self.staging_path = root / "staging.sqlite3"
        with self._staging() as db:
            # WAL with synchronous=NORMAL: a committed batch survives the process being
            # killed (only an OS crash could lose the last commits). ``staged`` (a row a
            # reading) is the layout before batches: still flushed if a store has rows there.
            db.executescript("""
                PRAGMA journal_mode=WAL;
                CREATE TABLE IF NOT EXISTS batches (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, readings INTEGER NOT NULL,
                    data BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS staged (
                    meter TEXT NOT NULL, ts TEXT NOT NULL, enterprise TEXT NOT NULL,
                    item TEXT NOT NULL, value REAL NOT NULL, unit TEXT NOT NULL,
                    month TEXT NOT NULL, PRIMARY KEY (meter, ts));
                CREATE TABLE IF NOT EXISTS rejected (
                    received TEXT NOT NULL, payload TEXT NOT NULL, problem TEXT NOT NULL);
            """)
            columns = {row[1] for row in db.execute("PRAGMA table_info(rejected)")}
            if "source" not in columns:  # stores made before dead letters named their source
                db.execute("ALTER TABLE rejected ADD COLUMN source TEXT NOT NULL DEFAULT ''")
        if (root / _JOURNAL).exists():  # a compaction cut short (rare: no lock taken otherwise)
            with self._flush_lock():
                self._finish_compaction()

    @contextmanager
    def _staging(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.staging_path, timeout=30)
        db.execute("PRAGMA synchronous=NORMAL")
        try:
            with db:
                yield db
        finally:
            db.close()

    def stage(
        self, readings: pd.DataFrame, rejections: list[tuple[str, str, str]] | None = None
    ) -> int:
        """Stage readings durably, and dead letters (payload, problem, source) with them in the
        same transaction; returns how many readings were staged (the first of each (meter,
        stamp) in ``readings``). A reading held already is dropped when flushed."""
        data, count = b"", 0
        if not readings.empty:
            frame = readings[SCHEMA.names].astype({"ts": "datetime64[us]"})
            table = pa.Table.from_pandas(frame, schema=SCHEMA, preserve_index=False)
            table = distinct_sorted(table)
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, SCHEMA) as writer:
                writer.write_table(table)
            data, count = sink.getvalue().to_pybytes(), table.num_rows
        if not count and not rejections:
            return 0
        with self._staging() as db:
            if count:
                db.execute("INSERT INTO batches (readings, data) VALUES (?, ?)", (count, data))
            db.executemany(
                "INSERT INTO rejected (received, payload, problem, source) "
                "VALUES (datetime('now'), ?, ?, ?)",
                rejections or [],
            )
        return count

    def reject(self, payload: str, problem: str, source: str = "") -> None:
        self.stage(pd.DataFrame(), [(payload, problem, source)])

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Hold while listing and reading partition files: compaction does not swap files
        meanwhile (it skips a partition rather than wait)."""
        with (self.root / ".swap.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_SH)
            yield

    def keys(self) -> set[tuple[str, str]]:
        """Distinct (meter, time stamp) held, staged or flushed: what has been received."""
        tables = [self._staged()[0].select(["meter", "ts"])]
        with self.reading():
            for file in self.readings.glob(_PATTERN):
                tables.append(read_columns(PartitionFile(file), ["meter", "ts"]).cast(_KEYS))
        held = pa.concat_tables(tables).to_pandas()
        return set(zip(held["meter"], (t.isoformat() for t in held["ts"]), strict=True))

    def staged_count(self) -> int:
        """Readings staged and not flushed yet (a redelivered one counts until the flush
        drops it)."""
        with self._staging() as db:
            batches = db.execute("SELECT coalesce(sum(readings), 0) FROM batches").fetchone()[0]
            rows = db.execute("SELECT count(*) FROM staged").fetchone()[0]
        return int(batches) + int(rows)

    def held_count(self) -> int:
        """Readings staged or flushed, counted between flushes (a flush moves them from the
        one to the other); the files' counts come from their metadata."""
        with self._flush_lock():
            flushed: int = sum(
                pq.ParquetFile(path).metadata.num_rows for path in self.readings.glob(_PATTERN)
            )
            return flushed + self.staged_count()

    def rejected(self) -> pd.DataFrame:
        with self._staging() as db:
            return pd.read_sql_query("SELECT * FROM rejected", db)

    @contextmanager
    def _flush_lock(self) -> Iterator[None]:
        with (self.root / ".flush.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes, or the process dies
            yield

    def _staged(self) -> tuple[pa.Table, int, int]:
        """Every staged reading in the order received, the last batch id and row id read."""
        with self._staging() as db:
            batches = db.execute("SELECT id, data FROM batches ORDER BY id").fetchall()
            rows = pd.read_sql_query("SELECT rowid AS _row, * FROM staged ORDER BY rowid", db)
        last_batch = int(batches[-1][0]) if batches else 0
        last_row = int(rows["_row"].max()) if not rows.empty else 0
        tables = [pa.ipc.open_stream(data).read_all() for _, data in batches]
        if not rows.empty:  # rows of the old layout were received before any batch
            rows["ts"] = pd.to_datetime(rows["ts"]).astype("datetime64[us]")
            old = pa.Table.from_pandas(rows[SCHEMA.names], schema=SCHEMA, preserve_index=False)
            tables.insert(0, old)
        table = pa.concat_tables(tables) if tables else SCHEMA.empty_table()
        return table, last_batch, last_row

    def flush(self) -> int:
        """Move staged readings into their Parquet partitions; returns how many were new there
        (a reading held already is dropped as a duplicate)."""
        with self._flush_lock():
            self._finish_compaction()
            staged, last_batch, last_row = self._staged()
            if staged.num_rows == 0:
                return 0
            staged = distinct_sorted(staged)
            touched, parts = _partitions(staged)
            added = sum(
                self._write_partition(enterprise, month, part)
                for (enterprise, month), part in zip(touched, parts, strict=True)
            )
            # Only what was read and written: batches staged meanwhile have larger ids. A crash
            # before this leaves them staged, and the next flush finds their keys written.
            with self._staging() as db:
                db.execute("DELETE FROM batches WHERE id <= ?", (last_batch,))
                db.execute("DELETE FROM staged WHERE rowid <= ?", (last_row,))
            for enterprise, month in touched:
                self._compact(self._partition(enterprise, month), full=False)
        return added

    def _partition(self, enterprise: str, month: str) -> Path:
        return self.readings / f"enterprise={enterprise}" / f"month={month}"

    def _write_partition(self, enterprise: str, month: str, new: pa.Table) -> int:
        """Append ``new`` (distinct, in (meter, time) order) less what the partition holds."""
        folder = self._partition(enterprise, month)
        folder.mkdir(parents=True, exist_ok=True)
        fresh = absent_from(new, partition_files(folder))
        if fresh.num_rows:
            write_file(folder, fresh, level=0)
        return int(fresh.num_rows)

    def compact(self) -> int:
        """Merge every partition's files into one; returns how many partitions were merged."""
        merged = 0
        with self._flush_lock():
            for folder in sorted(self.readings.glob("enterprise=*/month=*")):
                merged += self._compact(folder, full=True)
        return merged

    def _compact(self, folder: Path, full: bool) -> int:
        """Size-tiered: any level with FANOUT files becomes one file of the next level (all
        files into one when ``full``). Called under the flush lock."""
        done = 0
        while True:
            files = partition_files(folder)
            if full:
                group = files if len(files) > 1 else []
                level = max((f.level for f in files), default=0) + 1
            else:
                levels = sorted({f.level for f in files})
                ready = [v for v in levels if sum(f.level == v for f in files) >= FANOUT]
                group = [f for f in files if ready and f.level == ready[0]]
                level = ready[0] + 1 if ready else 0
            if not group:
                return done
            if not self._swap(folder, group, level):
                return done  # readers busy: merged at a later flush
            done += 1
            if full:
                return done

    def _swap(self, folder: Path, group: list[PartitionFile], level: int) -> bool:
        temporary, target = prepare_file(folder, merge_files(group), level)
        with (self.root / ".swap.lock").open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                temporary.unlink()
                return False
            # The journal names the merged file and its inputs before either changes: a crash
            # between renaming the one and unlinking the others is finished on the next open.
            plan = {
                "temporary": str(temporary),
                "merged": str(target),
                "inputs": [str(f.path) for f in group],
            }
            journal = self.root / _JOURNAL
            written = journal.with_suffix(".tmp")
            written.write_text(json.dumps(plan))
            written.replace(journal)
            temporary.replace(target)
            for file in group:
                file.path.unlink(missing_ok=True)
            journal.unlink()
        return True

    def _finish_compaction(self) -> None:
        """A compaction cut short: its inputs go if the merged file is in place, else only the
        merged file's temporary copy."""
        journal = self.root / _JOURNAL
        if not journal.exists():
            return
        plan = json.loads(journal.read_text())
        if Path(plan["merged"]).exists():
            for name in plan["inputs"]:
                Path(name).unlink(missing_ok=True)
        else:
            Path(plan["temporary"]).unlink(missing_ok=True)
        journal.unlink()

    def version(self, max_age: float = 2.0) -> str:
        """Changes whenever the stored readings do: a digest of every partition file's name, size
        and modification time (files are replaced whole, never edited in place). Listed at most
        every ``max_age`` seconds, so a busy dashboard does not walk the folders per request."""
        now = time.monotonic()
        if self._version is not None and now - self._version[0] < max_age:
            return self._version[1]
        digest = hashlib.sha256()
        for path in sorted(self.readings.glob(_PATTERN)):
            stat = path.stat()
            digest.update(
                f"{path.relative_to(self.readings)}:{stat.st_size}:{stat.st_mtime_ns};".encode()
            )
        return digest.hexdigest()

    def has_readings(self) -> bool:
        return any(self.readings.glob(_PATTERN))

    def ibis_readings(self, connection: Any) -> Any:
        """The readings as an Ibis table of ``connection`` (DuckDB or PySpark)."""
        path = str(self.readings / "**" / "*.parquet")
        if connection.name == "pyspark":
            return connection.read_parquet(str(self.readings), recursiveFileLookup=False)
        return connection.read_parquet(path, hive_partitioning=True)

    @staticmethod
    def duckdb() -> Any:
        return ibis.duckdb.connect()
