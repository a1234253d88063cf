"""The portal's and the inbox's test base: a small demo store (2020–2021) with one account and API
token per role, the web app over it, and a local SMTP server (aiosmtpd) that keeps what arrives.

Its fixtures (``portal_base``, ``fresh``, ``smtp_server``) are in tests/conftest.py: the portal
pages (tests/web) and the notices (tests/services) share one load."""

from __future__ import annotations

import re
import socket
import sqlite3
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pandas as pd
from aiosmtpd.controller import Controller
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from carbonpeak.plan import PlanDocument
from carbonpeak.services.accounts import Principal, Role
from carbonpeak.services.submissions import ingest
from carbonpeak.storage import SubmissionRow, TelemetryStore, make_engine
from carbonpeak.web import create_app

DEMO_END = "2021-12"
PASSWORD = "correct horse battery"
ACCOUNTS = {
    "office": (Role.admin, None, False),
    "econ": (Role.unit, "economic_development_bureau", False),
    "enterprise": (Role.enterprise, None, True),
    "viewer": (Role.viewer, None, False),
}


@dataclass
class PortalBase:
    root: Path
    engine: Engine
    store: TelemetryStore
    own: str  # the enterprise account's enterprise
    tokens: dict[str, str] = field(default_factory=dict)

    def app(self, document: PlanDocument) -> FastAPI:
        return create_app(lambda: self.engine, lambda: self.store, document.plan)

    def principal(self, username: str) -> Principal:
        role, organisation, own = ACCOUNTS[username]
        return Principal(
            username, username, role, organisation, self.own if own else None, "session"
        )


def copy_base(base: PortalBase, target: Path) -> PortalBase:
    """An independent copy of the store, for a test that changes it."""
    with (
        sqlite3.connect(base.root / "carbonpeak.db") as source,
        sqlite3.connect(target / "carbonpeak.db") as copy,
    ):
        source.backup(copy)
    engine = make_engine(f"sqlite:///{target / 'carbonpeak.db'}")
    return PortalBase(target, engine, base.store, base.own, dict(base.tokens))


def api_client(app: FastAPI, base: PortalBase, username: str) -> TestClient:
    headers = (
        {} if username == "anonymous" else {"Authorization": f"Bearer {base.tokens[username]}"}
    )
    return TestClient(app, headers=headers, follow_redirects=False)


def page_client(app: FastAPI, username: str) -> TestClient:
    """A browser-like client, signed in through the form (anonymous: not signed in)."""
    client = TestClient(app, follow_redirects=False, headers={"Accept": "text/html"})
    if username != "anonymous":
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        client.post(
            "/login",
            data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)},
        )
        assert "cp_session" in client.cookies, username
    return client


def submit_report(base: PortalBase, period: str = "2019-06", quantity: str = "10") -> int:
    """A new submitted report of the enterprise account's enterprise; its id."""
    frame = pd.DataFrame(
        [
            {
                "enterprise": base.own,
                "period": period,
                "item": "bituminous_coal",
                "role": "energy_input",
                "quantity": quantity,
                "unit": "t",
            }
        ]
    )
    ingest(base.engine, frame, "portal test", "test")
    with Session(base.engine) as session:
        return int(session.scalar(select(func.max(SubmissionRow.id))) or 0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox:
    """What the local SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    port: int
    received: Inbox
    controller: Controller
