"""A demo store with one account (and one API token) per role, and the web app over it."""

from __future__ import annotations

import re
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from carbonpeak.plan import PlanDocument
from carbonpeak.services.accounts import Role
from carbonpeak.storage import TelemetryStore, make_engine
from carbonpeak.web import create_app

DEMO_END = "2024-12"
PASSWORD = "correct horse battery"
# The accounts: (username, role, organisation, enterprise: "own" is the demo's first).
ACCOUNTS = {
    "office": (Role.admin, None, None),
    "econ": (Role.unit, "economic_development_bureau", None),
    "transport": (Role.unit, "construction_transport_bureau", None),
    "enterprise": (Role.enterprise, None, "own"),
    "viewer": (Role.viewer, None, None),
}
ROLES = ("anonymous", "office", "econ", "enterprise", "viewer")


@dataclass
class WebBase:
    root: Path
    engine: Engine
    store: TelemetryStore
    own: str  # the enterprise account's enterprise
    other: str  # another enterprise
    tokens: dict[str, str] = field(default_factory=dict)

    def app(self, document: PlanDocument) -> FastAPI:
        return create_app(lambda: self.engine, lambda: self.store, document.plan)


def api_client(app: FastAPI, base: WebBase, username: str) -> TestClient:
    """A client calling with the user's API token (none for "anonymous")."""
    headers = (
        {} if username == "anonymous" else {"Authorization": f"Bearer {base.tokens[username]}"}
    )
    return TestClient(app, headers=headers, follow_redirects=False)


def login(client: TestClient, username: str, password: str = PASSWORD) -> None:
    """Sign in through the form, as a browser does (the login CSRF cookie included)."""
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token.group(1)},
    )


def page_client(app: FastAPI, username: str) -> TestClient:
    client = TestClient(app, follow_redirects=False, headers={"Accept": "text/html"})
    if username != "anonymous":
        login(client, username)
        assert "cp_session" in client.cookies, username
    return client


def copy_base(base: WebBase, target: Path) -> WebBase:
    """An independent copy of the store, for tests that change or fuzz it."""
    # SQLite's backup API: a plain file copy would miss what is still in the WAL file.
    with (
        sqlite3.connect(base.root / "carbonpeak.db") as source,
        sqlite3.connect(target / "carbonpeak.db") as copy,
    ):
        source.backup(copy)
    shutil.copytree(base.root / "telemetry", target / "telemetry")
    engine = make_engine(f"sqlite:///{target / 'carbonpeak.db'}")
    return WebBase(
        target,
        engine,
        TelemetryStore(target / "telemetry"),
        base.own,
        base.other,
        dict(base.tokens),
    )
