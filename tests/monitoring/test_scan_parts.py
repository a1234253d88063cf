"""A month scanned in parts (one per partition file) and merged (monitoring.parts) gives the
statistics of the month scanned whole; through the store, a month partition of several files,
appended in time order or overlapping, gives the Ibis rules' outputs."""

from __future__ import annotations

import itertools
from pathlib import Path

import hypothesis.strategies as st
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings

from carbonpeak.monitoring.parts import merge_parts
from carbonpeak.monitoring.rollup import chunks_from_frame, meter_limits
from carbonpeak.monitoring.scan import MonthChunk, Workspace, scan_month
from carbonpeak.services.telemetry_scan import store_stats
from carbonpeak.storage import TelemetryStore
from tests.monitoring.test_scan import (
    METERS,
    assert_same,
    ibis_outputs,
    readings_frame,
    reported_for,
    rows,
    scan_outputs,
)

LIMITS = meter_limits(METERS)


def _as_frame(stats: dict[str, np.ndarray]) -> pd.DataFrame:
    frame = pd.DataFrame({name: np.asarray(column) for name, column in stats.items()})
    return frame.sort_values("meter_id", ignore_index=True).astype(float)


def assert_same_stats(merged: dict[str, np.ndarray], whole: dict[str, np.ndarray]) -> None:
    """The same floats, but for the valid sum: added in parts, its rounding may differ."""
    found, expected = _as_frame(merged), _as_frame(whole)
    pd.testing.assert_frame_equal(
        found.drop(columns="valid_sum"), expected.drop(columns="valid_sum"), rtol=0, atol=0
    )
    np.testing.assert_allclose(found["valid_sum"], expected["valid_sum"], rtol=1e-12, atol=0)


def _part(chunk: MonthChunk, select: np.ndarray) -> MonthChunk:
    return MonthChunk(chunk.month, chunk.meter_id[select], chunk.ts_us[select], chunk.value[select])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=rows, cuts=st.lists(st.integers(0, 40 * 86400 * 10**6), max_size=3))
def test_parts_following_in_time_merge_to_the_whole_month(
    rows: list[tuple[str, pd.Timestamp, float]], cuts: list[int]
) -> None:
    """Each month cut at some instants into parts (as files appended flush after flush): the
    merged parts' statistics are the whole month's (the gaps the same floats)."""
    readings = readings_frame(rows)
    start = pd.Timestamp("2026-09-30 20:00").value // 1000
    work = Workspace()  # one workspace through chunks of different sizes
    for chunk in chunks_from_frame(readings, METERS):
        whole = scan_month(chunk, LIMITS)
        edges = [-(2**62), *sorted(start + c for c in cuts), 2**62]
        parts = [
            scan_month(_part(chunk, (chunk.ts_us >= low) & (chunk.ts_us < high)), LIMITS, work)
            for low, high in itertools.pairwise(edges)
        ]
        merged = merge_parts(parts)
        assert merged is not None
        assert_same_stats(merged, whole)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=rows, split=st.randoms())
def test_overlapping_parts_are_refused_or_merge_to_the_whole(
    rows: list[tuple[str, pd.Timestamp, float]], split: object
) -> None:
    """Readings dealt to two parts at random: the merge is the whole month's statistics, or
    ``None`` when a meter's parts overlap in time (the month is then scanned whole)."""
    readings = readings_frame(rows)
    for chunk in chunks_from_frame(readings, METERS):
        whole = scan_month(chunk, LIMITS)
        side = np.array([split.random() < 0.5 for _ in chunk.ts_us])  # type: ignore[attr-defined]
        merged = merge_parts(
            [scan_month(_part(chunk, side), LIMITS), scan_month(_part(chunk, ~side), LIMITS)]
        )
        if merged is not None:
            assert_same_stats(merged, whole)


def _append_file(store: TelemetryStore, readings: pd.DataFrame, name: str) -> None:
    """A further file in each month partition, as a flush that appends instead of rewriting."""
    for (enterprise, month), part in readings.groupby(["enterprise", "month"]):
        folder = store.readings / f"enterprise={enterprise}" / f"month={month}"
        folder.mkdir(parents=True, exist_ok=True)
        columns = ["meter", "enterprise", "item", "ts", "value", "unit"]
        pq.write_table(pa.Table.from_pandas(part[columns], preserve_index=False), folder / name)


def test_store_months_of_several_files(tmp_path: Path) -> None:
    """Three files in a month partition: two that follow each other in time (m1, m3), and one
    whose m2 readings fall between the earlier file's (the month read whole and sorted)."""
    stamps = pd.date_range("2026-10-30", "2026-11-03", freq="15min")
    early, late = stamps[stamps < "2026-11-02"], stamps[stamps >= "2026-11-02"]
    first = readings_frame(
        [("m1", s, 1.0) for s in early if s.minute != 30]
        + [("m3", s, 0.5) for s in early[::3]]
        + [("m2", s, 1.0) for s in early[::2]]
    )
    second = readings_frame(
        [("m1", s, 1.0) for s in late[4:]]  # a gap of an hour and a quarter across the files
        + [("m3", s, 3.0) for s in late[::5]]
        + [("m2", s, 6.0) for s in early[1::2]]  # between the first file's m2 readings
    )
    store = TelemetryStore(tmp_path)
    store.stage(first)
    store.flush()
    _append_file(store, second, "appended.parquet")
    assert len(list((store.readings / "enterprise=E1" / "month=2026-11").glob("*.parquet"))) == 2
    readings = pd.concat([first, second], ignore_index=True)
    reported = reported_for(readings, 1.05)
    expected = ibis_outputs(readings, METERS, reported)
    for workers in (1, 2):
        found = scan_outputs(store_stats(store.readings, METERS, workers=workers), METERS, reported)
        for level in expected:
            assert_same(expected[level], found[level])
    per_meter = found["meter"].set_index(["meter", "month"])
    assert per_meter.loc[("m1", "2026-11"), "max_gap_minutes"] == 75.0


def test_parts_meeting_at_one_stamp_merge_and_overlapping_parts_do_not() -> None:
    """A stamp repeated at the end of one file and the start of the next is a gap of 0; a
    file whose readings fall inside another's time span is refused."""
    base = pd.Timestamp("2026-11-01").value // 1000
    minute = 60 * 10**6

    def part(stamps: list[int], value: float = 1.0) -> dict[str, np.ndarray]:
        ts = np.array([base + s * minute for s in stamps], dtype=np.int64)
        chunk = MonthChunk("2026-11", np.zeros(len(ts), np.int64), ts, np.full(len(ts), value))
        return scan_month(chunk, LIMITS)

    merged = merge_parts([part([0, 15, 30]), part([30, 105], 11.0)])
    assert merged is not None
    assert merged["received"].tolist() == [5]
    assert merged["implausible"].tolist() == [2]  # m1's limit is 10
    assert merged["max_gap_within"].tolist() == [75.0]
    assert merged["long_gaps_within"].tolist() == [1]
    assert merge_parts([part([0, 30]), part([15])]) is None
