"""Shared fixtures: the packaged plan, the seed document, databases (SQLite, PostgreSQL) and demo
bases loaded into them once per session."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from fastapi import FastAPI
from sqlalchemy import Engine, text

from carbonpeak.demo import DemoBase, generate
from carbonpeak.plan import PlanDocument, load_plan
from carbonpeak.services.accounts import add_user, create_token
from carbonpeak.services.audit_anchor import anchor_path, key_path
from carbonpeak.services.demo import load_demo
from carbonpeak.services.registry import enterprises
from carbonpeak.storage import TelemetryStore, make_engine, upgrade
from tests.mosquitto_config import local_broker_config
from tests.web.conftest import ACCOUNTS, DEMO_END, PASSWORD, WebBase
from tests.web.portal_base import ACCOUNTS as PORTAL_ACCOUNTS
from tests.web.portal_base import DEMO_END as PORTAL_DEMO_END
from tests.web.portal_base import PASSWORD as PORTAL_PASSWORD
from tests.web.portal_base import Inbox, PortalBase, SmtpServer, copy_base, free_port

REPO = Path(__file__).resolve().parents[1]
SHARED_SEED = REPO.parent / "shared" / "seeds" / "000_2fd0f1f60a7aebdc.txt"


@pytest.fixture(scope="session", autouse=True)
def _private_data_directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Files a test writes outside its own folder (audit anchors of PostgreSQL databases,
    evidence) go to a temporary data directory, never the user's."""
    if os.environ.get("CARBONPEAK_DATA_DIR"):
        yield
        return
    os.environ["CARBONPEAK_DATA_DIR"] = str(tmp_path_factory.mktemp("data"))
    yield
    os.environ.pop("CARBONPEAK_DATA_DIR", None)


@pytest.fixture(scope="session")
def plan_document() -> PlanDocument:
    return load_plan()


@pytest.fixture(scope="session")
def seed_text(plan_document: PlanDocument) -> str:
    """The plan as issued: the shared seed where present, else the packaged copy."""
    if SHARED_SEED.exists():
        return SHARED_SEED.read_text(encoding="utf-8")
    assert plan_document.source_text is not None
    return plan_document.source_text


