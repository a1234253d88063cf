"""A soak of the MQTT consumer: a publisher process streams a bounded number of readings, one a
message, QoS 1, while the consumer process (`carbonpeak monitor subscribe`) is killed with SIGKILL
and restarted again and again. Used by tests/monitoring/test_mqtt.py (a few thousand readings)
and benchmarks/telemetry.py (50,000).

    python -m tests.monitoring.soak publish PORT COUNT   # the publisher process
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from carbonpeak.storage import TelemetryStore, make_engine, upgrade

REPO = Path(__file__).resolve().parents[2]
TOPIC = "carbonpeak/telemetry/E1/m1"
FIRST = pd.Timestamp("2024-01-01")


def stamps(count: int) -> pd.DatetimeIndex:
    return pd.date_range(FIRST, periods=count, freq="15min")


def message(stamp: pd.Timestamp) -> str:
    return f'{{"meter":"m1","ts":"{stamp.isoformat()}+08:00","value":1.5}}'


def publish(port: int, count: int, start: int = 0) -> None:
    """Publish readings ``start`` … ``count - 1`` and wait until the broker has every one."""
    from paho.mqtt import client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"soak-publisher-{os.getpid()}")
    client.max_inflight_messages_set(200)
    client.max_queued_messages_set(0)
    client.connect("127.0.0.1", port)
    client.loop_start()
    sent = [client.publish(TOPIC, message(s), qos=1) for s in stamps(count)[start:]]
    for info in sent:
        info.wait_for_publish(timeout=600)
    client.loop_stop()
    client.disconnect()


@dataclass
class SoakResult:
    published: int
    stored: int
    distinct: int
    duplicated: int
    lost: int
    kills: int
    seconds: float


def consumer(port: int, database: Path, folder: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "carbonpeak.cli", "monitor", "subscribe"),
            *("--port", str(port), "--store", str(folder), "--client-id", "soak-consumer"),
        ],
        env={**os.environ, "CARBONPEAK_DATABASE_URL": f"sqlite:///{database}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def stored_readings(store: TelemetryStore) -> pd.DataFrame:
    connection = store.duckdb()
    if not store.has_readings():
        return pd.DataFrame(columns=["meter", "ts"])
    return pd.DataFrame(connection.execute(store.ibis_readings(connection)))


def soak(port: int, root: Path, count: int, kills: int) -> SoakResult:
    """Stream ``count`` readings and kill the consumer ``kills`` times, spread over the
    stream; then let a last consumer drain the queue and stop it cleanly."""
    database, folder = root / "registry.sqlite3", root / "telemetry"
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    from tests.conftest import add_enterprise, add_meter

    add_enterprise(engine)
    add_meter(engine, max_interval_value=100.0)
    engine.dispose()
    store = TelemetryStore(folder)
    started = time.perf_counter()
    running = consumer(port, database, folder)
    # The consumer's persistent session exists once its first reading arrives; until then the
    # broker drops readings for it, so publish the first one until it does.
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), *sys.path])}

    def probe() -> bool:
        publish(port, 1)
        return wait_for(lambda: len(store.keys()) >= 1, 1)

    assert wait_for(probe, 60), "the consumer never received a reading"
    publisher = subprocess.Popen(
        [sys.executable, "-m", "tests.monitoring.soak", "publish", str(port), str(count), "1"],
        env=environment,
    )
    killed = 0
    try:
        for number in range(1, kills + 1):
            target = count * number // (kills + 1)
            wait_for(lambda t=target: len(store.keys()) >= t, 300)  # type: ignore[misc]
            running.send_signal(signal.SIGKILL)
            running.wait(timeout=30)
            killed += 1
            running = consumer(port, database, folder)
        assert publisher.wait(timeout=600) == 0
        wait_for(lambda: len(store.keys()) >= count, 600)
        time.sleep(1.0)  # let any redelivered duplicate arrive before counting
    finally:
        running.send_signal(signal.SIGTERM)
        running.wait(timeout=60)
        if publisher.poll() is None:
            publisher.kill()
    seconds = time.perf_counter() - started
    # Staged readings are durable (the broker was told after staging); a consumer stopped while
    # it was still starting up has not moved them into Parquet yet, and the next start would.
    store.flush()
    readings = stored_readings(store)
    expected = {s.isoformat() for s in stamps(count)}
    got = {pd.Timestamp(t).isoformat() for t in readings["ts"]}
    return SoakResult(
        published=count,
        stored=len(readings) + store.staged_count(),
        distinct=len(got),
        duplicated=int(readings[["meter", "ts"]].duplicated().sum()),
        lost=len(expected - got),
        kills=killed,
        seconds=seconds,
    )


if __name__ == "__main__":
    if sys.argv[1] == "publish":
        publish(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 0)
