"""Issue 13 over HTTP: enums, conflicts, limits, security headers, sign-in pauses per account and
address, one answer for every refusal, and the client address behind proxies."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session
from tests.services.test_ingest_malformed import far_cell
from tests.web.conftest import PASSWORD, WebBase, api_client, copy_base

from carbonpeak.plan import PlanDocument
from carbonpeak.services.submissions import ingest
from carbonpeak.settings import settings
from carbonpeak.storage import LoginFailureRow, SubmissionRow

ERROR_SHAPE = {"error", "message", "file", "problems"}


@pytest.fixture
def base(web_base: WebBase, tmp_path: Path) -> WebBase:
    return copy_base(web_base, tmp_path)


@pytest.fixture
def app(base: WebBase, plan_document: PlanDocument) -> FastAPI:
    return base.app(plan_document)


def _report(enterprise: str, quantity: str = "10", period: str = "2019-05") -> bytes:
    return (
        "enterprise,period,item,role,quantity,unit\n"
        f"{enterprise},{period},bituminous_coal,energy_input,{quantity},t\n"
    ).encode()


def _upload(client: TestClient, content: bytes, name: str = "r.csv", **params: Any) -> Any:
    return client.post(
        "/api/v1/submissions",
        files={"file": (name, io.BytesIO(content), "text/csv")},
        params=params,
    )


def test_the_office_accepts_and_returns_with_the_documented_strings(
    app: FastAPI, base: WebBase
) -> None:
    office = api_client(app, base, "office")
    for period, decision, state in (
        ("2019-03", "accept", "accepted"),
        ("2019-04", "return", "returned"),
    ):
        assert _upload(office, _report(base.own, period=period)).status_code == 201
        with Session(base.engine) as session:
            latest = session.scalar(select(SubmissionRow.id).order_by(SubmissionRow.id.desc()))
        body = {"decision": decision, "note": "checked"}
        answer = office.post(f"/api/v1/submissions/{latest}/review", json=body)
        assert answer.status_code == 200, answer.text
        assert answer.json()["state"] == state
    refused = office.post(f"/api/v1/submissions/{latest}/review", json={"decision": "maybe"})
    assert refused.status_code == 422
    assert set(refused.json()) == ERROR_SHAPE


def test_an_unaccountable_report_is_refused_at_upload(app: FastAPI, base: WebBase) -> None:
    office = api_client(app, base, "office")
    coke = (
        "enterprise,period,item,role,quantity,unit,ncv,ncv_unit\n"
        f"{base.own},2019-02,coke_oven_gas,energy_input,100,万Nm3,,\n"
    ).encode()
    answer = _upload(office, coke)
    assert answer.status_code == 422
    assert "no standard-coal coefficient" in answer.json()["problems"][0]["problem"]
    # The pages and the tracking API are untouched.
    assert office.get("/api/v1/tracking").status_code == 200


def test_two_amendments_at_once_answer_409_in_the_error_shape(app: FastAPI, base: WebBase) -> None:
    office = api_client(app, base, "office")
    assert _upload(office, _report(base.own, "10")).status_code == 201
    fired = False

    def other_amendment_first(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        nonlocal fired
        if not fired and statement.startswith("INSERT INTO submissions"):
            fired = True
            frame = __import__("pandas").read_csv(io.BytesIO(_report(base.own, "30")), dtype=str)
            ingest(base.engine, frame, "other.csv", "other", "other fix")

    event.listen(base.engine, "before_cursor_execute", other_amendment_first)
    try:
        answer = _upload(office, _report(base.own, "20"), reason="fix")
    finally:
        event.remove(base.engine, "before_cursor_execute", other_amendment_first)
    assert answer.status_code == 409, answer.text
    assert set(answer.json()) == ERROR_SHAPE
    assert "same enterprise and month" in answer.json()["error"]


def test_bodies_and_files_beyond_the_limits(app: FastAPI, base: WebBase) -> None:
    office = api_client(app, base, "office")
    app.state.settings = settings().replace(max_body_bytes=2000, max_upload_bytes=1000)
    big = _report(base.own) + b"#" * 3000
    declared = _upload(office, big)
    assert declared.status_code == 413
    assert set(declared.json()) == ERROR_SHAPE

    def chunks() -> Any:  # no Content-Length: counted as it is read
        yield b"[" + b'{"meter": "m", "ts": "2023-12-01T00:00:00+08:00", "value": 1},' * 100
        yield b"{}]"

    streamed = office.post(
        "/api/v1/telemetry", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert streamed.status_code == 413
    file_too_large = _upload(office, _report(base.own) + b"#" * 1500)
    assert file_too_large.status_code == 422
    assert file_too_large.json()["problems"][0]["problem"] == "file too large"


def test_the_xlsx_bomb_is_refused_with_an_enterprise_token(app: FastAPI, base: WebBase) -> None:
    enterprise = api_client(app, base, "enterprise")
    answer = enterprise.post(
        "/api/v1/submissions", files={"file": ("bomb.xlsx", io.BytesIO(far_cell(True)), "x")}
    )
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["problem"] == "sheet too large"


@pytest.mark.parametrize("unit", ["MWh-", "/", "GJ/", "1/0", "("])
def test_malformed_units_on_telemetry_are_rejected_records_not_500(
    app: FastAPI, base: WebBase, unit: str
) -> None:
    from carbonpeak.services.telemetry import meters

    meter = next(m for m in meters(base.engine).values() if m.enterprise == base.own)
    office = api_client(app, base, "office")
    reading = {"meter": meter.meter, "ts": "2023-12-01T00:00:00+08:00", "value": 1.0}
    answer = office.post("/api/v1/telemetry", json=[{**reading, "unit": unit}])
    assert answer.status_code == 200, answer.text
    assert answer.json()["rejected"] == 1


def test_security_headers_on_pages_api_and_assets(app: FastAPI, base: WebBase) -> None:
    client = TestClient(app, follow_redirects=False)
    for path in ("/login", "/api/v1/health", "/static/app.js", "/api/v1/me"):
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        script = re.search(r"script-src ([^;]*)", policy)
        assert script is not None and script.group(1) == "'self'", policy
        assert "frame-ancestors 'none'" in policy
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["x-frame-options"] == "DENY"


def test_templates_carry_no_inline_script() -> None:
    folder = Path(__file__).parents[2] / "src" / "carbonpeak" / "web" / "templates"
    for template in folder.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or 'type="application/json"' in tag, (template.name, tag)
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert "javascript:" not in text, template.name


def _sign_in(client: TestClient, username: str, password: str) -> Any:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token.group(1)}
    )


def _client(app: FastAPI, address: str, **headers: str) -> TestClient:
    return TestClient(app, follow_redirects=False, client=(address, 40000), headers=headers)


def test_guessing_from_one_address_cannot_lock_the_office_out(app: FastAPI, base: WebBase) -> None:
    attacker = _client(app, "203.0.113.9")
    for _ in range(5):
        assert _sign_in(attacker, "office", "wrong password!").status_code == 303
    paused = _sign_in(attacker, "office", PASSWORD)
    assert "cp_session" not in attacker.cookies  # paused from that address, right password or not
    desk = _client(app, "10.1.2.3")
    signed_in = _sign_in(desk, "office", PASSWORD)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/"
    assert "cp_session" in desk.cookies
    assert paused.headers["location"].endswith("error=failed")


def test_unknown_paused_wrong_and_inactive_answer_the_same(app: FastAPI, base: WebBase) -> None:
    office = api_client(app, base, "office")
    assert office.post("/api/v1/users/transport/active", json={"active": False}).status_code == 200
    client = _client(app, "198.51.100.7")
    for _ in range(5):
        _sign_in(client, "viewer", "wrong password!")  # viewer is now paused from here
    answers = {
        "unknown": _sign_in(client, "no-such-user", "wrong password!"),
        "wrong": _sign_in(client, "econ", "wrong password!"),
        "paused": _sign_in(client, "viewer", PASSWORD),
        "inactive": _sign_in(client, "transport", PASSWORD),
    }
    locations = {name: a.headers["location"] for name, a in answers.items()}
    assert len(set(locations.values())) == 1, locations
    assert {a.status_code for a in answers.values()} == {303}
    page = client.get(next(iter(locations.values()))).text
    assert "登录失败" in page and "locked" not in page.lower()  # the catalogue's login.failed


def _pair(base: WebBase, username: str) -> LoginFailureRow:
    with Session(base.engine) as session:
        return session.scalars(
            select(LoginFailureRow).where(LoginFailureRow.username == username)
        ).one()


def test_the_office_can_lift_a_pause(app: FastAPI, base: WebBase) -> None:
    client = _client(app, "192.0.2.44")
    for _ in range(5):
        _sign_in(client, "viewer", "wrong password!")
    office = api_client(app, base, "office")
    assert {u["username"]: u["locked"] for u in office.get("/api/v1/users").json()}["viewer"]
    _sign_in(client, "viewer", PASSWORD)
    assert "cp_session" not in client.cookies
    lifted = office.post("/api/v1/users/viewer/unlock")
    assert lifted.json() == {"username": "viewer", "paused_addresses": 1}
    _sign_in(client, "viewer", PASSWORD)
    assert "cp_session" in client.cookies


def test_pauses_back_off(app: FastAPI, base: WebBase) -> None:
    client = _client(app, "192.0.2.45")
    for _ in range(5):
        _sign_in(client, "econ", "wrong password!")
    first = _pair(base, "econ")
    assert first.pauses == 1 and first.paused_until is not None
    first_pause = first.paused_until - first.last_failure_at
    assert first_pause == timedelta(seconds=settings().login_pause_seconds)
    with Session(base.engine) as session, session.begin():
        # The first pause has run out (as if 15 minutes had passed).
        session.execute(
            update(LoginFailureRow)
            .where(LoginFailureRow.id == first.id)
            .values(paused_until=datetime.now(UTC) - timedelta(seconds=1))
        )
    for _ in range(5):
        _sign_in(client, "econ", "wrong password!")
    second = _pair(base, "econ")
    assert second.pauses == 2 and second.paused_until is not None
    assert second.paused_until - second.last_failure_at == 2 * first_pause
    # Ten failures from one address, whatever the accounts: the address is throttled too.
    throttled = _sign_in(client, "econ", PASSWORD)
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) > 0


def test_forwarded_for_is_believed_only_from_a_configured_proxy(
    app: FastAPI, base: WebBase
) -> None:
    # Not configured: rotating X-Forwarded-For from localhost changes nothing; 10 failures
    # from the connection's address get 429.
    statuses = []
    for n in range(11):
        client = _client(app, "127.0.0.1", **{"X-Forwarded-For": f"10.9.8.{n}"})
        statuses.append(_sign_in(client, f"nobody{n}", "wrong password!").status_code)
    assert statuses[-1] == 429, statuses
    # Configured: the proxy's forwarded address is the client, so each is counted apart.
    app.state.throttle.succeeded("127.0.0.1")
    app.state.settings = settings().replace(trusted_proxies="127.0.0.1")
    for n in range(11):
        client = _client(app, "127.0.0.1", **{"X-Forwarded-For": f"1.2.3.4, 10.9.7.{n}"})
        assert _sign_in(client, f"nobody{n}", "wrong password!").status_code == 303
    with Session(base.engine) as session:
        addresses = set(session.scalars(select(LoginFailureRow.address)))
    assert {f"10.9.7.{n}" for n in range(11)} <= addresses
    assert "1.2.3.4" not in addresses  # only the hop the trusted proxy saw
