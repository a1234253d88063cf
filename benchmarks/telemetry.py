"""Telemetry throughput: quality and monthly energy against a single-pass SQL, pandas and the
previous rules; MQTT ingest; the MQTT soak.

    .venv/bin/python benchmarks/telemetry.py [--readings 100000000] [--against sql pandas previous]
                                             [--data /tmp/telem-100m] [--mqtt 500000]
                                             [--per-message 500] [--kills 10]

1. Writes N synthetic 15-minute readings (1 000 meters of 100 enterprises) to hive-partitioned
   Parquet with DuckDB, each partition in (meter, time) order as the store writes it; with
   ``--data`` into that folder, kept, and reused when it already holds readings (100M readings
   take minutes to write).
2. Each contender (benchmarks/telemetry_qa.py) in its own process, on the same files: a first
   and a warm call and the peak resident memory over the imports; every contender computes the
   per meter-month checks and the monthly energy, checked equal to carbonpeak's (1e-12):
   carbonpeak (one scan per month), a single-pass DuckDB SQL, pandas, and the previous Ibis
   rules.
3. MQTT, on a private Mosquitto run with the shipped deploy/mosquitto/carbonpeak.conf
   (benchmarks/mqtt_load.py): a gateway publisher in its own process sends ``--mqtt`` readings,
   ``--per-message`` a message; readings per second until every one is held (staged or flushed)
   and none lost. Then the soak (``--kills`` > 0): publisher and consumer in separate processes,
   the consumer killed with SIGKILL that many times; lost and duplicated readings (both 0).
   ``--readings 0`` runs only the MQTT part.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from carbonpeak.storage import TelemetryStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the shipped broker configuration
from tests.mosquitto_config import local_broker_config

METERS = 1000


def registry() -> pd.DataFrame:
    """The benchmark's meters: 1,000 of 100 enterprises."""
    return pd.DataFrame(
        {
            "meter": [f"m{m:04d}" for m in range(METERS)],
            "enterprise": [f"E{m // 10:03d}" for m in range(METERS)],
            "item": "electricity",
            "interval_minutes": 15,
            "max_interval_value": 5.0,
            "calibration_due": "2026-06-30",
        }
    )


