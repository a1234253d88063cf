"""Monitoring data quality as records, cached by the readings' and the store's versions."""

from __future__ import annotations

import threading
from typing import Any, Literal

from sqlalchemy import Engine

from carbonpeak.services.snapshots import data_version
from carbonpeak.services.telemetry import quality_report
from carbonpeak.services.views import records
from carbonpeak.storage import TelemetryStore

__all__ = ["QUALITY_CACHE_SIZE", "quality"]

_quality_cache: dict[tuple[object, ...], list[dict[str, Any]]] = {}
QUALITY_CACHE_SIZE = 256
_quality_lock = threading.Lock()


def quality(
    engine: Engine,
    store: TelemetryStore,
    enterprise: str | None = None,
    month: str | None = None,
    level: Literal["enterprise", "meter"] = "enterprise",
) -> list[dict[str, Any]]:
    """Monitoring data quality (``quality_report``) as records, recomputed only when the stored
    readings or the store's data (meters, reports) change."""
    key = (
        engine.url.render_as_string(hide_password=True),
        str(store.root),
        store.version(),
        data_version(engine),
        enterprise,
        month,
        level,
    )
    rows = _quality_cache.get(key)
    if rows is None:
        with _quality_lock:  # one computes; the others wait for it rather than all computing
            rows = _quality_cache.get(key)
            if rows is None:
                frame = quality_report(engine, store, enterprise, month, level)
                rows = [] if frame.empty else records(frame)
                if len(_quality_cache) >= QUALITY_CACHE_SIZE:
                    _quality_cache.pop(next(iter(_quality_cache)))
                _quality_cache[key] = rows
    return list(rows)
