"""Every route the registry adds, every role: each gets exactly what the table in
tests/web/registry_routes.py says, the forms only with the session's CSRF token."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.services.registry_helpers import credit_code
from tests.web.conftest import ROLES, WebBase, api_client, copy_base, page_client
from tests.web.registry_routes import (
    ENTERPRISE,
    OFFICE,
    OFFICE_ENTERPRISE,
    OFFICE_UNIT,
    REGISTRY_API_ROUTES,
    REGISTRY_PAGE_ROUTES,
    WORKING,
)

from carbonpeak.plan import PlanDocument
from carbonpeak.services.evidence import attach_evidence
from carbonpeak.services.registry_import import SHEETS, registry_template
from carbonpeak.services.registry_life import open_entry
from carbonpeak.services.submissions import ingest
from carbonpeak.storage import SubmissionRow

_serial = itertools.count(1)
PDF = b"%PDF-1.4\nauthorisation\n%%EOF\n"


def _new_code() -> str:
    return f"auth_{next(_serial)}"


def _enterprise(code: str) -> dict[str, str]:
    serial = str(abs(hash(code)) % 10**7)
    return {"code": code, "credit_code": credit_code(serial), "name_zh": code, "sector": "2614"}


def _submission(base: WebBase, state: str = "submitted") -> int:
    """A new report of the enterprise account's own enterprise, in a month of its own."""
    month = next(_serial)
    frame = pd.DataFrame(
        [
            {
                "enterprise": base.own,
                "period": f"{2000 + month // 12:04d}-{month % 12 + 1:02d}",
                "item": "bituminous_coal",
                "role": "energy_input",
                "quantity": "10",
                "unit": "t",
            }
        ]
    )
    ingest(base.engine, frame, "authorisation", "test", state=state)  # type: ignore[arg-type]
    with Session(base.engine) as session:
        return int(session.scalar(select(func.max(SubmissionRow.id))) or 0)


def _evidence(base: WebBase) -> int:
    stored = attach_evidence(
        base.engine, PDF, "scan.pdf", "submission", _submission(base), "test", enterprise=base.own
    )
    return int(stored["id"])


def _workbook() -> bytes:
    book = load_workbook(io.BytesIO(registry_template()))
    code = _new_code()
    fields = _enterprise(code)
    book[SHEETS["enterprise"]].append([code, fields["credit_code"], code, None, "2614", None])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class Call:
    method: str
    route: str
    allowed: frozenset[str]
    request: Callable[[WebBase], tuple[str, dict[str, Any]]]
    status: tuple[int, ...] = (200,)
    role_data: Callable[[str], dict[str, str]] = field(default=lambda _role: {})


def _get(url: Callable[[WebBase], str]) -> Callable[[WebBase], tuple[str, dict[str, Any]]]:
    return lambda b: (url(b), {})


