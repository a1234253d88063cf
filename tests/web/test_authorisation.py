"""Every route, every role: each gets exactly what it should, and nothing else.

The table below names, for every route of the app, the roles it admits. A route missing from the
table fails the test, so a new route cannot ship without a decision about who may call it.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from tests.web.conftest import ROLES, WebBase, api_client, copy_base, page_client
from tests.web.registry_routes import REGISTRY_ROUTES

from carbonpeak.plan import PlanDocument
from carbonpeak.web import PAGES

Response = Any  # the test client's response
SIGNED_IN = {"office", "econ", "enterprise", "viewer"}
EVERYONE = {"anonymous", *SIGNED_IN}
OFFICE = {"office"}
OFFICE_ENTERPRISE = {"office", "enterprise"}
OFFICE_UNIT = {"office", "econ"}


def _keys(*names: str) -> Callable[[Response], bool]:
    return lambda r: set(names) <= set(r.json())


def _rows(*names: str) -> Callable[[Response], bool]:
    # A list of records, each with these fields (an empty list is allowed: a scoped list).
    return lambda r: isinstance(r.json(), list) and all(set(names) <= set(x) for x in r.json())


def _is_list(response: Response) -> bool:
    return isinstance(response.json(), list)


def _xlsx(response: Response) -> bool:
    return response.content.startswith(b"PK") and "spreadsheetml" in response.headers.get(
        "content-type", ""
    )


PAGE = _keys("total", "offset", "limit", "items")
ERROR_SHAPE = {"error", "message", "file", "problems"}


@dataclass
class Case:
    method: str
    route: str  # the route's path template, as registered
    allowed: set[str]
    path: str | Callable[[WebBase], str] = ""  # the concrete path, when it has parameters
    kwargs: Callable[[WebBase], dict[str, Any]] = field(default=lambda _b: {})
    status: int = 200  # what every allowed role gets
    body: Callable[[Response], bool] = field(default=lambda r: isinstance(r.json(), dict))

    def url(self, base: WebBase) -> str:
        if callable(self.path):
            return self.path(base)
        return self.path or self.route


def _report(base: WebBase, enterprise: str) -> dict[str, Any]:
    # A month before the demo's first, no facility: valid for the registry and the accounting.
    text = (
        "enterprise,facility,sector,period,item,role,quantity,unit\n"
        f"{enterprise},,,2019-06,bituminous_coal,energy_input,10,t\n"
    )
    return {
        "files": {"file": ("r.csv", io.BytesIO(text.encode()), "text/csv")},
        "params": {"draft": True},
    }


_fresh_periods = itertools.count(1)


def _submitted(base: WebBase) -> str:
    """The review URL of a newly submitted report, so every role reviews a submitted one."""
    if not isinstance(base, WebBase):
        return "/api/v1/submissions/NEW/review"  # the test id
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from carbonpeak.services.submissions import ingest
    from carbonpeak.storage import SubmissionRow

    month = next(_fresh_periods)
    frame = pd.DataFrame(
        [
            {
                "enterprise": base.own,
                "period": f"2018-{month:02d}" if month <= 12 else f"2017-{month - 12:02d}",
                "item": "bituminous_coal",
                "role": "energy_input",
                "quantity": "10",
                "unit": "t",
            }
        ]
    )
    ingest(base.engine, frame, "authorisation test", "test")
    with Session(base.engine) as session:
        latest = session.scalar(select(func.max(SubmissionRow.id)))
    return f"/api/v1/submissions/{latest}/review"


_fresh_projects = itertools.count(1)


def _project_file(owner: str, **changes: Any) -> dict[str, Any]:
    """A new planned project of ``owner`` (the example project file's figures, renamed)."""
    from tests.projects.conftest import olefins_line

    number = next(_fresh_projects)
    return olefins_line(
        False,
        id=f"authorisation_{number}",
        name_zh=f"授权测试项目{number}",
        owner=owner,
        implementing_entity=owner,
        **changes,
    )


def _project(base: WebBase, own: bool, tail: str = "") -> str:
    """The URL of a new project owned by the enterprise account's enterprise (``own``) or by
    another one."""
    if not isinstance(base, WebBase):
        return f"/api/v1/projects/{'OWN' if own else 'OTHER'}{tail}"  # the test id
    from carbonpeak.projects import parse_project
    from carbonpeak.services.projects import add_project

    project = parse_project(_project_file(base.own if own else base.other), "authorisation")
    add_project(base.engine, project, "authorisation test")
    return f"/api/v1/projects/{project.id}{tail}"


API_CASES = [
    Case("GET", "/api/v1/health", EVERYONE, body=_keys("status", "version")),
    Case("GET", "/api/v1/me", SIGNED_IN, body=_keys("username", "role", "via")),
    Case("GET", "/api/v1/plan", EVERYONE),
    Case("GET", "/api/v1/plan/targets", EVERYONE, body=_rows("id")),
    Case("GET", "/api/v1/plan/tasks", EVERYONE, body=_rows("task", "title_zh")),
    Case("GET", "/api/v1/organisations", SIGNED_IN, body=_rows("id")),
    Case("GET", "/api/v1/tracking", SIGNED_IN),
    Case("GET", "/api/v1/indicators", SIGNED_IN, body=_is_list),
    Case("GET", "/api/v1/intensities", SIGNED_IN, body=_is_list),
    Case("GET", "/api/v1/accounts", SIGNED_IN, body=_is_list),
    Case(
        "GET",
        "/api/v1/accounts",
        OFFICE_ENTERPRISE,
        "/api/v1/accounts?level=enterprise",
        body=_rows("enterprise"),
    ),
    Case("GET", "/api/v1/lineage", SIGNED_IN, "/api/v1/lineage?indicator=co2_emissions&year=2022"),
    Case(
        "GET",
        "/api/v1/lineage",
        OFFICE_ENTERPRISE,
        lambda b: f"/api/v1/lineage?enterprise={b.own}&period=2022",
    ),
    Case(
        "GET",
        "/api/v1/lineage",
        OFFICE,
        lambda b: f"/api/v1/lineage?enterprise={b.other}&period=2022",
    ),
    Case("GET", "/api/v1/lineage", OFFICE, "/api/v1/lineage?level=division&key=26&period=2022"),
    Case("GET", "/api/v1/enterprises", OFFICE_ENTERPRISE, body=PAGE),
    *[
        Case(
            "GET",
            f"/api/v1/enterprises/{{code}}{tail}",
            allowed,
            lambda b, tail=tail, own=own: f"/api/v1/enterprises/{b.own if own else b.other}{tail}",
            body=_keys("code", "accounts") if tail == "" else _is_list,
        )
        for tail in ("", "/accounts", "/benchmark", "/quality")
        for own, allowed in ((True, OFFICE_ENTERPRISE), (False, OFFICE))
    ],
    Case(
        "GET",
        "/api/v1/enterprises/{code}/report",
        OFFICE_ENTERPRISE,
        lambda b: f"/api/v1/enterprises/{b.own}/report?year=2022&format=xlsx",
        body=_xlsx,
    ),
    Case(
        "GET",
        "/api/v1/enterprises/{code}/report",
        OFFICE,
        lambda b: f"/api/v1/enterprises/{b.other}/report?year=2022&format=xlsx",
        body=_xlsx,
    ),
    Case("GET", "/api/v1/submissions", OFFICE_ENTERPRISE, body=PAGE),
    Case(
        "GET",
        "/api/v1/submissions",
        OFFICE,
        lambda b: f"/api/v1/submissions?enterprise={b.other}",
        body=PAGE,
    ),
    Case(
        "POST",
        "/api/v1/submissions",
        OFFICE_ENTERPRISE,
        kwargs=lambda b: _report(b, b.own),
        status=201,
        body=_keys("created", "amended", "unchanged"),
    ),
    Case(
        "POST",
        "/api/v1/submissions",
        OFFICE,
        kwargs=lambda b: _report(b, b.other),
        status=201,
        body=_keys("created", "amended", "unchanged"),
    ),
    Case(
        "POST",
        "/api/v1/submissions/{submission_id}/review",
        OFFICE,
        _submitted,
        lambda _b: {"json": {"decision": "return", "note": "authorisation test"}},
        body=lambda r: r.json()["state"] == "returned",
    ),
    Case(
        "POST",
        "/api/v1/telemetry",
        OFFICE_ENTERPRISE,
        kwargs=lambda _b: {"json": []},
        body=lambda r: r.json() == {"received": 0, "new": 0, "duplicates": 0, "rejected": 0},
    ),
    Case("GET", "/api/v1/telemetry/quality", OFFICE_ENTERPRISE, body=_is_list),
    Case("GET", "/api/v1/warnings", {"office", "econ", "enterprise"}, body=_is_list),
    Case("GET", "/api/v1/tasks", SIGNED_IN, body=_is_list),
    Case(
        "POST",
        "/api/v1/tasks/{task}/progress",
        OFFICE_UNIT,
        "/api/v1/tasks/三(一)1/progress",
        lambda _b: {
            "json": {
                "unit": "经济发展局",
                "reported_on": "2023-12-01",
                "percent_complete": 50,
                "summary": "authorisation test",
            }
        },
        status=201,
        body=lambda r: r.json()["task"] == "三(一)1",
    ),
    Case(
        # 三(五)1 (transport) is not the economic development bureau's: a unit may not report it.
        "POST",
        "/api/v1/tasks/{task}/progress",
        OFFICE,
        "/api/v1/tasks/三(五)1/progress",
        lambda _b: {
            "json": {
                "unit": "建设和交通局",
                "reported_on": "2023-12-01",
                "percent_complete": 50,
                "summary": "authorisation test",
            }
        },
        status=201,
        body=lambda r: r.json()["task"] == "三(五)1",
    ),
    Case(
        "POST",
        "/api/v1/indicators/{indicator}/reports",
        OFFICE_UNIT,
        "/api/v1/indicators/new_energy_capacity/reports",
        lambda _b: {
            "json": {
                "year": 2023,
                "value": 300,
                "unit": "万千瓦",
                "reporting_unit": "经济发展局",
                "reason": "authorisation test",
            }
        },
        status=201,
        body=lambda r: r.json()["indicator"] == "new_energy_capacity",
    ),
    Case("GET", "/api/v1/assessment", OFFICE_UNIT, "/api/v1/assessment?year=2022"),
    Case(
        "GET",
        "/api/v1/reports/base",
        OFFICE,
        "/api/v1/reports/base?year=2022&format=xlsx",
        body=_xlsx,
    ),
    Case("GET", "/api/v1/scenarios", SIGNED_IN, body=_rows("id", "version")),
    Case(
        "GET",
        "/api/v1/scenarios/compare",
        SIGNED_IN,
        "/api/v1/scenarios/compare?ids=baseline&ids=policy&draws=100",
    ),
    Case(
        "GET", "/api/v1/scenarios/{scenario_id}", SIGNED_IN, "/api/v1/scenarios/baseline?draws=100"
    ),
    Case("GET", "/api/v1/users", OFFICE, body=_rows("username", "role", "locked")),
    Case(
        "POST",
        "/api/v1/users",
        OFFICE,
        kwargs=lambda _b: {
            "json": {"username": "new-viewer", "password": "0123456789ab", "role": "viewer"}
        },
        status=201,
        body=lambda r: r.json() == {"username": "new-viewer", "role": "viewer"},
    ),
    Case(
        "POST",
        "/api/v1/users/{username}/active",
        OFFICE,
        "/api/v1/users/transport/active",
        lambda _b: {"json": {"active": True}},
        body=lambda r: r.json() == {"username": "transport", "active": True},
    ),
    Case(
        "POST",
        "/api/v1/users/{username}/unlock",
        OFFICE,
        "/api/v1/users/viewer/unlock",
        body=lambda r: r.json() == {"username": "viewer", "paused_addresses": 0},
    ),
    Case(
        "POST",
        "/api/v1/users/{username}/tokens",
        OFFICE,
        "/api/v1/users/transport/tokens",
        lambda _b: {"json": {"client": "authorisation test"}},
        status=201,
        body=lambda r: r.json()["token"].startswith("cpk_"),
    ),
    # The public portal's data: anyone; publishing: the office (docs/portal.md).
    Case("GET", "/api/v1/portal/publications", EVERYONE, body=_is_list),
    Case("GET", "/api/v1/portal/published", EVERYONE, body=_keys("content")),
    Case("GET", "/api/v1/portal/targets", EVERYONE, body=_is_list),
    Case("GET", "/api/v1/portal/indicators", EVERYONE, body=_is_list),
    Case(
        "POST",
        "/api/v1/portal/publications",
        OFFICE,
        kwargs=lambda _b: {"json": {"period": 2022}},
        status=201,
        body=_keys("period", "version", "sha256"),
    ),
    Case("GET", "/api/v1/notices", SIGNED_IN, body=_keys("unread", "items")),
    Case(
        "POST",
        "/api/v1/notices/{notice_id}/read",
        SIGNED_IN,
        "/api/v1/notices/999999/read",
        status=404,
        body=lambda r: set(r.json()) == ERROR_SHAPE,
    ),
    Case(
        "PUT",
        "/api/v1/notices/contacts",
        OFFICE,
        kwargs=lambda _b: {
            "json": {"recipient_kind": "enterprise", "recipient": "x", "address": "a@b.example"}
        },
        body=_keys("recipient_kind", "recipient"),
    ),
    # The major-project library (api/routers/projects.py): the office and the units see every
    # project, an enterprise its own, viewers none; the office adds and reviews.
    Case("GET", "/api/v1/projects", {"office", "econ", "enterprise"}, body=_rows("id", "owner")),
    Case(
        "POST",
        "/api/v1/projects",
        OFFICE,
        kwargs=lambda b: {"json": _project_file(b.other if isinstance(b, WebBase) else "x")},
        status=201,
        body=_keys("id", "stage"),
    ),
    Case(
        "POST",
        "/api/v1/projects/review",
        OFFICE,
        "/api/v1/projects/review?draws=100",
        lambda b: {"json": _project_file(b.other if isinstance(b, WebBase) else "x")},
    ),
    Case(
        "GET",
        "/api/v1/projects/{project_id}",
        {"office", "econ", "enterprise"},
        lambda b: _project(b, own=True),
        body=_keys("declaration"),
    ),
    Case(
        "GET",
        "/api/v1/projects/{project_id}",
        OFFICE_UNIT,
        lambda b: _project(b, own=False),
        body=_keys("declaration"),
    ),
    Case(
        # A new planned project per call, so each allowed role moves one forward.
        "POST",
        "/api/v1/projects/{project_id}/stage",
        OFFICE_UNIT,
        lambda b: _project(b, own=False, tail="/stage"),
        lambda _b: {"json": {"stage": "in_operation", "on": "2026-10-08"}},
        body=lambda r: r.json()["stage"] == "in_operation",
    ),
    Case(
        "GET",
        "/api/v1/projects/{project_id}/acceptance",
        OFFICE_UNIT,
        "/api/v1/projects/methanol_3_line/acceptance",
    ),
    Case("GET", "/api/v1/budget-pool", OFFICE_UNIT, body=_keys("pools", "ledger")),
    Case("GET", "/api/v1/two-high", OFFICE, body=_is_list),
    Case("GET", "/api/v1/retrofits", OFFICE, body=_is_list),
    # Recorded after the review (api/routers/project_actions.py): unknown ids, so an allowed
    # role is let in and told there is no such thing, in the error shape.
    Case(
        "POST",
        "/api/v1/projects/work-plans/{plan_id}/progress",
        OFFICE_UNIT,
        "/api/v1/projects/work-plans/999999/progress",
        lambda _b: {"json": {"percent": 10, "on": "2026-12-01"}},
        status=404,
        body=lambda r: set(r.json()) == ERROR_SHAPE,
    ),
    Case(
        "POST",
        "/api/v1/projects/reviews/{review_id}/opinion",
        OFFICE,
        "/api/v1/projects/reviews/999999/opinion",
        lambda _b: {"json": {"approve": True, "opinion": "同意", "document": "宁东审〔2026〕9号"}},
        status=404,
        body=lambda r: set(r.json()) == ERROR_SHAPE,
    ),
    Case(
        "POST",
        "/api/v1/budget-pool/closures",
        OFFICE,
        kwargs=lambda _b: {
            "json": {
                "enterprise": "no_such_enterprise",
                "facility": "none",
                "closed_on": "2026-12-01",
                "document": "宁东关〔2026〕9号",
            }
        },
        status=404,
        body=lambda r: set(r.json()) == ERROR_SHAPE,
    ),
    Case(
        "POST",
        "/api/v1/retrofits/{plan_id}/done",
        OFFICE,
        "/api/v1/retrofits/999999/done",
        lambda _b: {"json": {"done_on": "2026-12-01", "document": "宁东验〔2026〕9号"}},
        status=404,
        body=lambda r: set(r.json()) == ERROR_SHAPE,
    ),
    # No such token: the office is let in and told so, in the error shape.
    Case(
        "DELETE",
        "/api/v1/tokens/{token_id}",
        OFFICE,
        "/api/v1/tokens/999999",
        status=404,
        body=lambda r: set(r.json()) == ERROR_SHAPE,
    ),
]

UNCHECKED = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


def _routes(app: FastAPI) -> set[tuple[str, str]]:
    found = set()
    for route in app.routes:
        if isinstance(route, APIRoute) and route.path not in UNCHECKED:
            for method in route.methods - {"HEAD"}:
                found.add((method, route.path))
    return found


PAGE_FORMS = {
    ("POST", "/tasks/progress"): OFFICE_UNIT,
    ("POST", "/indicators/report"): OFFICE_UNIT,
    ("POST", "/admin/users"): OFFICE,
    ("POST", "/admin/tokens"): OFFICE,
    ("POST", "/admin/active"): OFFICE,
    ("POST", "/logout"): SIGNED_IN,
    ("POST", "/projects/review"): OFFICE,
    # After the review (web/project_forms.py): an allowed role's post goes back to its page
    # with what was done or why it was refused (303).
    ("POST", "/projects/progress"): OFFICE_UNIT,
    ("POST", "/projects/opinion"): OFFICE,
    ("POST", "/projects/closure"): OFFICE,
    ("POST", "/projects/retrofit-done"): OFFICE,
}
# The inbox's form: its CSRF check and whose notices it reads are tested in
# tests/services/test_notices.py (the page is in PAGES).
CHECKED_ELSEWHERE = {("GET", "/inbox"), ("POST", "/inbox/{notice_id}/read")}
# Routes anyone may reach: sign-in, set-up, language (assets are plain routes: web/assets.py).
OPEN_PAGES = {
    ("GET", "/login"),
    ("POST", "/login"),
    ("GET", "/setup"),
    ("POST", "/setup"),
    ("GET", "/lang"),
    ("GET", "/reports/download"),
    # The public portal (docs/portal.md; tests/web/test_portal.py).
    ("GET", "/portal"),
    ("GET", "/portal/{page}"),
    ("GET", "/portal/{page}.csv"),
    ("GET", "/portal/{page}.json"),
}


def test_every_route_is_in_the_table(web_app: FastAPI) -> None:
    api = {(c.method, c.route) for c in API_CASES}
    pages = {("GET", path) for path in PAGES}
    covered = api | pages | set(PAGE_FORMS) | OPEN_PAGES | CHECKED_ELSEWHERE | REGISTRY_ROUTES
    assert _routes(web_app) - covered == set()
    assert covered - _routes(web_app) == set()


@pytest.fixture(scope="module")
def changed_base(web_base: WebBase, tmp_path_factory: pytest.TempPathFactory) -> WebBase:
    return copy_base(web_base, tmp_path_factory.mktemp("authorisation"))


class _Ids:
    """Placeholder base for test ids."""

    own = "OWN"
    other = "OTHER"


@pytest.mark.parametrize("case", API_CASES, ids=lambda c: f"{c.method} {c.url(_Ids)}")
def test_api_route_admits_exactly_its_roles(
    case: Case, changed_base: WebBase, plan_document: PlanDocument
) -> None:
    app = changed_base.app(plan_document)
    for role in ROLES:
        client = api_client(app, changed_base, role)
        response = client.request(case.method, case.url(changed_base), **case.kwargs(changed_base))
        if role in case.allowed:
            assert response.status_code == case.status, (role, response.status_code, response.text)
            assert case.body(response), (role, response.text[:500])
        else:
            expected = 401 if role == "anonymous" else 403
            assert response.status_code == expected, (role, response.status_code, response.text)
            assert set(response.json()) == {"error", "message", "file", "problems"}


def _page_url(path: str, base: WebBase) -> list[tuple[str, set[str]]]:
    allowed = {"office" if r.value == "admin" else r.value for r in PAGES[path]}
    allowed = {"econ" if a == "unit" else a for a in allowed}
    if path == "/enterprises/{code}":
        return [(f"/enterprises/{base.own}", allowed), (f"/enterprises/{base.other}", OFFICE)]
    if path == "/projects/{project_id}":
        return [
            (_project(base, own=True).removeprefix("/api/v1"), allowed),
            (_project(base, own=False).removeprefix("/api/v1"), OFFICE_UNIT),
        ]
    if path == "/lineage":
        return [
            ("/lineage?indicator=co2_emissions&year=2022", allowed),
            (f"/lineage?enterprise={base.own}&period=2022", OFFICE_ENTERPRISE),
            ("/lineage?level=division&key=26&period=2022", OFFICE),
        ]
    return [(path, allowed)]


@pytest.fixture(scope="module")
def page_clients(changed_base: WebBase, plan_document: PlanDocument) -> dict[str, TestClient]:
    app = changed_base.app(plan_document)
    return {role: page_client(app, role) for role in ROLES}


@pytest.mark.parametrize("path", sorted(PAGES))
def test_page_admits_exactly_its_roles(
    path: str, changed_base: WebBase, page_clients: dict[str, TestClient]
) -> None:
    for url, allowed in _page_url(path, changed_base):
        for role, client in page_clients.items():
            response = client.get(url)
            if role == "anonymous":
                assert response.status_code == 303, url
                assert response.headers["location"].startswith("/login"), url
            elif role in allowed:
                # An enterprise opening /enterprises is sent to its own page.
                assert response.status_code in (200, 303), (role, url, response.text[:300])
                if response.status_code == 303:
                    assert response.headers["location"] == f"/enterprises/{changed_base.own}"
            else:
                assert response.status_code == 403, (role, url, response.status_code)


def _project_yaml(base: WebBase) -> str:
    import yaml

    return str(yaml.safe_dump(_project_file(base.other), allow_unicode=True))


@pytest.mark.parametrize(("route", "allowed"), sorted(PAGE_FORMS.items()))
def test_forms_need_the_role_and_the_csrf_token(
    route: tuple[str, str], allowed: set[str], changed_base: WebBase, plan_document: PlanDocument
) -> None:
    app = changed_base.app(plan_document)
    path = route[1]
    data = {
        "/tasks/progress": {"task": "三(一)1", "percent_complete": "60", "summary": "form test"},
        "/indicators/report": {
            "indicator": "new_energy_capacity",
            "year": "2026",
            "value": "610",
            "unit": "经济发展局",
            "reason": "form test",
        },
        "/admin/users": {"username": "form-user", "password": "0123456789ab", "role": "viewer"},
        "/admin/tokens": {"username": "viewer", "client": "form test"},
        "/admin/active": {"username": "transport", "active": "true"},
        "/logout": {},
        "/projects/review": {"project": _project_yaml(changed_base), "draws": "100"},
        "/projects/progress": {"project": "no_such", "work_plan": "999999", "percent": "10"},
        "/projects/opinion": {"review": "999999", "approve": "1", "opinion": "x", "document": "d"},
        "/projects/closure": {"enterprise": "no_such", "facility": "none", "document": "d"},
        "/projects/retrofit-done": {"retrofit": "999999", "document": "d"},
    }[path]
    for role in ROLES:
        client = page_client(app, role)
        without = client.post(path, data=data)
        assert without.status_code in (401, 403), (role, path)
        if role == "anonymous":
            continue
        csrf = client.get("/tasks").text.split('name="csrf_token" value="')[1].split('"')[0]
        response = client.post(path, data={**data, "csrf_token": csrf})
        if role in allowed:
            assert response.status_code in (200, 303), (role, path, response.text[:300])
        else:
            assert response.status_code == 403, (role, path)


def test_scoped_lists_hold_only_the_callers_rows(web_base: WebBase, web_app: FastAPI) -> None:
    enterprise = api_client(web_app, web_base, "enterprise")
    listed = enterprise.get("/api/v1/enterprises").json()
    assert [e["code"] for e in listed["items"]] == [web_base.own]
    submissions = enterprise.get("/api/v1/submissions", params={"limit": 500}).json()
    assert submissions["total"] > 0
    assert {s["enterprise"] for s in submissions["items"]} == {web_base.own}
    rows = enterprise.get("/api/v1/accounts", params={"level": "enterprise"}).json()
    assert {r["enterprise"] for r in rows} == {web_base.own}
    quality = enterprise.get("/api/v1/telemetry/quality").json()
    assert {q["enterprise"] for q in quality} <= {web_base.own}
    warnings = enterprise.get("/api/v1/warnings").json()
    assert {w["scope"] for w in warnings} <= {web_base.own}
    lineage = enterprise.get(
        "/api/v1/lineage", params={"indicator": "co2_emissions", "year": 2022}
    ).json()
    assert "enterprises" not in lineage  # the per-enterprise breakdown is the office's
    office = api_client(web_app, web_base, "office")
    assert office.get("/api/v1/enterprises").json()["total"] > 1
    unit = api_client(web_app, web_base, "econ")
    cards = unit.get("/api/v1/assessment", params={"year": 2022}).json()["scorecards"]
    assert [c["unit"] for c in cards] == ["经济发展局"]
    for row in unit.get("/api/v1/warnings").json():
        assert "经济发展局" in row["recipients"]


def test_an_enterprise_cannot_send_another_enterprises_readings(
    web_base: WebBase, web_app: FastAPI
) -> None:
    from carbonpeak.services.telemetry import meters

    registry = meters(web_base.engine)
    foreign = next(m for m in registry.values() if m.enterprise != web_base.own)
    enterprise = api_client(web_app, web_base, "enterprise")
    counts = enterprise.post(
        "/api/v1/telemetry",
        json=[{"meter": foreign.meter, "ts": "2023-12-01T00:00:00+08:00", "value": 1.0}],
    ).json()
    assert counts["new"] == 0
    assert counts["rejected"] == 1


def test_unsafe_api_calls_with_a_session_cookie_need_the_csrf_header(
    web_base: WebBase, web_app: FastAPI
) -> None:
    client = page_client(web_app, "office")
    body = {"json": {"client": "csrf test"}}
    assert client.post("/api/v1/users/viewer/tokens", **body).status_code == 403
    csrf = client.get("/admin").text.split('name="csrf_token" value="')[1].split('"')[0]
    made = client.post("/api/v1/users/viewer/tokens", headers={"X-CSRF-Token": csrf}, **body)
    assert made.status_code == 201
    assert made.json()["token"].startswith("cpk_")


def test_login_throttling_and_lockout(
    tmp_path: Path, web_base: WebBase, plan_document: PlanDocument
) -> None:
    from tests.web.conftest import PASSWORD, login

    base = copy_base(web_base, tmp_path)
    app = base.app(plan_document)
    client = TestClient(app, follow_redirects=False)
    for _ in range(5):
        login(client, "viewer", "wrong password!")
    login(client, "viewer", PASSWORD)  # right password, but the account is locked now
    assert "cp_session" not in client.cookies
    assert client.get("/login?error=locked").status_code == 200
    for _ in range(4):
        login(client, "nobody", "wrong password!")
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    throttled = client.post(
        "/login", data={"username": "office", "password": PASSWORD, "csrf_token": token}
    )
    assert throttled.status_code == 429  # 10 failures from one address in 15 minutes
    assert int(throttled.headers["Retry-After"]) > 0


def test_a_revoked_token_and_a_deactivated_user_are_refused(
    tmp_path: Path, web_base: WebBase, plan_document: PlanDocument
) -> None:
    base = copy_base(web_base, tmp_path)
    app = base.app(plan_document)
    office = api_client(app, base, "office")
    made = office.post("/api/v1/users/viewer/tokens", json={"client": "short-lived"}).json()
    viewer = TestClient(app, headers={"Authorization": f"Bearer {made['token']}"})
    assert viewer.get("/api/v1/me").json()["via"] == "token:short-lived"
    token_id = max(t["id"] for t in _tokens(base))
    assert office.delete(f"/api/v1/tokens/{token_id}").status_code == 200
    assert viewer.get("/api/v1/me").status_code == 401
    assert office.post("/api/v1/users/econ/active", json={"active": False}).status_code == 200
    assert api_client(app, base, "econ").get("/api/v1/me").status_code == 401
    assert (
        TestClient(app, headers={"Authorization": "Bearer cpk_forged"})
        .get("/api/v1/plan")
        .status_code
        == 401
    )


def _tokens(base: WebBase) -> list[dict[str, Any]]:
    from carbonpeak.services.accounts import tokens

    return tokens(base.engine)


def test_passwords_are_argon2_and_tokens_are_stored_hashed(web_base: WebBase) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from carbonpeak.storage import ApiTokenRow, UserRow

    with Session(web_base.engine) as session:
        hashes = session.scalars(select(UserRow.password_hash)).all()
        stored = set(session.scalars(select(ApiTokenRow.token_sha256)).all())
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert not set(web_base.tokens.values()) & stored


def test_report_downloads_follow_the_roles(
    changed_base: WebBase, page_clients: dict[str, TestClient]
) -> None:
    own = f"/reports/download?enterprise={changed_base.own}&year=2022&format=xlsx"
    other = f"/reports/download?enterprise={changed_base.other}&year=2022&format=xlsx"
    base = "/reports/download?year=2022&format=xlsx"
    expected = {
        "anonymous": (303, 303, 303),
        "office": (200, 200, 200),
        "econ": (403, 403, 403),
        "enterprise": (200, 403, 403),
        "viewer": (403, 403, 403),
    }
    for role, client in page_clients.items():
        found = tuple(client.get(url).status_code for url in (own, other, base))
        assert found == expected[role], role
