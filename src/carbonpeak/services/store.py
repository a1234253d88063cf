"""The configured store for a command line: the engine made and its schema migrated."""

from __future__ import annotations

from sqlalchemy import Engine

from carbonpeak.storage import TelemetryStore, data_directory, database_url, make_engine, upgrade

__all__ = ["TelemetryStore", "data_directory", "open_store", "upgrade_store"]


def open_store() -> Engine:
    """The configured store (``CARBONPEAK_DATABASE_URL``, else SQLite), migrated to the newest
    schema; the caller disposes of the engine."""
    engine = make_engine()
    try:
        upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


def upgrade_store(revision: str = "head") -> tuple[Engine, str]:
    """Create or migrate the configured store's schema to ``revision``: the engine (the caller
    disposes of it) and where the store is, without credentials."""
    url = database_url()
    engine = make_engine(url)
    try:
        upgrade(engine, revision)
    except BaseException:
        engine.dispose()
        raise
    return engine, url.split("@")[-1] if "@" in url else url
