"""Online monitoring use cases: meters, batch and MQTT ingest, quality, monthly energy."""

from __future__ import annotations

import logging
import signal
import threading
from datetime import date
from pathlib import Path
from typing import Any

import ibis
import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from carbonpeak.accounting import items, parse_activity
from carbonpeak.messages import message as catalogue_message
from carbonpeak.monitoring import (
    Meter,
    calendar_table,
    daily_energy,
    enterprise_month_quality,
    meter_month_quality,
    monthly_energy,
)
from carbonpeak.monitoring.rollup import (
    enterprise_month_frame,
    meter_month_frame,
    monthly_energy_frame,
)
from carbonpeak.services.audit import AuditWriter
from carbonpeak.services.registry import enterprise_ids
from carbonpeak.services.submissions import accepted_activity
from carbonpeak.services.telemetry_intake import ingest_readings, stage_messages
from carbonpeak.services.telemetry_scan import store_stats
from carbonpeak.storage import EnterpriseRow, MeterRow, TelemetryStore, data_directory

__all__ = [
    "MqttConsumer",
    "ingest_readings",
    "meters",
    "quality_report",
    "register_meters",
    "reported_monthly",
    "telemetry_activity",
    "telemetry_store",
]

log = logging.getLogger(__name__)


def telemetry_store(root: Path | None = None) -> TelemetryStore:
    return TelemetryStore(root or data_directory() / "telemetry")


def register_meters(engine: Engine, table: pd.DataFrame, actor: str) -> int:
    """Add meters (meter, enterprise, item, interval_minutes, max_interval_value,
    calibration_due, and optionally installed_on: no reading may be dated before it); existing
    ids are left as they are."""
    with Session(engine) as session, session.begin():
        codes = enterprise_ids(session)
        existing = set(session.scalars(select(MeterRow.meter)))
        audit = AuditWriter(session)
        added = 0
        for row in table.to_dict("records"):
            if str(row["meter"]) in existing:
                continue
            if str(row["enterprise"]) not in codes:
                raise ValueError(
                    catalogue_message(
                        "error.telemetry.enterprise",
                        meter=row["meter"],
                        enterprise=row["enterprise"],
                    )
                )
            if str(row["item"]) not in items():
                raise ValueError(
                    catalogue_message("error.telemetry.item", meter=row["meter"], item=row["item"])
                )
            session.add(
                MeterRow(
                    meter=str(row["meter"]),
                    enterprise_id=codes[str(row["enterprise"])],
                    item=str(row["item"]),
                    interval_minutes=int(row["interval_minutes"]),
                    max_interval_value=float(row["max_interval_value"]),
                    calibration_due=date.fromisoformat(str(row["calibration_due"])),
                    installed_on=_optional_date(row.get("installed_on")),
                )
            )
            audit.append(
                actor,
                "register",
                "meter",
                str(row["meter"]),
                {str(k): str(v) for k, v in row.items()},
            )
            added += 1
        return added


def _optional_date(value: object) -> date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == "":
        return None
    return date.fromisoformat(str(value))


def meters(engine: Engine) -> dict[str, Meter]:
    with Session(engine) as session:
        rows = session.execute(
            select(MeterRow, EnterpriseRow.code).join(
                EnterpriseRow, MeterRow.enterprise_id == EnterpriseRow.id
            )
        ).all()
        return {
            m.meter: Meter(
                m.meter,
                code,
                m.item,
                m.interval_minutes,
                m.max_interval_value,
                m.calibration_due.isoformat(),
                m.installed_on.isoformat() if m.installed_on else None,
            )
            for m, code in rows
        }


class MqttConsumer:
    """Subscribes with a persistent session (QoS 1) and acknowledges messages only after their
    readings are staged: at-least-once delivery, de-duplicated on meter and time stamp.

    Delivered messages are buffered and staged in one transaction per batch, then acknowledged
    together; a crash before the commit leaves them unacknowledged, so the broker redelivers.
    """

    def __init__(
        self,
        store: TelemetryStore,
        registry: dict[str, Meter],
        host: str,
        port: int,
        topic: str = "carbonpeak/telemetry/#",
        client_id: str = "carbonpeak-consumer",
        batch_size: int = 500,
    ) -> None:
        from paho.mqtt import client as mqtt
        from paho.mqtt.enums import CallbackAPIVersion

        self.store, self.registry, self.topic = store, registry, topic
        self.batch_size = batch_size
        self.pending: list[Any] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=client_id,
            clean_session=False,
            protocol=mqtt.MQTTv311,
        )
        self.client.manual_ack_set(True)
        self.client.max_inflight_messages_set(self.batch_size)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.host, self.port = host, port

    def _on_connect(
        self, client: Any, _userdata: Any, _flags: Any, reason: Any, _properties: Any
    ) -> None:
        if reason.is_failure:
            log.error("MQTT connection refused: %s", reason)
            return
        client.subscribe(self.topic, qos=1)

    def _on_message(self, _client: Any, _userdata: Any, message: Any) -> None:
        with self.lock:
            self.pending.append(message)
            full = len(self.pending) >= self.batch_size
        if full:
            self.commit()

    def commit(self) -> int:
        """Stage the buffered messages in one transaction, then acknowledge them. Never raises
        (it runs in the network thread): if staging fails, the messages go back to the buffer
        unacknowledged and are tried again."""
        with self.lock:
            batch, self.pending = self.pending, []
        if not batch:
            return 0
        try:
            stage_messages(self.store, self.registry, [(m.topic, bytes(m.payload)) for m in batch])
        except Exception:
            log.exception("staging %d messages failed; kept for the next attempt", len(batch))
            with self.lock:
                self.pending[:0] = batch
            return 0
        for message in batch:  # only now: the readings (or dead letters) are committed
            self.client.ack(message.mid, message.qos)
        return len(batch)

    def run(self, handle_signals: bool = True) -> None:
        """Consume until SIGINT/SIGTERM (or ``stopping`` is set); commit every 0.2 s, flush to
        Parquet every 2 s. Only the main thread may install the signal handlers."""
        if handle_signals:
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: self.stopping.set())
        self.client.connect(self.host, self.port, keepalive=30)
        self.client.loop_start()
        ticks = 0
        try:
            while not self.stopping.wait(0.2):
                self.commit()
                ticks += 1
                if ticks % 10 == 0:
                    self._flush()
        finally:
            self.client.loop_stop()
            self.commit()  # acknowledgements after loop_stop are not sent: redelivered, deduped
            self.client.disconnect()
            self._flush()

    def _flush(self) -> None:
        try:
            self.store.flush()
        except Exception:  # staged readings stay staged; the next flush tries again
            log.exception("flushing telemetry to Parquet failed")


