"""Readings in: poison messages go to the dead letters and never raise, the topic's enterprise
must own the meter, no reading from the future or from before the meter was installed, and a
flush never deletes a reading staged while it was writing Parquet."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonpeak.monitoring import Meter, parse_readings
from carbonpeak.services.telemetry_intake import ingest_readings, stage_messages
from carbonpeak.storage import TelemetryStore

REGISTRY = {
    "m1": Meter("m1", "E1", "electricity", 15, 10.0, "2027-12-31", installed_on="2026-01-01"),
    "m2": Meter("m2", "E2", "electricity", 15, 10.0, "2027-12-31"),
}
TOPIC = "carbonpeak/telemetry/E1/m1"
GOOD = {"meter": "m1", "ts": "2026-10-01T00:00:00+08:00", "value": 1.5, "unit": "MWh"}


def reading(**changes: object) -> bytes:
    return json.dumps({**GOOD, **changes}).encode()


# Each kind of malformed message the consumer may receive, and the topic it comes on.
POISON: dict[str, tuple[str, bytes]] = {
    "a JSON number": (TOPIC, b"42"),
    "a JSON string": (TOPIC, b'"m1"'),
    "JSON null": (TOPIC, b"null"),
    "JSON true": (TOPIC, b"true"),
    "a list of numbers": (TOPIC, b"[1]"),
    "a list of lists": (TOPIC, b"[[1, 2]]"),
    "broken JSON": (TOPIC, b'{"meter": "m1", '),
    "not UTF-8": (TOPIC, b"\xff\xfe\x00"),
    "an empty payload": (TOPIC, b""),
    "nesting too deep": (TOPIC, b"[" * 100_000 + b"]" * 100_000),
    "no time stamp": (TOPIC, json.dumps({"meter": "m1", "value": 1}).encode()),
    "a number for a time stamp": (TOPIC, reading(ts=1_700_000_000)),
    "an unreadable time stamp": (TOPIC, reading(ts="yesterday")),
    "the year 1": (TOPIC, reading(ts="0001-01-01T00:00:00+08:00")),
    "the year 9999": (TOPIC, reading(ts="9999-12-31T23:45:00-12:00")),
    "a reading dated 2099": (TOPIC, reading(ts="2099-01-01T00:00:00+08:00")),
    "before the meter was installed": (TOPIC, reading(ts="2025-12-31T23:45:00+08:00")),
    "a text value": (TOPIC, reading(value="1.5")),
    "a null value": (TOPIC, reading(value=None)),
    "a boolean value": (TOPIC, reading(value=True)),
    "NaN": (TOPIC, b'{"meter": "m1", "ts": "2026-10-01T00:15:00", "value": NaN}'),
    "an infinite value": (TOPIC, b'{"meter": "m1", "ts": "2026-10-01T00:15:00", "value": 1e400}'),
    "an overflowing conversion": (TOPIC, reading(value=1e308, unit="TWh")),
    "a unit that does not parse": (TOPIC, reading(unit="kWh**")),
    "an unbalanced unit": (TOPIC, reading(unit="(MWh")),
    "a unit of division by zero": (TOPIC, reading(unit="1/0")),
    "a number for a unit": (TOPIC, reading(unit=5)),
    "an object for a unit": (TOPIC, reading(unit={"MWh": 1})),
    "a unit of another dimension": (TOPIC, reading(unit="t")),
    "a list for a meter": (TOPIC, reading(meter=["m1"])),
    "an unknown meter": ("carbonpeak/telemetry/E1", reading(meter="m9")),
    "another enterprise's meter": ("carbonpeak/telemetry/E1", reading(meter="m2")),
    "another meter than the topic's": (TOPIC, reading(meter="m2")),
    "a topic without an enterprise": ("carbonpeak/telemetry", reading()),
    "a topic outside carbonpeak": ("elsewhere/E1/m1", reading()),
}


@pytest.fixture
def store(tmp_path: Path) -> TelemetryStore:
    return TelemetryStore(tmp_path / "telemetry")


@pytest.mark.parametrize("kind", sorted(POISON))
def test_a_poison_message_becomes_a_dead_letter(store: TelemetryStore, kind: str) -> None:
    """Each kind alone, between good readings: set aside with its problem, the rest kept."""
    topic, payload = POISON[kind]
    counts = stage_messages(
        store,
        REGISTRY,
        [(TOPIC, reading()), (topic, payload), (TOPIC, reading(ts="2026-10-01T00:15:00"))],
    )
    assert counts["new"] == 2
    assert counts["rejected"] == 1
    letters = store.rejected()
    assert len(letters) == 1
    assert letters["source"].iloc[0] == topic
    assert letters["problem"].iloc[0]


def test_all_poison_kinds_in_one_batch(store: TelemetryStore) -> None:
    counts = stage_messages(store, REGISTRY, [*POISON.values(), (TOPIC, reading())])
    assert (counts["new"], counts["rejected"]) == (1, len(POISON))


@settings(max_examples=200, deadline=None)
@given(payload=st.binary(max_size=200), topic=st.text(max_size=40))
def test_no_payload_raises(
    tmp_path_factory: pytest.TempPathFactory, payload: bytes, topic: str
) -> None:
    store = TelemetryStore(tmp_path_factory.mktemp("fuzz"))
    counts = stage_messages(store, REGISTRY, [(topic, payload)])
    assert counts["new"] + counts["rejected"] >= 0
    assert counts["new"] <= 1


@settings(max_examples=100, deadline=None)
@given(
    record=st.dictionaries(
        st.sampled_from(["meter", "ts", "value", "unit"]),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.floats(),
            st.text(max_size=20),
            st.lists(st.integers(), max_size=2),
        ),
    )
)
def test_no_record_raises(record: dict[str, object]) -> None:
    frame, problems = parse_readings([record, {**record, "meter": "m1"}], REGISTRY)
    assert len(frame) + len(problems) == 2


def test_the_future_is_refused_with_a_small_tolerance() -> None:
    now = datetime(2026, 12, 5, 12, 0)
    records = [
        {"meter": "m1", "ts": "2026-12-05T12:00:00+08:00", "value": 1},  # the current interval
        {"meter": "m1", "ts": "2026-12-05T04:04:00Z", "value": 1},  # 12:04 Beijing: clock skew
        {"meter": "m1", "ts": "2026-12-05T12:15:00+08:00", "value": 1},  # not yet begun
        {"meter": "m1", "ts": "2027-06-01T00:00:00+08:00", "value": 1},
    ]
    frame, problems = parse_readings(records, REGISTRY, now=now)
    assert len(frame) == 2
    assert [p.location for p in problems] == ["reading 3, ts", "reading 4, ts"]
    assert all(p.problem == "in the future" for p in problems)


def test_http_batches_refuse_future_readings(store: TelemetryStore) -> None:
    """The HTTP path stored 297k readings dated 2027–2028 before."""
    counts = ingest_readings(
        store,
        REGISTRY,
        [{"meter": "m1", "ts": f"202{y}-03-01T00:00:00+08:00", "value": 1.0} for y in (6, 7, 8)],
    )
    assert (counts["new"], counts["rejected"]) == (1, 2)
    assert store.rejected()["problem"].str.contains("in the future").all()


def test_the_sender_enterprise_must_own_the_meter(store: TelemetryStore) -> None:
    counts = stage_messages(store, REGISTRY, [("carbonpeak/telemetry/E1/m2", reading(meter="m2"))])
    assert (counts["new"], counts["rejected"]) == (0, 1)
    assert "another enterprise" in store.rejected()["problem"].iloc[0]
    frame, problems = parse_readings([json.loads(reading(meter="m2"))], REGISTRY, enterprise="E2")
    assert len(frame) == 1 and problems == []


class FlushRacingStore(TelemetryStore):
    """Stages one more reading, from another connection, while the flush writes Parquet."""

    racing: TelemetryStore | None = None

    def _write_partition(self, enterprise: str, month: str, new: pa.Table) -> int:
        added = super()._write_partition(enterprise, month, new)
        if self.racing is not None:
            late, problems = parse_readings(
                [{"meter": "m1", "ts": "2026-10-01T12:00:00+08:00", "value": 2.0}], REGISTRY
            )
            assert problems == [] and self.racing.stage(late) == 1
            self.racing = None
        return added


def test_a_reading_staged_while_a_flush_writes_parquet_is_kept(tmp_path: Path) -> None:
    store = FlushRacingStore(tmp_path / "telemetry")
    store.racing = TelemetryStore(store.root)
    first, _ = parse_readings([GOOD], REGISTRY)
    store.stage(first)
    assert store.flush() == 1
    assert store.staged_count() == 1  # the late reading is still staged, not deleted unflushed
    assert store.flush() == 1
    assert store.staged_count() == 0
    assert len(store.keys()) == 2


def test_dead_letters_survive_reopening_an_older_store(tmp_path: Path) -> None:
    """A staging database made before dead letters named their source gains the column."""
    import sqlite3

    root = tmp_path / "telemetry"
    root.mkdir()
    with sqlite3.connect(root / "staging.sqlite3") as db:
        db.execute("CREATE TABLE rejected (received TEXT, payload TEXT, problem TEXT)")
        db.execute("INSERT INTO rejected VALUES ('2026-01-01', '{}', 'old')")
    store = TelemetryStore(root)
    store.reject("{}", "new", "http")
    assert store.rejected()["source"].tolist() == ["", "http"]