def _postgres_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresCluster:
    """A throwaway PostgreSQL cluster on a free loopback port, removed afterwards."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="carbonpeak-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        # initdb refuses to run as root; run the server as the postgres system user then.
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            shutil.chown(self.root, self.user)

    def _run(self, *args: str) -> None:
        subprocess.run(args, check=True, capture_output=True, user=self.user, cwd=self.root)

    def start(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-o",
            f"-p {self.port} -h 127.0.0.1 -k {self.root} -F",
            "start",
        )

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    bindir = _postgres_bin()
    if bindir is None or not (bindir / "initdb").exists():
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found; CI installs them")
    cluster = PostgresCluster(bindir)
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database on each backend: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'test.sqlite3'}")
        yield engine
        engine.dispose()
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(cluster.url()).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(cluster.url(name))
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        # WITH (FORCE): a command under test may have opened its own pool on this database.
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


class DemoStores:
    """Demo bases, each loaded (7-20 s) once per session and database kind, not once per test.

    ``shared`` is the loaded store itself, for tests that only read it; a test that changes its
    store takes a ``copy`` (SQLite: the backup API; PostgreSQL: ``CREATE DATABASE ... TEMPLATE``),
    dropped when the test ends.
    """

    def __init__(self, root: Path, plan_document: PlanDocument) -> None:
        self.root = root
        self.plan_document = plan_document
        self._demos: dict[str, DemoBase] = {}
        self._loaded: dict[tuple[str, str], Engine] = {}
        self._admin: Engine | None = None

    def demo(self, end: str) -> DemoBase:
        """The generated demo base up to month ``end`` (generated once)."""
        if end not in self._demos:
            self._demos[end] = generate(end, self.plan_document.plan)
        return self._demos[end]

    def shared(self, request: pytest.FixtureRequest, kind: str, end: str) -> Engine:
        """The demo base up to month ``end`` in a ``kind`` store: read it, never change it."""
        if (kind, end) not in self._loaded:
            name = f"demo_{end.replace('-', '_')}"
            if kind == "postgres":
                with self._admin_engine(request).connect() as connection:
                    connection.execute(text(f'CREATE DATABASE "{name}"'))
            engine = make_engine(self._url(request, kind, name))
            upgrade(engine)
            load_demo(engine, self.demo(end), self.plan_document)
            self._loaded[kind, end] = engine
        return self._loaded[kind, end]

    def copy(self, request: pytest.FixtureRequest, kind: str, end: str) -> Engine:
        """An independent copy of the shared demo store, removed after the requesting test."""
        source = self.shared(request, kind, end)
        name = f"copy_{uuid.uuid4().hex[:12]}"
        if kind == "sqlite":
            assert source.url.database is not None
            with (
                sqlite3.connect(source.url.database) as origin,
                sqlite3.connect(self.root / f"{name}.sqlite3") as target,
            ):
                # The backup API: a plain file copy would miss what is still in the WAL file.
                origin.backup(target)
        else:
            source.dispose()  # PostgreSQL copies a template only while no one is connected
            with self._admin_engine(request).connect() as connection:
                connection.execute(
                    text(f'CREATE DATABASE "{name}" TEMPLATE "{source.url.database}"')
                )
        engine = make_engine(self._url(request, kind, name))
        # The audit log's anchor and key live outside the database: they travel with the copy.
        for path_of in (anchor_path, key_path):
            if path_of(source).exists():
                shutil.copyfile(path_of(source), path_of(engine))
        request.addfinalizer(lambda: self._drop(engine))
        return engine

    def _url(self, request: pytest.FixtureRequest, kind: str, name: str) -> str:
        if kind == "sqlite":
            return f"sqlite:///{self.root / f'{name}.sqlite3'}"
        cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
        return cluster.url(name)

    def _admin_engine(self, request: pytest.FixtureRequest) -> Engine:
        if self._admin is None:
            cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
            self._admin = make_engine(cluster.url()).execution_options(isolation_level="AUTOCOMMIT")
        return self._admin

    def _drop(self, engine: Engine) -> None:
        engine.dispose()
        if engine.dialect.name == "postgresql" and self._admin is not None:
            with self._admin.connect() as connection:
                # WITH (FORCE): a command under test may have opened its own pool on this database.
                connection.execute(text(f'DROP DATABASE "{engine.url.database}" WITH (FORCE)'))

    def close(self) -> None:
        for engine in self._loaded.values():
            engine.dispose()
        if self._admin is not None:
            self._admin.dispose()


@pytest.fixture(scope="session")
def demo_stores(
    tmp_path_factory: pytest.TempPathFactory, plan_document: PlanDocument
) -> Iterator[DemoStores]:
    stores = DemoStores(tmp_path_factory.mktemp("demo-stores"), plan_document)
    yield stores
    stores.close()


# The web app's demo store (accounts and tokens per role; helpers in tests/web/conftest.py), here
# so that the page tests (tests/web) and the API tests (tests/api) share one load.
@pytest.fixture(scope="session")
def web_base(
    tmp_path_factory: pytest.TempPathFactory, plan_document: PlanDocument
) -> Iterator[WebBase]:
    root = tmp_path_factory.mktemp("web")
    engine = make_engine(f"sqlite:///{root / 'carbonpeak.db'}")
    upgrade(engine)
    store = TelemetryStore(root / "telemetry")
    load_demo(engine, generate(DEMO_END, plan_document.plan), plan_document, store=store)
    codes = enterprises(engine)["code"].tolist()
    own = next(c for c in codes if c.startswith("demo_coal_power"))  # it has a meter
    base = WebBase(root, engine, store, own, next(c for c in codes if c != own))
    for username, (role, organisation, enterprise) in ACCOUNTS.items():
        add_user(
            engine,
            username,
            PASSWORD,
            role,
            organisation=organisation,
            enterprise=own if enterprise else None,
        )
        base.tokens[username] = create_token(engine, username, f"{username} client", "test")
    yield base
    engine.dispose()


@pytest.fixture(scope="session")
def web_app(web_base: WebBase, plan_document: PlanDocument) -> FastAPI:
    return web_base.app(plan_document)


# The portal's and the inbox's demo store (helpers in tests/web/portal_base.py), here so that
# the portal pages (tests/web) and the notices (tests/services) share one load.
@pytest.fixture(scope="session")
def portal_base(
    tmp_path_factory: pytest.TempPathFactory, plan_document: PlanDocument
) -> Iterator[PortalBase]:
    root = tmp_path_factory.mktemp("portal")
    engine = make_engine(f"sqlite:///{root / 'carbonpeak.db'}")
    upgrade(engine)
    store = TelemetryStore(root / "telemetry")
    load_demo(engine, generate(PORTAL_DEMO_END, plan_document.plan), plan_document, store=store)
    codes = enterprises(engine)["code"].tolist()
    base = PortalBase(root, engine, store, next(c for c in codes if c.startswith("demo_coal")))
    for username, (role, organisation, own) in PORTAL_ACCOUNTS.items():
        add_user(
            engine,
            username,
            PORTAL_PASSWORD,
            role,
            organisation=organisation,
            enterprise=base.own if own else None,
        )
        base.tokens[username] = create_token(engine, username, f"{username} client", "test")
    yield base
    engine.dispose()


@pytest.fixture
def fresh(portal_base: PortalBase, tmp_path: Path) -> Iterator[PortalBase]:
    base = copy_base(portal_base, tmp_path)
    yield base
    base.engine.dispose()


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    """A local SMTP server, and the CARBONPEAK_SMTP_* settings pointing at it."""
    received = Inbox()
    port = free_port()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("CARBONPEAK_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CARBONPEAK_SMTP_PORT", str(port))
    monkeypatch.setenv("CARBONPEAK_SMTP_SENDER", "tanfeng@ningdong.example")
    yield SmtpServer(port, received, controller)
    controller.stop()


@pytest.fixture(scope="session")
def mosquitto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A private Mosquitto broker on a free loopback port, configured by the shipped
    deploy/mosquitto/carbonpeak.conf; yields the port."""
    binary = shutil.which("mosquitto") or next(
        (p for p in ("/usr/sbin/mosquitto", "/usr/bin/mosquitto") if Path(p).exists()), None
    )
    if binary is None:
        pytest.skip("mosquitto not installed; CI installs it")
    folder = tmp_path_factory.mktemp("mosquitto")
    port = _free_port()
    config = folder / "mosquitto.conf"
    # The shipped configuration (queue limits, persistence), with a local listener and paths.
    config.write_text(local_broker_config(port, folder), encoding="utf-8")
    process = subprocess.Popen(
        [binary, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    else:
        process.kill()
        pytest.fail("mosquitto did not start")
    yield port
    process.terminate()
    process.wait(timeout=10)


def add_enterprise(engine: Engine, code: str = "E1", sector: str = "2614") -> None:
    """Register one (synthetic) test enterprise."""
    import pandas as pd

    from carbonpeak.services.registry import register_enterprises

    register_enterprises(
        engine,
        pd.DataFrame(
            [
                {
                    "id": code,
                    "credit_code": f"91640000TEST{code:0>5}X"[:18],
                    "name_zh": "测试企业",
                    "name_en": "Test enterprise",
                    "sector": sector,
                    "key_energy_unit": True,
                    "synthetic": True,
                }
            ]
        ),
        pd.DataFrame(
            columns=[
                "enterprise",
                "facility",
                "product",
                "capacity",
                "capacity_unit",
                "commissioned",
            ]
        ),
        "test",
    )


def add_meter(
    engine: Engine, meter: str = "m1", enterprise: str = "E1", max_interval_value: float = 10.0
) -> None:
    """Register one electricity meter of a test enterprise."""
    import pandas as pd

    from carbonpeak.services.telemetry import register_meters

    register_meters(
        engine,
        pd.DataFrame(
            [
                {
                    "meter": meter,
                    "enterprise": enterprise,
                    "item": "electricity",
                    "interval_minutes": 15,
                    "max_interval_value": max_interval_value,
                    "calibration_due": "2027-12-31",
                }
            ]
        ),
        "test",
    )
