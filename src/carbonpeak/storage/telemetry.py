"""Telemetry at rest: a durable staging table (deduplicating on meter and time stamp), flushed to
hive-partitioned Parquet (enterprise=…/month=…) that DuckDB, or Spark, reads.

Staging commits a reading before its message is acknowledged, so a consumer killed at any point
loses nothing, and the primary key drops redeliveries. Flushing rewrites only the partitions it
touches, each through a temporary file renamed into place, and then deletes from the staging table
only the rows it read: a reading staged while the Parquet was being written stays staged for the
next flush. One flush at a time (a file lock), so two processes never merge the same partition
from the same old file and drop each other's readings.

Records that cannot be stored (malformed, refused by validation) go to the dead-letter table
``rejected`` with their problem and where they came from, in the same transaction as the readings
of their batch.
"""

from __future__ import annotations

import fcntl
import hashlib
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from carbonpeak.monitoring import READING_COLUMNS

__all__ = ["TelemetryStore"]

_SCHEMA = pa.schema(
    [
        ("meter", pa.string()),
        ("enterprise", pa.string()),
        ("item", pa.string()),
        ("ts", pa.timestamp("us")),
        ("value", pa.float64()),
        ("unit", pa.string()),
    ]
)


class TelemetryStore:
    """Readings under ``root``: ``staging.sqlite3`` and ``readings/enterprise=E/month=M/``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._version: tuple[float, str] | None = None
        self.readings = root / "readings"
        self.readings.mkdir(parents=True, exist_ok=True)
        self.staging_path = root / "staging.sqlite3"
        with self._staging() as db:
            # WAL with synchronous=NORMAL: a committed reading survives the process being
            # killed (only an OS crash could lose the last commits).
            db.executescript("""
                PRAGMA journal_mode=WAL;
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
        same transaction; returns how many readings were new (duplicates are ignored)."""
        rows: list[tuple[Any, ...]] = []
        if not readings.empty:
            columns = ["meter", "ts", "enterprise", "item", "value", "unit", "month"]
            stamps = readings["ts"].to_numpy().astype("datetime64[us]")
            # As Timestamp.isoformat: microseconds only when there are any.
            whole = stamps.astype("datetime64[s]")
            text = np.where(
                whole == stamps,
                np.datetime_as_string(whole, unit="s"),
                np.datetime_as_string(stamps, unit="us"),
            )
            values = [text.tolist() if c == "ts" else readings[c].tolist() for c in columns]
            rows = list(zip(*values, strict=True))
        if not rows and not rejections:
            return 0
        with self._staging() as db:
            before = db.total_changes
            db.executemany("INSERT OR IGNORE INTO staged VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            new = int(db.total_changes - before)
            db.executemany(
                "INSERT INTO rejected (received, payload, problem, source) "
                "VALUES (datetime('now'), ?, ?, ?)",
                rejections or [],
            )
            return new

    def reject(self, payload: str, problem: str, source: str = "") -> None:
        self.stage(pd.DataFrame(), [(payload, problem, source)])

    def keys(self) -> set[tuple[str, str]]:
        """Distinct (meter, time stamp) held, staged or flushed: what has been received."""
        with self._staging() as db:
            held = {
                (m, pd.Timestamp(t).isoformat())
                for m, t in db.execute("SELECT meter, ts FROM staged")
            }
        for file in self.readings.glob("enterprise=*/month=*/readings.parquet"):
            # One open file: a flush may replace the path meanwhile, never the opened file.
            with file.open("rb") as handle:
                table = pq.read_table(handle, columns=["meter", "ts"]).to_pandas()
            held.update(zip(table["meter"], (t.isoformat() for t in table["ts"]), strict=True))
        return held

    def staged_count(self) -> int:
        with self._staging() as db:
            return int(db.execute("SELECT count(*) FROM staged").fetchone()[0])

    def rejected(self) -> pd.DataFrame:
        with self._staging() as db:
            return pd.read_sql_query("SELECT * FROM rejected", db)

    @contextmanager
    def _flush_lock(self) -> Iterator[None]:
        with (self.root / ".flush.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes, or the process dies
            yield

    def flush(self) -> int:
        """Move staged readings into their Parquet partitions; returns how many were new there
        (a reading already flushed earlier is dropped as a duplicate)."""
        with self._flush_lock():
            with self._staging() as db:
                staged = pd.read_sql_query("SELECT rowid AS _row, * FROM staged", db)
            if staged.empty:
                return 0
            last_row = int(staged["_row"].max())
            staged = staged.drop(columns="_row")
            staged["ts"] = pd.to_datetime(staged["ts"]).astype("datetime64[us]")
            added = sum(
                self._merge_partition(str(enterprise), str(month), part)
                for (enterprise, month), part in staged.groupby(["enterprise", "month"])
            )
            # Only what was read and written: rows staged meanwhile have larger rowids (the read
            # rows were still there, so SQLite numbered new ones after them). A crash before
            # this leaves the written rows staged, and the next flush merges them again without
            # duplicates.
            with self._staging() as db:
                db.execute("DELETE FROM staged WHERE rowid <= ?", (last_row,))
        return added

    def _partition(self, enterprise: str, month: str) -> Path:
        return self.readings / f"enterprise={enterprise}" / f"month={month}"

    def _merge_partition(self, enterprise: str, month: str, new: pd.DataFrame) -> int:
        folder = self._partition(enterprise, month)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / "readings.parquet"
        columns = [c for c in READING_COLUMNS if c != "month"]
        frames = [new[columns]]
        existing = 0
        if target.exists():
            frames.insert(0, pq.read_table(target).to_pandas()[columns])
            existing = len(frames[0])
        merged = (
            pd.concat(frames, ignore_index=True)
            .drop_duplicates(["meter", "ts"], keep="first")
            .sort_values(["meter", "ts"])
        )
        temporary = folder / f".{uuid.uuid4().hex}.tmp"
        pq.write_table(
            pa.Table.from_pandas(merged, schema=_SCHEMA, preserve_index=False), temporary
        )
        temporary.replace(target)
        return len(merged) - existing

    def version(self, max_age: float = 2.0) -> str:
        """Changes whenever the stored readings do: a digest of every partition file's name, size
        and modification time (files are replaced whole, never edited in place). Listed at most
        every ``max_age`` seconds, so a busy dashboard does not walk the folders per request."""
        now = time.monotonic()
        if self._version is not None and now - self._version[0] < max_age:
            return self._version[1]
        digest = hashlib.sha256()
        for path in sorted(self.readings.glob("enterprise=*/month=*/readings.parquet")):
            stat = path.stat()
            digest.update(
                f"{path.relative_to(self.readings)}:{stat.st_size}:{stat.st_mtime_ns};".encode()
            )
        return digest.hexdigest()

    def has_readings(self) -> bool:
        return any(self.readings.glob("enterprise=*/month=*/readings.parquet"))

    def ibis_readings(self, connection: Any) -> Any:
        """The readings as an Ibis table of ``connection`` (DuckDB or PySpark)."""
        path = str(self.readings / "**" / "*.parquet")
        if connection.name == "pyspark":
            return connection.read_parquet(str(self.readings), recursiveFileLookup=False)
        return connection.read_parquet(path, hive_partitioning=True)

    @staticmethod
    def duckdb() -> Any:
        return ibis.duckdb.connect()
