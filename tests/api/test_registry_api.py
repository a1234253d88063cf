"""The registry over HTTP: the same checks with every problem located, the office only for
the registry and the review, an enterprise only for its own evidence and notices."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine

from carbonpeak.api import create_app
from carbonpeak.services.accounts import Role, add_user, create_token
from carbonpeak.services.registry_import import SHEETS
from carbonpeak.storage import TelemetryStore, upgrade
from tests.services.registry_helpers import credit_code, register_power_plant

REPORT = (
    "enterprise,facility,sector,period,item,role,purpose,quantity,unit\n"
    "nd_power,unit1,4411,2024-06,bituminous_coal,energy_input,fuel,{coal},t\n"
    "nd_power,unit1,4411,2024-06,electricity,electricity_supplied,,200000,MWh\n"
)


@pytest.fixture
def clients(engine: Engine, tmp_path: Path) -> dict[str, TestClient]:
    upgrade(engine)
    register_power_plant(engine)
    store = TelemetryStore(tmp_path / "telemetry")
    app = create_app(lambda: engine, lambda: store)
    made = {}
    for username, role, extra in (
        ("office", Role.admin, {}),
        ("plant", Role.enterprise, {"enterprise": "nd_power"}),
        ("viewer", Role.viewer, {}),
    ):
        add_user(engine, username, "a-long-password", role, **extra)  # type: ignore[arg-type]
        token = create_token(engine, username, f"{username} client", "test")
        made[username] = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    return made


def test_register_change_close_and_history(clients: dict[str, TestClient]) -> None:
    office = clients["office"]
    bad = office.post(
        "/api/v1/registry/enterprise",
        json={"code": "x1", "credit_code": "123", "name_zh": "甲", "sector": "2614"},
    )
    assert bad.status_code == 422
    (problem,) = bad.json()["problems"]
    assert problem["location"] == "enterprise x1, field credit_code" and problem["found"] == "123"
    made = office.post(
        "/api/v1/registry/enterprise",
        json={"code": "x1", "credit_code": credit_code("77"), "name_zh": "甲", "sector": "2614"},
    )
    assert made.status_code == 201 and made.json() == {"key": "x1"}
    meter = {
        "enterprise": "x1",
        "meter": "x1_e",
        "carrier": "electricity",
        "interval_minutes": "15",
        "max_interval_value": "40",
        "calibration_due": "2027-03-31",
    }
    assert office.post("/api/v1/registry/meter", json=meter).status_code == 201
    changed = office.patch(
        "/api/v1/registry/meter",
        params={"key": "x1_e"},
        json={"fields": {"channel": "DL/T 645 #3"}, "reason": "接入端调整"},
    )
    assert changed.json()["channel"] == "DL/T 645 #3"
    closed = office.post(
        "/api/v1/registry/meter/close",
        params={"key": "x1_e"},
        json={"closed_on": "2026-11-30", "reason": "更换"},
    )
    assert closed.status_code == 200
    events = [h["event"] for h in office.get("/api/v1/registry/history?enterprise=x1").json()]
    assert events == ["opened", "opened", "changed", "closed"]
    assert office.get("/api/v1/registry/enterprises").status_code == 200


def test_import_through_the_api_names_sheet_row_and_field(clients: dict[str, TestClient]) -> None:
    office = clients["office"]
    template = office.get("/api/v1/registry-template")
    book = load_workbook(io.BytesIO(template.content))
    book[SHEETS["facility"]].append(["nd_power", "unit2", "2号机组", None, -5, "MW", None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    refused = office.post(
        "/api/v1/registry-import", files={"file": ("registry.xlsx", buffer.getvalue())}
    )
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["location"] == (
        f"sheet {SHEETS['facility']}, row 2, field capacity"
    )


def test_roles(clients: dict[str, TestClient]) -> None:
    for path in ("/api/v1/registry/enterprises", "/api/v1/review-queue", "/api/v1/key-units"):
        assert clients["plant"].get(path).status_code == 403
        assert clients["viewer"].get(path).status_code == 403
    assert clients["plant"].get("/api/v1/registry/enterprises/nd_power").status_code == 200
    assert clients["plant"].get("/api/v1/registry/enterprises/other").status_code == 403
    assert clients["viewer"].get("/api/v1/evidence").status_code == 403


def test_return_notice_and_evidence(clients: dict[str, TestClient]) -> None:
    office, plant = clients["office"], clients["plant"]
    sent = plant.post(
        "/api/v1/submissions", files={"file": ("june.csv", REPORT.format(coal=100000))}
    )
    assert sent.status_code == 201, sent.text
    (row,) = office.get("/api/v1/review-queue", params={"state": "submitted"}).json()
    returned = office.post(f"/api/v1/review-queue/{row['id']}/return", json={"note": "请核对"})
    assert returned.json()["state"] == "returned"
    (notice,) = plant.get("/api/v1/registry-events").json()
    assert notice["detail"]["note"] == "请核对"
    pdf = b"%PDF-1.7\nscan\n%%EOF\n"
    stored = plant.post(
        "/api/v1/evidence",
        files={"file": ("煤质化验单.pdf", pdf, "application/pdf")},
        data={"attached_to": "submission", "attached_id": str(row["id"])},
    )
    assert stored.status_code == 201, stored.text
    evidence_id = stored.json()["id"]
    for reader in (office, plant):
        got = reader.get(f"/api/v1/evidence/{evidence_id}")
        assert got.content == pdf
        assert got.headers["x-content-sha256"] == stored.json()["sha256"]
    assert clients["viewer"].get(f"/api/v1/evidence/{evidence_id}").status_code == 403
    wrong = plant.post(
        "/api/v1/evidence",
        files={"file": ("scan.pdf", b"not a pdf")},
        data={"attached_to": "submission", "attached_id": str(row["id"])},
    )
    assert wrong.status_code == 422
