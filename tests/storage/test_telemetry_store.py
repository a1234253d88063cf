"""The telemetry store's files: a flush appends a file per partition and leaves out the readings
held already, so every reader (keys, the Ibis path, the month scan) sees each (meter, stamp)
once and the value first received; compaction changes the files, never the readings; a crash
between staging and flushing, after a flush wrote its file, or in a compaction loses and
duplicates nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carbonpeak.services.telemetry_scan import store_stats
from carbonpeak.storage import TelemetryStore
from carbonpeak.storage.telemetry_files import (
    FANOUT,
    merge_files,
    partition_files,
    prepare_file,
)

FIRST = pd.Timestamp("2026-10-31T20:00:00")  # batches cross into November: two partitions
METERS = pd.DataFrame(
    {
        "meter": ["m0", "m1", "m2"],
        "enterprise": "E1",
        "item": "electricity",
        "interval_minutes": 15,
        "max_interval_value": 10.0,
        "calibration_due": "2027-12-31",
        "installed_on": None,
    }
)


def batch(readings: list[tuple[int, int, float]]) -> pd.DataFrame:
    """(meter number, 15-minute slot, value) as the frame the intake stages."""
    return pd.DataFrame(
        {
            "meter": [f"m{m}" for m, _, _ in readings],
            "enterprise": "E1",
            "item": "electricity",
            "ts": pd.to_datetime([FIRST + pd.Timedelta(minutes=15 * s) for _, s, _ in readings]),
            "value": [v for _, _, v in readings],
            "unit": "MWh",
        }
    )


def stored(store: TelemetryStore) -> pd.DataFrame:
    """What the Ibis path (DuckDB) reads, in (meter, time) order."""
    connection = store.duckdb()
    frame = pd.DataFrame(connection.execute(store.ibis_readings(connection)))
    frame["ts"] = pd.to_datetime(frame["ts"]).astype("datetime64[us]")
    return frame.sort_values(["meter", "ts"]).reset_index(drop=True)[["meter", "ts", "value"]]


def first_received(batches: list[list[tuple[int, int, float]]]) -> pd.DataFrame:
    frame = pd.concat([batch(b) for b in batches], ignore_index=True)
    frame = frame.drop_duplicates(["meter", "ts"], keep="first")
    frame["ts"] = frame["ts"].astype("datetime64[us]")
    return frame.sort_values(["meter", "ts"]).reset_index(drop=True)[["meter", "ts", "value"]]


def rows(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    return list(frame.itertuples(index=False, name=None))


def files(store: TelemetryStore) -> list[Path]:
    return sorted(store.readings.glob("enterprise=*/month=*/*.parquet"))


readings_strategy = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 40), st.sampled_from([0.5, 1.0, 2.0, -1.0, 12.0])),
    max_size=30,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    batches=st.lists(readings_strategy, min_size=1, max_size=12),
    flushes=st.lists(st.booleans(), min_size=12, max_size=12),
)
def test_every_reader_sees_each_reading_once_with_its_first_value(
    tmp_path_factory: pytest.TempPathFactory, batches: list, flushes: list[bool]
) -> None:
    store = TelemetryStore(tmp_path_factory.mktemp("telemetry"))
    for readings, flush in zip(batches, flushes, strict=False):
        store.stage(batch(readings))  # redeliveries and repeats among and across batches
        if flush:
            store.flush()
    store.flush()
    expected = first_received(batches)
    assert store.staged_count() == 0
    assert store.held_count() == len(expected)
    if expected.empty:
        assert not store.has_readings()
        return
    assert rows(stored(store)) == rows(expected)
    pairs = zip(expected["meter"], expected["ts"], strict=True)
    assert store.keys() == {(m, t.isoformat()) for m, t in pairs}
    scanned = store_stats(store.readings, METERS)
    assert scanned["received"].sum() == len(expected)
    # Compaction changes the files, not the readings, nor what the scan finds in them.
    store.compact()
    assert len(files(store)) == len({p.parent for p in files(store)})  # one file a partition
    assert rows(stored(store)) == rows(expected)
    compacted = store_stats(store.readings, METERS)
    pd.testing.assert_frame_equal(
        scanned.sort_values(["meter_id", "month"]).reset_index(drop=True),
        compacted.sort_values(["meter_id", "month"]).reset_index(drop=True),
    )


def test_a_flush_appends_and_tiers_merge_small_files(tmp_path: Path) -> None:
    store = TelemetryStore(tmp_path)
    for number in range(FANOUT * 2 + 3):
        store.stage(batch([(0, number, 1.0), (1, number, 1.0)]))
        store.flush()
    # Without compaction there would be one file per flush; tiers keep them few, no reading
    # rewritten on every flush.
    october, november = sorted({p.parent for p in files(store)})
    assert sorted(f.level for f in partition_files(october)) == [1, 1]  # 16 flushes
    assert sorted(f.level for f in partition_files(november)) == [0, 0, 0]
    assert len(stored(store)) == 2 * (FANOUT * 2 + 3)


def test_staged_readings_survive_a_restart_before_the_flush(tmp_path: Path) -> None:
    store = TelemetryStore(tmp_path)
    store.stage(batch([(0, 1, 1.0), (1, 1, 1.0)]))
    store.stage(batch([(0, 1, 9.0)]))  # a redelivery, staged in another transaction
    del store  # the process dies between staging and flushing
    reopened = TelemetryStore(tmp_path)
    assert reopened.staged_count() == 3
    assert reopened.flush() == 2
    assert stored(reopened)["value"].tolist() == [1.0, 1.0]


class CrashAfterWrite(TelemetryStore):
    """Dies after writing a partition's file, before deleting the staged batches."""

    def _write_partition(self, enterprise: str, month: str, new: object) -> int:
        super()._write_partition(enterprise, month, new)  # type: ignore[arg-type]
        raise KeyboardInterrupt


