"""Where the data lives: SQLite in the user's data directory by default, PostgreSQL by URL."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from platformdirs import user_data_path
from sqlalchemy import Engine, create_engine, event

from carbonpeak.settings import Settings

__all__ = [
    "DATABASE_URL_VARIABLE",
    "DATA_DIR_VARIABLE",
    "alembic_config",
    "data_directory",
    "database_url",
    "make_engine",
    "upgrade",
]

DATABASE_URL_VARIABLE = "CARBONPEAK_DATABASE_URL"
DATA_DIR_VARIABLE = "CARBONPEAK_DATA_DIR"


def data_directory() -> Path:
    """Where files live (evidence, telemetry): ``CARBONPEAK_DATA_DIR`` or the user data dir."""
    configured = Settings.from_env().data_dir  # read now: a test or the demo may change it
    folder = configured or user_data_path("carbonpeak", appauthor=False)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def database_url() -> str:
    """``CARBONPEAK_DATABASE_URL`` if set, else a SQLite file in the per-user data directory."""
    url = Settings.from_env().database_url
    if url:
        return url
    return f"sqlite:///{data_directory() / 'carbonpeak.sqlite3'}"


def make_engine(url: str | None = None) -> Engine:
    url = url or database_url()
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    file_sqlite = url.startswith("sqlite") and ":memory:" not in url and url != "sqlite://"
    # The web app's 40 worker threads each hold a connection while they work; a pool that
    # size keeps them from queueing for one (SQLite connections cost next to nothing).
    engine = (
        create_engine(url, pool_size=40, max_overflow=20) if file_sqlite else create_engine(url)
    )
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    # The web app reads from many threads while it writes: in WAL mode readers never block the
    # writer, and a writer waits up to 30 s for another instead of failing at once.
    cursor.execute("PRAGMA busy_timeout=30000")
    if ":memory:" not in str(getattr(dbapi_connection, "database", "")):
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration pointing at the migrations shipped in the package."""
    config = Config()
    migrations = Path(str(resources.files("carbonpeak.storage").joinpath("migrations")))
    config.set_main_option("script_location", str(migrations))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision``."""
    command.upgrade(alembic_config(engine), revision)
