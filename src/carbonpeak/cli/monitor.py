"""`carbonpeak monitor`: online energy monitoring."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from carbonpeak.cli.inputs import dispose_stores, open_database
from carbonpeak.cli.output import (
    FormatOption,
    OutputFormat,
    console,
    emit,
    errors,
    frame_records,
)
from carbonpeak.datafile import DataFileError, Problem
from carbonpeak.demo import SYNTHETIC_NOTE
from carbonpeak.errors import InvalidInput, NotFound
from carbonpeak.messages import message
from carbonpeak.services.telemetry import (
    MqttConsumer,
    ingest_readings,
    meters,
    quality_report,
    telemetry_activity,
    telemetry_store,
)

monitor_app = typer.Typer(
    help="在线监测 Online energy monitoring: meters, readings, quality.", no_args_is_help=True
)


StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="Telemetry directory (default: <data dir>/telemetry)."),
]


@monitor_app.command("subscribe")
def monitor_subscribe(
    host: Annotated[str, typer.Option(help="MQTT broker host.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="MQTT broker port.")] = 1883,
    topic: Annotated[str, typer.Option(help="Topic filter.")] = "carbonpeak/telemetry/#",
    client_id: Annotated[str, typer.Option(help="Persistent session id.")] = "carbonpeak-consumer",
    store: StoreOption = None,
) -> None:
    """订阅 Consume meter readings over MQTT (QoS 1, persistent session) until interrupted."""
    registry = meters(open_database())
    dispose_stores()
    errors.print(
        f"subscribing to {topic} on {host}:{port} for {len(registry)} meters", highlight=False
    )
    MqttConsumer(telemetry_store(store), registry, host, port, topic, client_id).run()


@monitor_app.command("ingest")
def monitor_ingest(
    file: Annotated[Path, typer.Argument(help="JSON list of readings {meter, ts, value, unit}.")],
    store: StoreOption = None,
) -> None:
    """批量导入 Ingest a batch of readings, as an HTTP upload would."""
    try:
        records = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problem = Problem("file", f"not a JSON list of readings: {exc}")
        raise DataFileError(str(file), [problem]) from exc
    if not isinstance(records, list):
        raise InvalidInput(message("error.readings_list", file=file))
    counts = ingest_readings(telemetry_store(store), meters(open_database()), records)
    console.print(", ".join(f"{k} {v}" for k, v in counts.items()), highlight=False)


@monitor_app.command("activity")
def monitor_activity(
    month: Annotated[str | None, typer.Option(help="Only this month, YYYY-MM.")] = None,
    store: StoreOption = None,
) -> None:
    """计量能耗 Metered monthly energy as an activity table (CSV) for carbonpeak account."""
    frame = telemetry_activity(open_database(), telemetry_store(store), month)
    sys.stdout.write(frame.to_csv(index=False))


@monitor_app.command("quality")
def monitor_quality(
    enterprise: Annotated[str | None, typer.Option(help="Only this enterprise.")] = None,
    month: Annotated[str | None, typer.Option(help="Only this month, YYYY-MM.")] = None,
    level: Annotated[
        str, typer.Option(help="enterprise (score), meter, daily or monthly (energy).")
    ] = "enterprise",
    fmt: FormatOption = OutputFormat.table,
    store: StoreOption = None,
) -> None:
    """数据质量 Data quality of online monitoring per enterprise and month (score 0-100)."""
    frame = quality_report(open_database(), telemetry_store(store), enterprise, month, level)
    if frame.empty:
        raise NotFound(message("error.no_readings"))
    rows = frame_records(frame)
    columns = {
        "enterprise": [
            ("enterprise", "企业 Enterprise"),
            ("month", "月 Month"),
            ("completeness", "完整率 Completeness"),
            ("max_deviation", "偏差 Deviation"),
            ("off_grid", "时标 Off-grid"),
            ("bad_values", "异常值 Bad"),
            ("max_gap_minutes", "最长中断 Gap min"),
            ("expired_meters", "过检 Expired"),
            ("quality_score", "评分 Score"),
        ],
        "meter": [
            ("meter", "表计 Meter"),
            ("month", "月 Month"),
            ("received", "收到 Received"),
            ("expected", "应收 Expected"),
            ("completeness", "完整率"),
            ("calibration_expired", "过检 Expired"),
        ],
    }.get(level, [(c, c) for c in frame.columns])
    emit(rows, fmt, columns, f"在线监测数据质量 Monitoring data quality · {SYNTHETIC_NOTE}")