def test_a_flush_cut_short_after_writing_is_repeated_without_duplicates(tmp_path: Path) -> None:
    store = CrashAfterWrite(tmp_path)
    store.stage(batch([(0, s, 1.0) for s in range(10)]))
    with pytest.raises(KeyboardInterrupt):
        store.flush()
    assert store.staged_count() == 10  # written, and still staged
    again = TelemetryStore(tmp_path)
    assert again.flush() == 0  # the written file holds them
    assert again.staged_count() == 0
    assert len(stored(again)) == 10


def test_a_compaction_cut_short_is_finished_on_the_next_open(tmp_path: Path) -> None:
    store = TelemetryStore(tmp_path)
    for number in range(3):
        store.stage(batch([(0, number, 1.0)]))
        store.flush()
    folder = files(store)[0].parent
    inputs = partition_files(folder)
    temporary, target = prepare_file(folder, merge_files(inputs), level=1)
    (tmp_path / ".compaction.json").write_text(
        json.dumps(
            {
                "temporary": str(temporary),
                "merged": str(target),
                "inputs": [str(f.path) for f in inputs],
            }
        )
    )
    temporary.replace(target)
    inputs[0].path.unlink()  # killed after renaming the merged file and unlinking one input
    reopened = TelemetryStore(tmp_path)
    assert [p.name for p in files(reopened)] == [target.name]
    assert len(stored(reopened)) == 3
    assert not (tmp_path / ".compaction.json").exists()


def test_compaction_waits_for_readers(tmp_path: Path) -> None:
    store = TelemetryStore(tmp_path)
    with store.reading():  # a reader listing the files: nothing is swapped under it
        for number in range(FANOUT):
            store.stage(batch([(0, number, 1.0)]))
            store.flush()
        assert len(files(store)) == FANOUT
    store.stage(batch([(0, FANOUT, 1.0)]))
    store.flush()  # the next flush merges them, its own file too
    assert [f.level for f in partition_files(files(store)[0].parent)] == [1]
    assert len(stored(store)) == FANOUT + 1


def test_a_store_of_the_previous_layout_is_flushed_and_compacted(tmp_path: Path) -> None:
    """Rows staged one a reading, and one readings.parquet a partition, as stores were."""
    store = TelemetryStore(tmp_path)
    store.stage(batch([(0, 1, 1.0), (0, 2, 1.0)]))
    store.flush()
    (old,) = files(store)
    old.rename(old.with_name("readings.parquet"))
    with sqlite3.connect(tmp_path / "staging.sqlite3") as db:
        db.execute(
            "INSERT INTO staged VALUES ('m0', ?, 'E1', 'electricity', 5.0, 'MWh', '2026-10')",
            ((FIRST + pd.Timedelta(minutes=15)).isoformat(),),  # held already, in the old file
        )
        db.execute(
            "INSERT INTO staged VALUES ('m0', ?, 'E1', 'electricity', 3.0, 'MWh', '2026-10')",
            ((FIRST + pd.Timedelta(minutes=45)).isoformat(),),
        )
    reopened = TelemetryStore(tmp_path)
    assert reopened.staged_count() == 2
    assert reopened.flush() == 1
    assert stored(reopened)["value"].tolist() == [1.0, 1.0, 3.0]
    reopened.compact()
    assert len(files(reopened)) == 1
    assert stored(reopened)["value"].tolist() == [1.0, 1.0, 3.0]