def _meters_frame(registry: dict[str, Meter]) -> pd.DataFrame:
    return pd.DataFrame([vars(m) for m in registry.values()])


def reported_monthly(engine: Engine) -> pd.DataFrame:
    """Monthly quantities from accepted reports, per enterprise, item and month."""
    raw = accepted_activity(engine)
    if raw.empty:  # typed, so that an empty table still joins
        return pd.DataFrame(
            {
                "enterprise": pd.Series(dtype=str),
                "item": pd.Series(dtype=str),
                "month": pd.Series(dtype=str),
                "reported": pd.Series(dtype=float),
            }
        )
    rows = parse_activity(raw, "accepted reports")
    inputs = rows[rows["role"] == "energy_input"]
    grouped = inputs.groupby(["enterprise", "item", "period"], observed=True)["quantity"].sum()
    frame = grouped.reset_index().rename(columns={"period": "month", "quantity": "reported"})
    return frame.astype({"enterprise": str, "item": str, "month": str})


def telemetry_activity(
    engine: Engine, store: TelemetryStore, month: str | None = None
) -> pd.DataFrame:
    """Monthly metered energy as an activity table (role energy_input), for the accounting
    engine: valid readings only, per enterprise, item and month."""
    monthly = quality_report(engine, store, month=month, level="monthly")
    if monthly.empty:
        return pd.DataFrame(columns=["enterprise", "period", "item", "role", "quantity", "unit"])
    catalogue = items()
    return pd.DataFrame(
        {
            "enterprise": monthly["enterprise"].astype(str),
            "period": monthly["month"].astype(str),
            "item": monthly["item"].astype(str),
            "role": "energy_input",
            "quantity": monthly["quantity"].map(lambda v: f"{v:.6f}"),
            "unit": monthly["item"].map(lambda k: catalogue[str(k)].unit),
        }
    )


def quality_report(
    engine: Engine,
    store: TelemetryStore,
    enterprise: str | None = None,
    month: str | None = None,
    level: str = "enterprise",
    connection: Any = None,
) -> pd.DataFrame:
    """Quality per enterprise and month (or per meter), from one scan per month of the stored
    readings (:mod:`carbonpeak.services.telemetry_scan`); with a connection (e.g. PySpark), or
    for daily energy, the Ibis rules on that backend (DuckDB by default)."""
    registry = meters(engine)
    if not store.has_readings() or not registry:
        return pd.DataFrame()
    with store.reading():  # no compaction swaps a partition's files while they are read
        return _report(engine, store, registry, enterprise, month, level, connection)


def _report(
    engine: Engine,
    store: TelemetryStore,
    registry: dict[str, Meter],
    enterprise: str | None,
    month: str | None,
    level: str,
    connection: Any,
) -> pd.DataFrame:
    meter_frame = _meters_frame(registry)
    if connection is None and level != "daily":
        return _scanned_report(engine, store, meter_frame, enterprise, month, level)
    con = connection or store.duckdb()
    readings = store.ibis_readings(con)
    if enterprise:
        readings = readings.filter(readings.enterprise == enterprise)
    if month:
        readings = readings.filter(readings.month == month)
    months = sorted(con.execute(readings.select("month").distinct())["month"].astype(str))
    if not months:  # nothing for this enterprise or month: an empty calendar has no types
        return pd.DataFrame()
    meter_table = ibis.memtable(meter_frame)
    calendar = ibis.memtable(calendar_table(months))
    if level == "meter":
        expression = meter_month_quality(readings, meter_table, calendar)
    elif level == "daily":
        expression = daily_energy(readings, meter_table)
    elif level == "monthly":
        expression = monthly_energy(readings, meter_table)
    else:
        reported = ibis.memtable(reported_monthly(engine))
        expression = enterprise_month_quality(readings, meter_table, calendar, reported)
    return pd.DataFrame(con.execute(expression))


def _scanned_report(
    engine: Engine,
    store: TelemetryStore,
    meter_frame: pd.DataFrame,
    enterprise: str | None,
    month: str | None,
    level: str,
) -> pd.DataFrame:
    stats = store_stats(store.readings, meter_frame, enterprise, month)
    if stats.empty:
        return pd.DataFrame()
    calendar = calendar_table(sorted(stats["month"].astype(str).unique()))
    if level == "meter":
        return meter_month_frame(stats, meter_frame, calendar)
    if level == "monthly":
        return monthly_energy_frame(stats, meter_frame)
    return enterprise_month_frame(stats, meter_frame, calendar, reported_monthly(engine))