API_CALLS = [
    Call(
        "GET",
        "/api/v1/registry/enterprises",
        OFFICE,
        _get(lambda _b: "/api/v1/registry/enterprises"),
    ),
    Call(
        "POST",
        "/api/v1/registry/{entity}",
        OFFICE,
        lambda _b: ("/api/v1/registry/enterprise", {"json": _enterprise(_new_code())}),
        (201,),
    ),
    Call(
        "PATCH",
        "/api/v1/registry/{entity}",
        OFFICE,
        lambda b: (
            f"/api/v1/registry/enterprise?key={b.own}",
            {"json": {"fields": {"name_en": "Renamed"}, "reason": "test"}},
        ),
    ),
    Call(
        "POST",
        "/api/v1/registry/{entity}/close",
        OFFICE,
        lambda b: (
            f"/api/v1/registry/enterprise/close?key={_opened(b)}",
            {"json": {"closed_on": "2026-01-01", "reason": "test"}},
        ),
    ),
    Call(
        "GET",
        "/api/v1/registry/enterprises/{code}",
        OFFICE_ENTERPRISE,
        _get(lambda b: f"/api/v1/registry/enterprises/{b.own}"),
    ),
    Call(
        "GET",
        "/api/v1/registry/enterprises/{code}",
        OFFICE,
        _get(lambda b: f"/api/v1/registry/enterprises/{b.other}"),
    ),
    Call("GET", "/api/v1/registry/history", OFFICE, _get(lambda _b: "/api/v1/registry/history")),
    Call("GET", "/api/v1/registry-template", OFFICE, _get(lambda _b: "/api/v1/registry-template")),
    Call(
        "POST",
        "/api/v1/registry-import",
        OFFICE,
        lambda _b: ("/api/v1/registry-import", {"files": {"file": ("r.xlsx", _workbook())}}),
        (201,),
    ),
    Call("GET", "/api/v1/key-units", OFFICE, _get(lambda _b: "/api/v1/key-units")),
    Call("GET", "/api/v1/review-queue", OFFICE, _get(lambda _b: "/api/v1/review-queue")),
    Call(
        "GET",
        "/api/v1/review-queue/late",
        OFFICE,
        _get(lambda _b: "/api/v1/review-queue/late?month=2024-12"),
    ),
    Call(
        "POST",
        "/api/v1/review-queue/{submission_id}/return",
        OFFICE,
        lambda b: (f"/api/v1/review-queue/{_submission(b)}/return", {"json": {"note": "test"}}),
    ),
    Call(
        "POST",
        "/api/v1/review-queue/accept",
        OFFICE,
        lambda b: ("/api/v1/review-queue/accept", {"json": {"ids": [_submission(b)]}}),
    ),
    Call(
        "POST",
        "/api/v1/review-queue/remind",
        OFFICE,
        lambda _b: ("/api/v1/review-queue/remind?month=2016-01", {}),
    ),
    Call(
        "GET",
        "/api/v1/registry-events",
        OFFICE_ENTERPRISE,
        _get(lambda _b: "/api/v1/registry-events"),
    ),
    Call(
        "POST",
        "/api/v1/evidence",
        OFFICE_ENTERPRISE,
        lambda b: (
            "/api/v1/evidence",
            {
                "files": {"file": ("scan.pdf", PDF, "application/pdf")},
                "data": {"attached_to": "submission", "attached_id": str(_submission(b))},
            },
        ),
        (201,),
    ),
    Call("GET", "/api/v1/evidence", WORKING, _get(lambda _b: "/api/v1/evidence")),
    Call(
        "GET",
        "/api/v1/evidence/{evidence_id}",
        OFFICE_ENTERPRISE,  # an enterprise's evidence: not a unit's
        _get(lambda b: f"/api/v1/evidence/{_evidence(b)}"),
    ),
]


def _opened(base: WebBase) -> str:
    code = _new_code()
    open_entry(base.engine, "enterprise", _enterprise(code), "test")
    return code


def test_the_table_covers_every_registry_api_route() -> None:
    assert {(c.method, c.route) for c in API_CALLS} == set(REGISTRY_API_ROUTES)


@pytest.fixture(scope="module")
def base(web_base: WebBase, tmp_path_factory: pytest.TempPathFactory) -> WebBase:
    return copy_base(web_base, tmp_path_factory.mktemp("registry-authorisation"))


@pytest.mark.parametrize("call", API_CALLS, ids=lambda c: f"{c.method} {c.route}")
def test_api_route_admits_exactly_its_roles(
    call: Call, base: WebBase, plan_document: PlanDocument
) -> None:
    app = base.app(plan_document)
    for role in ROLES:
        url, kwargs = call.request(base)
        response = api_client(app, base, role).request(call.method, url, **kwargs)
        if role in call.allowed:
            assert response.status_code in call.status, (role, response.text[:500])
        else:
            expected = 401 if role == "anonymous" else 403
            assert response.status_code == expected, (role, response.status_code)


def _draft(base: WebBase) -> dict[str, str]:
    return {"submission": str(_submission(base, "draft"))}


