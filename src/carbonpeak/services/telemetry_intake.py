"""Readings in: batches (HTTP, files) and MQTT messages, validated, staged with their dead
letters in one transaction. Nothing a sender can put in a message makes this raise: a poison
message that crashed the consumer would be redelivered, and every restart would die on it."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pandas as pd

from carbonpeak.datafile import Problem
from carbonpeak.monitoring import READING_COLUMNS, Meter, parse_readings
from carbonpeak.storage import TelemetryStore

__all__ = ["TOPIC_PREFIX", "ingest_readings", "stage_messages", "topic_sender"]

TOPIC_PREFIX = "carbonpeak/telemetry/"


def ingest_readings(
    store: TelemetryStore,
    registry: dict[str, Meter],
    records: list[Any],
    flush: bool = True,
    enterprise: str | None = None,
    source: str = "http",
) -> dict[str, int]:
    """Stage a batch (HTTP or file): valid readings are kept, duplicates ignored, rejected
    records kept apart with their problem, in the same transaction. ``enterprise``, when the
    sender is known to be one enterprise, refuses other enterprises' meters."""
    frame, problems = parse_readings(records, registry, enterprise=enterprise)
    staged = store.stage(frame, [_dead_letter(records, problem, source) for problem in problems])
    # Staging drops repeats within the batch; the flush drops repeats of what is held already.
    new = store.flush() if flush else staged
    return {
        "received": len(records),
        "new": new,
        "duplicates": len(frame) - new,
        "rejected": len(problems),
    }


def _dead_letter(records: list[Any], problem: Problem, source: str) -> tuple[str, str, str]:
    index = int(problem.location.split()[1].rstrip(",")) - 1
    return json.dumps(records[index], ensure_ascii=False, default=str), str(problem), source


def topic_sender(topic: str) -> tuple[str | None, str | None]:
    """The enterprise and meter that ``carbonpeak/telemetry/<enterprise>/<meter>`` names."""
    if not topic.startswith(TOPIC_PREFIX):
        return None, None
    parts = topic.removeprefix(TOPIC_PREFIX).split("/")
    enterprise = parts[0] or None
    meter = parts[1] if len(parts) > 1 and parts[1] else None
    return enterprise, meter


def stage_messages(
    store: TelemetryStore, registry: dict[str, Meter], messages: list[tuple[str, bytes]]
) -> dict[str, int]:
    """Stage MQTT messages (topic, payload) in one transaction. The topic says who sends: a
    reading of a meter of another enterprise, or of another meter than the topic's, is refused.
    A message that is not JSON, a record that is not a valid reading: each goes to the
    dead-letter table with its problem."""
    letters: list[tuple[str, str, str]] = []
    by_sender: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for topic, payload in messages:
        text = payload.decode("utf-8", "replace")
        enterprise, meter = topic_sender(topic)
        if enterprise is None:
            letters.append(
                (text, f"the topic names no enterprise ({TOPIC_PREFIX}<E>/<meter>)", topic)
            )
            continue
        try:
            decoded = json.loads(payload.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            letters.append((text, f"not JSON: {exc}", topic))
            continue
        batch = decoded if isinstance(decoded, list) else [decoded]
        if meter is None:  # a gateway's batch: the topic names the enterprise only
            by_sender[(enterprise, topic)].extend(batch)
            continue
        for record in batch:
            if meter is not None and isinstance(record, dict) and record.get("meter") != meter:
                letters.append(
                    (
                        json.dumps(record, ensure_ascii=False, default=str),
                        f"the reading's meter {record.get('meter')!r} is not the topic's {meter!r}",
                        topic,
                    )
                )
                continue
            by_sender[(enterprise, topic)].append(record)
    frames = []
    for (enterprise, topic), records in by_sender.items():
        frame, problems = parse_readings(records, registry, enterprise=enterprise)
        frames.append(frame)
        letters += [_dead_letter(records, problem, topic) for problem in problems]
    readings = (
        pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=READING_COLUMNS)
    )
    new = store.stage(readings, letters)
    return {"received": len(messages), "new": new, "rejected": len(letters)}
