"""An empty store: the set-up page makes the first administrator and offers the demo base;
`carbonpeak user` and the demo accounts; the administrator page's forms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.conftest import add_enterprise
from tests.web.conftest import WebBase, copy_base, page_client
from typer.testing import CliRunner

from carbonpeak.cli import app as cli
from carbonpeak.plan import PlanDocument
from carbonpeak.services.accounts import authenticate, users
from carbonpeak.services.demo import demo_accounts
from carbonpeak.storage import TelemetryStore, make_engine, upgrade
from carbonpeak.web import create_app


def _csrf(text: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', text)
    assert found is not None
    return found.group(1)


def test_empty_store_leads_to_set_up_and_the_demo_offer(
    tmp_path: Path, plan_document: PlanDocument
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    upgrade(engine)
    loaded: list[int] = []

    def load_demo() -> dict[str, int]:
        add_enterprise(engine)  # stands in for the demo base, which takes longer
        loaded.append(1)
        return {"enterprises": 1}

    app = create_app(
        lambda: engine, lambda: TelemetryStore(tmp_path / "t"), plan_document.plan, load_demo
    )
    client = TestClient(app, follow_redirects=False)
    assert client.get("/").headers["location"] == "/setup"
    page = client.get("/setup")
    assert "load_demo" in page.text  # offered on an empty store
    short = client.post(
        "/setup", data={"username": "chief", "password": "short", "csrf_token": _csrf(page.text)}
    )
    assert "error=" in short.headers["location"]
    assert users(engine) == []
    page = client.get("/setup")
    made = client.post(
        "/setup",
        data={
            "username": "chief",
            "password": "a-long-enough-password",
            "load_demo": "1",
            "csrf_token": _csrf(page.text),
        },
    )
    assert made.headers["location"] == "/login"
    assert loaded == [1]
    assert [(u["username"], u["role"]) for u in users(engine)] == [("chief", "admin")]
    # Set-up is over: nobody can make another administrator through it.
    assert client.get("/setup").headers["location"] == "/login"
    again = client.post("/setup", data={"username": "x", "password": "0123456789ab"})
    assert again.status_code == 403
    engine.dispose()


def test_user_commands(web_base: WebBase, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    base = copy_base(web_base, tmp_path)
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", str(base.engine.url))
    runner = CliRunner()
    added = runner.invoke(
        cli,
        [
            "user",
            "add",
            "ops",
            "--role",
            "unit",
            "--organisation",
            "建设和交通局",
            "--password-stdin",
        ],
        input="another-long-password\n",
    )
    assert added.exit_code == 0, added.output
    assert authenticate(base.engine, "ops", "another-long-password").organisation == (
        "construction_transport_bureau"
    )
    bad = runner.invoke(
        cli,
        ["user", "add", "e2", "--role", "enterprise", "--password-stdin"],
        input="0123456789ab\n",
    )
    assert bad.exit_code == 1
    assert "企业账户须指明企业代码" in bad.output  # the CLI reads in zh
    token = runner.invoke(cli, ["user", "token", "ops", "--client", "cli test"])
    assert token.exit_code == 0
    assert token.stdout.strip().startswith("cpk_")
    listed = runner.invoke(cli, ["user", "list", "--format", "json"])
    assert '"username": "ops"' in listed.stdout
    assert runner.invoke(cli, ["user", "deactivate", "ops"]).exit_code == 0
    assert not next(u for u in users(base.engine) if u["username"] == "ops")["active"]


def test_demo_accounts_once_per_role(tmp_path: Path, plan_document: PlanDocument) -> None:
    from carbonpeak.services.plans import register_plan

    engine = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    upgrade(engine)
    register_plan(engine, plan_document)
    add_enterprise(engine)
    created = demo_accounts(engine)
    assert {role for _, _, role in created} == {"admin", "unit", "enterprise", "viewer"}
    for username, password, _role in created:
        assert authenticate(engine, username, password).username == username
    assert authenticate(engine, "enterprise", created[2][1]).enterprise == "E1"
    assert demo_accounts(engine) == []
    engine.dispose()


def test_admin_page_makes_users_and_shows_a_token_once(
    tmp_path: Path, web_base: WebBase, plan_document: PlanDocument
) -> None:
    base = copy_base(web_base, tmp_path)
    client = page_client(base.app(plan_document), "office")
    csrf = _csrf(client.get("/admin").text)
    made = client.post(
        "/admin/users",
        data={
            "username": "gateway",
            "password": "0123456789abcdef",
            "role": "enterprise",
            "enterprise": base.own,
            "csrf_token": csrf,
        },
    )
    assert made.status_code == 303
    assert "gateway" in client.get(made.headers["location"]).text
    shown = client.post(
        "/admin/tokens", data={"username": "gateway", "client": "meter gateway", "csrf_token": csrf}
    )
    assert shown.status_code == 200  # rendered, not redirected: the token never enters a URL
    token = re.search(r'id="new-token">(cpk_[^<]+)<', shown.text)
    assert token is not None
    assert token.group(1) not in client.get("/admin").text
    gateway = TestClient(
        base.app(plan_document), headers={"Authorization": f"Bearer {token.group(1)}"}
    )
    assert gateway.get("/api/v1/me").json()["enterprise"] == base.own
