"""Reports and readings over HTTP: the same validation, one error shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from carbonpeak.api import create_app
from carbonpeak.services.accounts import Role, add_user, create_token
from carbonpeak.storage import TelemetryStore, upgrade
from tests.conftest import add_enterprise, add_meter

REPORT = (
    "enterprise,facility,sector,period,item,role,quantity,unit\n"
    "E1,boiler,2614,2026-09,bituminous_coal,energy_input,1200,t\n"
)


@pytest.fixture
def client(engine: Engine, tmp_path: Path) -> TestClient:
    upgrade(engine)
    add_enterprise(engine)
    add_meter(engine)
    store = TelemetryStore(tmp_path / "telemetry")
    add_user(engine, "gateway", "a-long-password", Role.admin)
    token = create_token(engine, "gateway", "test gateway", "test")
    return TestClient(
        create_app(lambda: engine, lambda: store), headers={"Authorization": f"Bearer {token}"}
    )


def test_upload_report_then_same_again(client: TestClient) -> None:
    first = client.post("/api/v1/submissions", files={"file": ("sep.csv", REPORT, "text/csv")})
    assert first.status_code == 201
    assert first.json()["created"] == [["E1", "2026-09", 1]]
    again = client.post("/api/v1/submissions", files={"file": ("sep.csv", REPORT, "text/csv")})
    assert again.json() == {"created": [], "amended": 0, "unchanged": 1}


def test_bad_upload_gets_the_error_shape(client: TestClient) -> None:
    bad = client.post(
        "/api/v1/submissions", files={"file": ("bad.csv", REPORT.replace("1200", "-5"), "text/csv")}
    )
    assert bad.status_code == 422
    body = bad.json()
    assert body["error"] == "invalid file"
    assert body["file"] == "bad.csv"
    assert body["problems"][0]["location"] == "row 2, column quantity"
    wrong_type = client.post("/api/v1/submissions", files={"file": ("r.exe", b"MZ", "x")})
    assert wrong_type.status_code == 415
    assert set(wrong_type.json()) == {"error", "message", "file", "problems"}


def test_readings_batch_deduplicates_and_rejects(client: TestClient) -> None:
    batch = [
        {"meter": "m1", "ts": f"2026-10-01T00:{m:02d}:00+08:00", "value": 1.0}
        for m in (0, 15, 30, 45)
    ]
    assert client.post("/api/v1/telemetry", json=batch).json()["new"] == 4
    again = client.post(
        "/api/v1/telemetry", json=[*batch, {"meter": "m9", "ts": "2026-10-01T01:00:00", "value": 1}]
    )
    assert again.json() == {"received": 5, "new": 0, "duplicates": 4, "rejected": 1}
    assert client.post("/api/v1/telemetry", json=[{"meter": "m1"}]).status_code == 422
    quality = client.get("/api/v1/telemetry/quality", params={"month": "2026-10"}).json()
    assert quality[0]["enterprise"] == "E1"
    assert quality[0]["received"] == 4
    assert client.get("/api/v1/telemetry/quality", params={"month": "2026-13"}).status_code == 422


def test_metered_energy_feeds_accounting(
    engine: Engine, tmp_path: Path, client: TestClient
) -> None:
    from carbonpeak.accounting import account, parse_activity
    from carbonpeak.services.telemetry import telemetry_activity

    batch = [
        {"meter": "m1", "ts": f"2026-10-0{d}T00:00:00+08:00", "value": 2.5} for d in range(1, 5)
    ]
    client.post("/api/v1/telemetry", json=batch)
    store = TelemetryStore(tmp_path / "telemetry")
    activity = telemetry_activity(engine, store)
    assert activity[["enterprise", "period", "item", "quantity"]].values.tolist() == [
        ["E1", "2026-10", "electricity", "10.000000"]
    ]
    totals = account(parse_activity(activity), "northwest").totals("enterprise")
    assert totals["co2_electricity_t"].iloc[0] == pytest.approx(10 * 0.5543)