def generate(root: Path, readings: int) -> tuple[TelemetryStore, pd.DataFrame, list[str]]:
    store = TelemetryStore(root)
    # 0.5 % of readings are left out on purpose (a gap rule to check); generate enough that at
    # least ``readings`` remain.
    per_meter = -(-readings * 1000 // (995 * METERS))
    con = duckdb.connect()
    # One writer thread keeps each partition in (meter, time) order, as the store writes it.
    con.execute("SET threads = 1")
    con.execute(f"""
        COPY (
            SELECT 'm' || lpad(m::VARCHAR, 4, '0') AS meter,
                   'E' || lpad((m // 10)::VARCHAR, 3, '0') AS enterprise,
                   'electricity' AS item,
                   TIMESTAMP '2024-01-01' + INTERVAL 15 MINUTE * i AS ts,
                   CASE WHEN hash(m, i) % 100000 = 0 THEN -1.0
                        ELSE 1.0 + (hash(m * 7, i) % 1000) / 10000.0 END AS value,
                   'MWh' AS unit,
                   strftime(TIMESTAMP '2024-01-01' + INTERVAL 15 MINUTE * i, '%Y-%m') AS month
            FROM range({METERS}) AS r(m), range({per_meter}) AS s(i)
            WHERE hash(m, i * 3) % 200 <> 0  -- 0.5 % of readings missing
            ORDER BY meter, ts  -- as the store writes a partition
        ) TO '{store.readings}' (FORMAT parquet, PARTITION_BY (enterprise, month),
                                 OVERWRITE_OR_IGNORE)
    """)
    end = pd.Timestamp("2024-01-01") + pd.Timedelta(minutes=15 * (per_meter - 1))
    months = [p.strftime("%Y-%m") for p in pd.period_range("2024-01", end, freq="M")]
    return store, registry(), months


def kept_or_generated(root: Path, readings: int) -> tuple[TelemetryStore, pd.DataFrame]:
    """The readings already under ``root`` (written by :func:`generate`), or new ones."""
    if any((root / "readings").glob("*/*/*.parquet")):
        return TelemetryStore(root), registry()
    store, meters, _months = generate(root, readings)
    return store, meters


def _contend(name: str, readings: str, meters: pd.DataFrame, results: Any) -> None:
    """In a fresh interpreter: a first call and a warm call, and the process's peak memory."""
    from benchmarks.telemetry_qa import CONTENDERS

    before = _high_water()
    run = CONTENDERS[name]
    started = time.perf_counter()
    run(Path(readings), meters)
    first = time.perf_counter() - started
    started = time.perf_counter()
    output = run(Path(readings), meters)
    warm = time.perf_counter() - started
    peak = _high_water()
    results.put((first, warm, before, peak, output))


def _high_water() -> int:
    """This process's peak resident memory in bytes. /proc's VmHWM, not getrusage: ru_maxrss
    survives exec, so a spawned child would report its parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def contend(name: str, readings: Path, meters: pd.DataFrame) -> tuple[float, float, int, Any]:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=_contend, args=(name, str(readings), meters, results))
    process.start()
    first, warm, before, peak, output = results.get()
    process.join()
    return first, warm, peak - before, output


def qa_benchmark(store: TelemetryStore, meters: pd.DataFrame, rows: int, names: list[str]) -> None:
    """Each contender in its own process: first and warm call, peak memory over the imports,
    outputs checked against carbonpeak's."""
    from benchmarks.telemetry_qa import assert_same_outputs

    outcomes = {}
    for name in names:
        load = os.getloadavg()[0]
        first, warm, memory, output = contend(name, store.readings, meters)
        outcomes[name] = (first, warm, memory, output)
        print(
            f"{name:<11} first {first:7.2f} s  warm {warm:7.2f} s = {rows / warm:13,.0f} "
            f"readings/s  peak memory {memory / 2**20:8,.0f} MiB over the imports  "
            f"(load average {load:.2f} before, {os.getloadavg()[0]:.2f} after)",
            flush=True,
        )
    ours = outcomes["carbonpeak"]
    for name, (first, warm, _memory, output) in outcomes.items():
        if name == "carbonpeak":
            continue
        assert_same_outputs(name, ours[3], output)
        print(
            f"carbonpeak / {name}: warm {ours[1] / warm:.2f}, first {ours[0] / first:.2f} "
            "(same outputs to 1e-12)",
            flush=True,
        )


def start_broker(folder: Path) -> tuple[subprocess.Popen[bytes], int] | None:
    """A private Mosquitto configured by the shipped deploy/mosquitto/carbonpeak.conf."""
    binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    if not Path(binary).exists():
        return None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    config = folder / "mosquitto.conf"
    config.write_text(local_broker_config(port, folder), encoding="utf-8")
    broker = subprocess.Popen(
        [binary, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    return broker, port


def mqtt_throughput(count: int, per_message: int) -> None:
    """The publisher in its own process, batched messages; readings held (staged or flushed)
    per second, and none lost (benchmarks/mqtt_load.py)."""
    from benchmarks.mqtt_load import mqtt_load

    with tempfile.TemporaryDirectory() as folder:
        started = start_broker(Path(folder))
        if started is None:
            print("MQTT: mosquitto not installed; skipped")
            return
        broker, port = started
        try:
            mqtt_load(port, Path(folder), count, per_message)
        finally:
            broker.terminate()
            broker.wait(10)


def mqtt_soak(count: int, kills: int) -> None:
    """Publisher and consumer in separate processes, the consumer killed with SIGKILL ``kills``
    times during the stream (tests/monitoring/soak.py): lost and duplicated readings."""
    from tests.monitoring.soak import soak

    with tempfile.TemporaryDirectory() as folder:
        started = start_broker(Path(folder))
        if started is None:
            print("MQTT soak: mosquitto not installed; skipped")
            return
        broker, port = started
        try:
            result = soak(port, Path(folder), count, kills)
        finally:
            broker.terminate()
            broker.wait(10)
    print(
        f"MQTT soak, separate processes, {result.kills} SIGKILLs of the consumer: "
        f"{result.published:,} published, {result.distinct:,} stored, lost {result.lost}, "
        f"duplicated {result.duplicated}, in {result.seconds:.1f} s",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--readings", type=int, default=100_000_000)
    parser.add_argument(
        "--against",
        nargs="*",
        default=["sql", "pandas", "previous"],
        help="baselines: sql (single-pass DuckDB), sql-window (the same with LAG over readings), "
        "pandas, previous (the Ibis rules)",
    )
    parser.add_argument(
        "--data", help="folder for the readings, kept and reused (default: a temporary one)"
    )
    parser.add_argument("--mqtt", type=int, default=500_000, help="readings for the MQTT load")
    parser.add_argument("--per-message", type=int, default=500, help="readings a message")
    parser.add_argument("--soak", type=int, default=50_000, help="readings of the MQTT soak")
    parser.add_argument("--kills", type=int, default=10, help="SIGKILLs in the MQTT soak")
    args = parser.parse_args()
    if args.readings == 0:
        mqtt_only(args)
        return
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        store, meters = kept_or_generated(Path(args.data or folder), args.readings)
        files = len(list(store.readings.rglob("*.parquet")))
        rows = (
            duckdb.connect()
            .execute(f"SELECT count(*) FROM read_parquet('{store.readings}/**/*.parquet')")
            .fetchone()[0]
        )
        print(
            f"{rows:,} readings in {files:,} Parquet files "
            f"({time.perf_counter() - start:.1f} s to generate or find)",
            flush=True,
        )
        names = ["carbonpeak", *args.against]
        qa_benchmark(store, meters, rows, names)
    mqtt_only(args)


def mqtt_only(args: argparse.Namespace) -> None:
    if args.mqtt:
        mqtt_throughput(args.mqtt, args.per_message)
        if args.kills:
            mqtt_soak(args.soak, args.kills)


if __name__ == "__main__":
    main()
