"""MQTT ingest under load: a gateway publisher in its own process sends batched messages (many
readings a message, as the national online-monitoring upload batches them) with QoS 1 to a
private Mosquitto; the consumer (carbonpeak.services.telemetry.MqttConsumer, in this process)
stages them and flushes to Parquet every 2 s. Readings are counted where they are held: staged
in SQLite or already flushed to Parquet. Reports readings per second from the first publish to
the last reading held, and lost readings (distinct (meter, stamp) keys held after the stop)."""

from __future__ import annotations

import json
import multiprocessing
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd

from carbonpeak.monitoring import Meter
from carbonpeak.storage import TelemetryStore

ENTERPRISE = "E1"
TOPIC = f"carbonpeak/telemetry/{ENTERPRISE}"  # a gateway's batch names its enterprise only
FIRST = pd.Timestamp("2024-01-01")


def registry(meters: int) -> dict[str, Meter]:
    return {
        f"g{m:04d}": Meter(f"g{m:04d}", ENTERPRISE, "electricity", 15, 5.0, "2027-12-31")
        for m in range(meters)
    }


def payloads(count: int, per_message: int, meters: int) -> list[bytes]:
    """``count`` readings, ``per_message`` a message: every meter's next 15-minute slot."""
    stamps = pd.date_range(FIRST, periods=-(-count // meters), freq="15min")
    records = (
        {"meter": f"g{i % meters:04d}", "ts": stamps[i // meters].isoformat(), "value": 1.25}
        for i in range(count)
    )
    batch: list[dict[str, Any]] = []
    messages = []
    for record in records:
        batch.append(record)
        if len(batch) == per_message:
            messages.append(json.dumps(batch).encode())
            batch = []
    if batch:
        messages.append(json.dumps(batch).encode())
    return messages


def _publish(port: int, count: int, per_message: int, meters: int, started: Any) -> None:
    """The publisher process: encode first, then publish every message and wait for the acks."""
    from paho.mqtt import client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    messages = payloads(count, per_message, meters)
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="bench-gateway")
    client.max_inflight_messages_set(100)
    client.max_queued_messages_set(0)
    client.connect("127.0.0.1", port)
    client.loop_start()
    started.value = time.time()
    sent = [client.publish(TOPIC, message, qos=1) for message in messages]
    for info in sent:
        info.wait_for_publish(timeout=600)
    client.loop_stop()
    client.disconnect()


def held(store: TelemetryStore) -> int:
    """Readings staged or flushed (a flush moves them between the two; counted between
    flushes, the flushed ones from the files' metadata)."""
    return store.held_count()


def mqtt_load(port: int, folder: Path, count: int, per_message: int, meters: int = 200) -> None:
    from paho.mqtt import client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    from carbonpeak.services.telemetry import MqttConsumer

    store = TelemetryStore(folder / "telemetry")
    gateway = registry(meters)
    probe_meter = Meter("probe", ENTERPRISE, "electricity", 15, 5.0, "2027-12-31")
    consumer = MqttConsumer(
        store, {**gateway, "probe": probe_meter}, "127.0.0.1", port, client_id="bench-consumer"
    )
    thread = threading.Thread(target=consumer.run, kwargs={"handle_signals": False}, daemon=True)
    thread.start()
    probe = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="bench-probe")
    probe.connect("127.0.0.1", port)
    probe.loop_start()
    while held(store) == 0:  # until the consumer has subscribed
        probe.publish(TOPIC, '{"meter":"probe","ts":"2023-12-31T00:00:00","value":1}', qos=1)
        time.sleep(0.2)
    probe.loop_stop()
    probe.disconnect()
    context = multiprocessing.get_context("spawn")
    started = context.Value("d", 0.0)
    publisher = context.Process(
        target=_publish, args=(port, count, per_message, meters, started), daemon=True
    )
    publisher.start()
    deadline = time.monotonic() + 900
    while held(store) < count + 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    done = time.time()
    publisher.join(60)
    consumer.stopping.set()
    thread.join(timeout=60)
    keys = store.keys()
    received = len(keys) - 1  # the probe
    seconds = done - started.value
    print(
        f"MQTT ingest, {per_message} readings a message, QoS 1, publisher in its own process: "
        f"{count:,} readings held in {seconds:.2f} s = {count / seconds:,.0f} readings/s "
        f"({count / per_message / seconds:,.0f} messages/s); held {received:,} distinct, "
        f"lost {count - received}",
        flush=True,
    )


def consumer_cost(count: int, per_message: int, meters: int = 200) -> None:
    """The consumer's work without the broker: ``stage_messages`` on 20 messages a commit (as at
    50,000 readings/s, a commit every 0.2 s) and a flush every 10 commits; per reading, the time
    of each step (JSON decoding measured apart)."""
    import tempfile

    from carbonpeak.services.telemetry_intake import stage_messages

    messages = payloads(count, per_message, meters)
    gateway = registry(meters)
    started = time.perf_counter()
    for message in messages:
        json.loads(message)
    decoding = time.perf_counter() - started
    staging = flushing = 0.0
    with tempfile.TemporaryDirectory() as folder:
        store = TelemetryStore(Path(folder))
        for number, first in enumerate(range(0, len(messages), 20)):
            started = time.perf_counter()
            stage_messages(store, gateway, [(TOPIC, m) for m in messages[first : first + 20]])
            staging += time.perf_counter() - started
            if number % 10 == 9:
                started = time.perf_counter()
                store.flush()
                flushing += time.perf_counter() - started
        started = time.perf_counter()
        store.flush()
        flushing += time.perf_counter() - started
        held = store.held_count()
    total = staging + flushing
    print(
        f"consumer without the broker, {count:,} readings, {per_message} a message: "
        f"{count / total:,.0f} readings/s; per reading JSON {decoding / count * 1e6:.2f} µs, "
        f"stage_messages (JSON, checks, staging) {staging / count * 1e6:.2f} µs, "
        f"flush {flushing / count * 1e6:.2f} µs; held {held:,}",
        flush=True,
    )


if __name__ == "__main__":
    import sys

    consumer_cost(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000, 500)