REPORT_CSV = (
    "enterprise,facility,sector,period,item,role,quantity,unit\n"
    "{own},,,1999-0{month},bituminous_coal,energy_input,10,t\n"
)
PAGE_CALLS: list[
    tuple[str, str, frozenset[str], Callable[[WebBase], tuple[str, dict[str, Any]]]]
] = [
    ("GET", "/registry/template.xlsx", OFFICE, lambda _b: ("/registry/template.xlsx", {})),
    ("GET", "/registry/{code}", OFFICE, lambda b: (f"/registry/{b.own}", {})),
    (
        "POST",
        "/registry/import",
        OFFICE,
        lambda _b: ("/registry/import", {"files": {"file": ("r.xlsx", _workbook())}}),
    ),
    (
        "POST",
        "/registry/enterprises",
        OFFICE,
        lambda _b: ("/registry/enterprises", {"data": _enterprise(_new_code())}),
    ),
    ("POST", "/registry/key-units", OFFICE, lambda _b: ("/registry/key-units", {})),
    (
        "POST",
        "/registry/{code}/{action}",
        OFFICE,
        lambda b: (
            f"/registry/{b.own}/change",
            {"data": {"entity": "enterprise", "key": b.own, "name_en": "X"}},
        ),
    ),
    (
        "GET",
        "/workspace/template.xlsx",
        ENTERPRISE,
        lambda _b: ("/workspace/template.xlsx?period=2024-11", {}),
    ),
    (
        "POST",
        "/workspace/upload",
        ENTERPRISE,
        lambda b: (
            "/workspace/upload",
            {
                "files": {
                    "file": (
                        "r.csv",
                        REPORT_CSV.format(own=b.own, month=next(_serial) % 9 + 1).encode(),
                    )
                },
                "data": {"draft": "1"},
            },
        ),
    ),
    ("POST", "/workspace/submit", ENTERPRISE, lambda b: ("/workspace/submit", {"data": _draft(b)})),
    (
        "POST",
        "/workspace/evidence",
        ENTERPRISE,
        lambda b: ("/workspace/evidence", {"data": _draft(b), "files": {"file": ("s.pdf", PDF)}}),
    ),
    (
        "POST",
        "/workspace/task-report",
        OFFICE_UNIT,
        lambda _b: (
            "/workspace/task-report",
            {
                "data": {
                    "task": "三(一)1",
                    "percent_complete": "50",
                    "summary": "test",
                    "unit": "经济发展局",
                }
            },
        ),
    ),
    (
        "POST",
        "/workspace/indicator-report",
        OFFICE_UNIT,
        lambda _b: (
            "/workspace/indicator-report",
            {
                "data": {
                    "indicator": "new_energy_capacity",
                    "year": "2023",
                    "value": "300",
                    "unit": "经济发展局",
                    "reason": "test",
                }
            },
        ),
    ),
    (
        "GET",
        "/evidence/{evidence_id}",
        OFFICE_ENTERPRISE,
        lambda b: (f"/evidence/{_evidence(b)}", {}),
    ),
    (
        "POST",
        "/review/{action}",
        OFFICE,
        lambda _b: ("/review/remind", {"data": {"month": "2016-02"}}),
    ),
]


def test_the_table_covers_every_registry_page_route() -> None:
    assert {(m, r) for m, r, _a, _c in PAGE_CALLS} == set(REGISTRY_PAGE_ROUTES)


@pytest.fixture(scope="module")
def pages(base: WebBase, plan_document: PlanDocument) -> dict[str, TestClient]:
    app = base.app(plan_document)
    return {role: page_client(app, role) for role in ROLES}


@pytest.mark.parametrize(
    ("method", "route", "allowed", "request_of"),
    PAGE_CALLS,
    ids=lambda x: str(x) if isinstance(x, str) else "",
)
def test_page_routes_admit_exactly_their_roles_with_the_csrf_token(
    method: str,
    route: str,
    allowed: frozenset[str],
    request_of: Callable[[WebBase], tuple[str, dict[str, Any]]],
    base: WebBase,
    pages: dict[str, TestClient],
) -> None:
    for role, client in pages.items():
        url, kwargs = request_of(base)
        if method == "GET":
            response = client.get(url)
        else:
            without = client.post(url, **kwargs)
            assert without.status_code in (401, 403), (role, url, without.status_code)
            if role == "anonymous":
                continue
            csrf = client.get("/tasks").text.split('name="csrf_token" value="')[1].split('"')[0]
            url, kwargs = request_of(base)
            data = {**kwargs.get("data", {}), "csrf_token": csrf}
            response = client.post(url, **{**kwargs, "data": data})
        if role == "anonymous":
            assert response.status_code == 303 and "/login" in response.headers["location"]
        elif role in allowed:
            assert response.status_code in (200, 303), (role, url, response.text[:400])
            if response.status_code == 303:
                assert "%E2%9C%97" not in response.headers["location"], (role, url)
        else:
            assert response.status_code == 403, (role, url, response.status_code)
