"""MQTT ingest survives SIGKILL of the consumer: no reading lost, none duplicated."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
from paho.mqtt import client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from carbonpeak.storage import TelemetryStore, make_engine, upgrade
from tests.conftest import add_enterprise, add_meter

READINGS = 3000


def consumer(
    port: int, database: Path, store: Path, client_id: str = "kill-test"
) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CARBONPEAK_DATABASE_URL": f"sqlite:///{database}"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "carbonpeak.cli",
            "monitor",
            "subscribe",
            "--port",
            str(port),
            "--store",
            str(store),
            "--client-id",
            client_id,  # each test its own persistent session on the shared broker
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stored(store: TelemetryStore) -> pd.DataFrame:
    connection = store.duckdb()
    parts = [connection.execute(store.ibis_readings(connection))] if store.has_readings() else []
    return pd.concat(parts) if parts else pd.DataFrame(columns=["meter", "ts"])


def wait_for(condition, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_sigkill_mid_stream_loses_and_duplicates_nothing(mosquitto: int, tmp_path: Path) -> None:
    database, folder = tmp_path / "registry.sqlite3", tmp_path / "telemetry"
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    add_enterprise(engine)
    add_meter(engine, max_interval_value=100.0)
    engine.dispose()
    store = TelemetryStore(folder)
    stamps = pd.date_range("2026-10-01", periods=READINGS, freq="15min")
    messages = [f'{{"meter": "m1", "ts": "{s.isoformat()}+08:00", "value": 1.5}}' for s in stamps]

    publisher = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="kill-test-publisher")
    publisher.max_inflight_messages_set(50)
    publisher.connect("127.0.0.1", mosquitto)
    publisher.loop_start()

    first = consumer(mosquitto, database, folder)
    try:
        # The consumer has subscribed (persistently) once the first reading arrives; until then
        # the broker drops it, so repeat it (duplicates are ignored anyway).
        def probe() -> bool:
            publisher.publish("carbonpeak/telemetry/E1/m1", messages[0], qos=1)
            return len(store.keys()) >= 1

        assert wait_for(probe, 30), "the consumer never received a reading"

        def publish_rest() -> None:
            for message in messages[1:]:
                publisher.publish("carbonpeak/telemetry/E1/m1", message, qos=1)
                time.sleep(0.0005)

        sender = threading.Thread(target=publish_rest)
        sender.start()
        assert wait_for(lambda: len(store.keys()) >= READINGS // 3, 60)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        killed_at = len(store.keys())
        sender.join(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
    assert 0 < killed_at < READINGS, "the kill must land mid-stream"

    second = consumer(mosquitto, database, folder)
    try:
        assert wait_for(lambda: len(store.keys()) >= READINGS, 60)
        time.sleep(1.5)  # let any redelivered duplicate arrive before counting
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=20)
        publisher.loop_stop()
        publisher.disconnect()
    readings = stored(store)
    assert store.staged_count() == 0  # the clean stop flushed everything
    assert len(readings) == READINGS
    assert readings[["meter", "ts"]].duplicated().sum() == 0
    assert set(pd.to_datetime(readings["ts"])) == set(stamps)


def test_soak_repeated_sigkill_loses_and_duplicates_nothing(mosquitto: int, tmp_path: Path) -> None:
    """A bounded stream from a publisher process, the consumer process killed four times: every
    reading stored once. (benchmarks/telemetry.py runs the same with 50,000 readings.)"""
    from tests.monitoring.soak import soak

    result = soak(mosquitto, tmp_path, count=4000, kills=4)
    assert result.kills == 4
    assert result.lost == 0
    assert result.duplicated == 0
    assert result.stored == result.distinct == 4000


def test_poison_messages_are_set_aside_while_the_consumer_runs(
    mosquitto: int, tmp_path: Path
) -> None:
    """Every malformed kind of test_intake.py over the broker, between good readings: the
    consumer acknowledges each, files it as a dead letter, and keeps consuming."""
    from carbonpeak.services.telemetry import register_meters
    from tests.monitoring.test_intake import POISON, TOPIC

    database, folder = tmp_path / "registry.sqlite3", tmp_path / "telemetry"
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    add_enterprise(engine, "E1")
    add_enterprise(engine, "E2")
    register_meters(
        engine,
        pd.DataFrame(
            [
                {"meter": "m1", "enterprise": "E1", "installed_on": "2026-01-01"},
                {"meter": "m2", "enterprise": "E2", "installed_on": None},
            ]
        ).assign(
            item="electricity",
            interval_minutes=15,
            max_interval_value=10.0,
            calibration_due="2027-12-31",
        ),
        "test",
    )
    engine.dispose()
    store = TelemetryStore(folder)
    # The subscription covers carbonpeak/telemetry/#: a topic outside it never reaches us.
    delivered = {k: v for k, v in POISON.items() if v[0].startswith("carbonpeak/telemetry")}
    publisher = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="poison-publisher")
    publisher.connect("127.0.0.1", mosquitto)
    publisher.loop_start()
    running = consumer(mosquitto, database, folder, client_id="poison-test")
    try:

        def probe() -> bool:
            publisher.publish(TOPIC, '{"meter":"m1","ts":"2026-10-01T00:00:00","value":1}', qos=1)
            return len(store.keys()) >= 1

        assert wait_for(probe, 30), "the consumer never received a reading"
        stamps = pd.date_range("2026-10-02", periods=len(delivered) + 1, freq="15min")
        for stamp, (topic, payload) in zip(stamps, delivered.values(), strict=False):
            publisher.publish(
                TOPIC, f'{{"meter":"m1","ts":"{stamp.isoformat()}","value":1}}', qos=1
            )
            publisher.publish(topic, payload, qos=1).wait_for_publish(10)
        publisher.publish(
            TOPIC, f'{{"meter":"m1","ts":"{stamps[-1].isoformat()}","value":1}}', qos=1
        ).wait_for_publish(10)
        assert wait_for(lambda: len(store.keys()) >= len(delivered) + 2, 60)
        assert wait_for(lambda: len(store.rejected()) >= len(delivered), 30)
        assert running.poll() is None, "the consumer died on a poison message"
    finally:
        running.send_signal(signal.SIGTERM)
        running.wait(timeout=20)
        publisher.loop_stop()
        publisher.disconnect()
    letters = store.rejected()
    assert len(letters) == len(delivered)
    assert set(letters["source"]) == {topic for topic, _ in delivered.values()}
    assert len(store.keys()) == len(delivered) + 2
