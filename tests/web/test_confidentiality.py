"""Statistical confidentiality: no confidential cell reaches a role other than the office.

The confidential cells are computed in disclosure_check.py from the enterprise-level accounts
and the rule's reference data, without the services' disclosure module: every division, sector
and base cell of every shown metric, per year and month, made of fewer than 3 enterprises or
with one above the dominance share, and the accounted indicators that are such a cell. Every
aggregate route and page (the list is checked against the app's routes, so a new one cannot be
missed) is then called by every role: for all but the office, no value of a confidential cell
appears in the answer in any form (JSON number, page figure, 万 with two decimals), and every
marked cell is null; the office sees the values, each with its marker and reason. The reports
are read back (XLSX with openpyxl, PDF with pdftotext).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from tests.web.conftest import ROLES, WebBase, api_client, page_client
from tests.web.disclosure_check import Confidential, check_marks, confidential_cells, leaked

from carbonpeak.services.views import SHOWN_METRICS
from carbonpeak.web import PAGES

NON_OFFICE = tuple(r for r in ROLES if r != "office")
UNCHECKED = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}

# Every GET route that answers with an aggregate of enterprises' data, with the URLs called.
AGGREGATE_API: dict[str, tuple[str, ...]] = {
    "/api/v1/tracking": ("/api/v1/tracking",),
    "/api/v1/indicators": ("/api/v1/indicators",),
    "/api/v1/intensities": ("/api/v1/intensities",),
    "/api/v1/accounts": (
        "/api/v1/accounts",
        "/api/v1/accounts?level=sector",
        "/api/v1/accounts?level=division&frequency=month&period=2024",
        "/api/v1/accounts?level=sector&frequency=month&period=2023",
    ),
    "/api/v1/lineage": (
        "/api/v1/lineage?indicator=cement_co2_emissions&year=2023",
        "/api/v1/lineage?indicator=nonferrous_co2_emissions&year=2022",
        "/api/v1/lineage?indicator=calcium_carbide_unit_energy&year=2023",
        "/api/v1/lineage?indicator=co2_emissions&year=2023",
        "/api/v1/lineage?level=division&key=30&period=2023",
        "/api/v1/lineage?level=sector&key=2523&period=2023",
    ),
    "/api/v1/warnings": ("/api/v1/warnings", "/api/v1/warnings?year=2024"),
    "/api/v1/assessment": ("/api/v1/assessment?year=2023", "/api/v1/assessment?year=2024"),
    "/api/v1/scenarios/compare": ("/api/v1/scenarios/compare?ids=baseline&ids=policy&draws=100",),
    "/api/v1/scenarios/{scenario_id}": ("/api/v1/scenarios/baseline?draws=100",),
}
# The base's reports: tested below with their two editions (and read back).
REPORT_API = {"/api/v1/reports/base", "/api/v1/enterprises/{code}/report"}
# GET routes that hold no aggregate of enterprises' data, and why.
NOT_AGGREGATE_API: dict[str, str] = {
    "/api/v1/health": "liveness and version",
    "/api/v1/me": "the caller's own account",
    "/api/v1/plan": "the plan as issued (public)",
    "/api/v1/plan/targets": "the plan's targets as issued (public)",
    "/api/v1/plan/tasks": "the plan's tasks as issued (public)",
    "/api/v1/organisations": "the plan's departments and companies",
    "/api/v1/enterprises": "the registry: the office's, or the enterprise's own entry",
    "/api/v1/enterprises/{code}": "one enterprise's own data: the office's and its own",
    "/api/v1/enterprises/{code}/accounts": "one enterprise's own accounts",
    "/api/v1/enterprises/{code}/benchmark": "one enterprise's own benchmark position",
    "/api/v1/enterprises/{code}/quality": "one enterprise's own monitoring quality",
    "/api/v1/submissions": "report records: the office's, or the enterprise's own",
    "/api/v1/telemetry/quality": "per enterprise and month: the office's, or the enterprise's own",
    "/api/v1/tasks": "task progress reported by responsible units (no enterprise data)",
    "/api/v1/scenarios": "the scenario files' names and versions",
    "/api/v1/users": "accounts (the office's)",
    "/api/v1/portal/publications": "the list of published versions (no figures)",
    "/api/v1/portal/published": "published content: tests/web/test_portal.py searches it",
    "/api/v1/portal/targets": "published content: tests/web/test_portal.py searches it",
    "/api/v1/portal/indicators": "published content: tests/web/test_portal.py searches it",
    "/api/v1/notices": "the caller's own notices (a unit gets budget levels, not forecasts)",
    # The major-project library (api/routers/projects.py): per project, per facility; the
    # office and units see all, an enterprise its own projects, viewers nothing. Checked for
    # leaks below (test_the_project_routes_leak_no_confidential_cell).
    "/api/v1/projects": "projects: every one for the office and units, an enterprise its own",
    "/api/v1/projects/{project_id}": "one project: the office's, the units', its owner's",
    "/api/v1/projects/{project_id}/acceptance": "one project's acceptance: office and units",
    "/api/v1/budget-pool": "the base's budget pool and its ledger of projects: office and units",
    "/api/v1/two-high": "the two-high register, per facility: the office's",
    "/api/v1/retrofits": "the retrofit plans, per enterprise: the office's",
    # The registry, the review queue and evidence (api/routers/registry.py): the office's, or
    # one enterprise's own record (require(A, E) checks it is the caller's), no aggregates.
    "/api/v1/registry/enterprises": "the registry: the office's",
    "/api/v1/registry/enterprises/{code}": "one enterprise's record: the office's, its own",
    "/api/v1/registry/history": "the registry's history: the office's",
    "/api/v1/registry-template": "the empty registry template: the office's",
    "/api/v1/key-units": "key energy-using units, per enterprise: the office's",
    "/api/v1/review-queue": "the submissions to review: the office's",
    "/api/v1/review-queue/late": "the late reporters: the office's",
    "/api/v1/registry-events": "returned reports and reminders: the office's, an enterprise's own",
    "/api/v1/evidence": "evidence files: the office's, the reporting unit's or enterprise's own",
    "/api/v1/evidence/{evidence_id}": "one evidence file: the office's, its owner's",
}
AGGREGATE_PAGES: dict[str, tuple[str, ...]] = {
    "/": ("/",),
    "/energy": (
        "/energy",
        "/energy?level=sector",
        "/energy?frequency=month&period=2024",
        "/energy?level=sector&frequency=month&period=2023",
    ),
    "/lineage": (
        "/lineage?indicator=cement_co2_emissions&year=2023",
        "/lineage?indicator=calcium_carbide_unit_energy&year=2023",
        "/lineage?level=division&key=30&period=2023",
    ),
    "/warnings": ("/warnings",),
    "/assessment": ("/assessment?year=2024",),
    "/scenarios": ("/scenarios",),
    "/reports": ("/reports",),
}
NOT_AGGREGATE_PAGES: dict[str, str] = {
    "/enterprises": "the registry with each enterprise's own latest year: the office's only",
    "/enterprises/{code}": "one enterprise's own data: the office's and its own",
    "/quality": "monitoring quality per enterprise: the office's, or the enterprise's own",
    "/tasks": "task progress (no enterprise data)",
    "/admin": "accounts and tokens (the office's)",
    "/login": "sign-in",
    "/setup": "first set-up",
    "/lang": "language switch",
    "/control-room": "the office's screen (its role is checked in tests/web/test_authorisation.py)",
    "/reports/download": "the reports: tested below with their two editions",
    "/inbox": "the caller's own notices (a unit gets budget levels, not forecasts)",
    "/projects": "the project library and the budget pool: as /api/v1/projects",
    "/projects/{project_id}": "one project: as /api/v1/projects/{project_id}",
    "/projects/register": "the two-high register and retrofit plans: the office's",
    "/projects/review": "the review form: the office's",
    "/registry": "the registry: the office's",
    "/registry/{code}": "one enterprise's record: the office's",
    "/registry/template.xlsx": "the empty registry template: the office's",
    "/review": "the review queue: the office's",
    "/workspace": "the caller's own workspace: its reports, targets and tasks",
    "/workspace/template.xlsx": "the caller's own report template",
    "/evidence/{evidence_id}": "one evidence file: the office's, its owner's",
    "/portal": "published content: tests/web/test_portal.py searches every page",
    "/portal/{page}": "published content: tests/web/test_portal.py searches every page",
    "/portal/{page}.csv": "published content: tests/web/test_portal.py searches it",
    "/portal/{page}.json": "published content: tests/web/test_portal.py searches it",
}


def _get_routes(app: FastAPI) -> set[str]:
    return {
        route.path
        for route in app.routes
        if isinstance(route, APIRoute) and "GET" in route.methods and route.path not in UNCHECKED
    }


def test_every_route_is_classified(web_app: FastAPI) -> None:
    """A new GET route fails here until it is listed as an aggregate (and checked) or not."""
    classified = (
        set(AGGREGATE_API)
        | REPORT_API
        | set(NOT_AGGREGATE_API)
        | set(AGGREGATE_PAGES)
        | set(NOT_AGGREGATE_PAGES)
    )
    assert _get_routes(web_app) - classified == set()
    assert classified - _get_routes(web_app) == set()
    assert set(PAGES) <= set(AGGREGATE_PAGES) | set(NOT_AGGREGATE_PAGES)


@pytest.fixture(scope="module")
def confidential(web_base: WebBase) -> Confidential:
    return confidential_cells(web_base.engine)


def test_the_demo_has_confidential_cells_and_a_disclosable_base(
    confidential: Confidential,
) -> None:
    cells = confidential.cells
    assert ("sector", "2523", "2023", "energy_consumption_tce") in cells  # the one CTL plant
    assert ("division", "25", "2023", "energy_consumption_tce") in cells  # dominated by it
    assert ("division", "30", "2023", "co2_net_t") in cells  # the one cement plant
    assert ("division", "26", "2023", "energy_consumption_tce") not in cells
    for year in ("2020", "2021", "2022", "2023", "2024"):
        for metric in ("energy_consumption_tce", "co2_net_t", "coal_t"):
            assert ("base", "", year, metric) not in cells  # the base-wide totals are shown
    assert ("cement_co2_emissions", 2023) in confidential.indicators


# -- the API and the pages, every role -----------------------------------------------------------


@pytest.fixture(scope="module")
def clients(web_base: WebBase, web_app: FastAPI) -> dict[str, TestClient]:
    return {role: api_client(web_app, web_base, role) for role in ROLES}


@pytest.fixture(scope="module")
def pages(web_base: WebBase, web_app: FastAPI) -> dict[str, TestClient]:
    return {role: page_client(web_app, role) for role in ROLES}


API_URLS = [url for urls in AGGREGATE_API.values() for url in urls]
PAGE_URLS = [url for urls in AGGREGATE_PAGES.values() for url in urls]


@pytest.mark.parametrize("url", API_URLS)
def test_no_confidential_cell_reaches_a_non_office_role_through_the_api(
    url: str, clients: dict[str, TestClient], confidential: Confidential, web_base: WebBase
) -> None:
    for role in NON_OFFICE:
        response = clients[role].get(url)
        assert response.status_code in (200, 401, 403, 404), (role, response.text[:300])
        own = web_base.own if role == "enterprise" else None
        assert leaked(response.text, confidential, own) == [], (role, url)
        if response.status_code == 200:
            check_marks(response.json(), office=False)


@pytest.mark.parametrize("url", API_URLS)
def test_the_office_sees_every_cell_with_its_marker(
    url: str, clients: dict[str, TestClient], confidential: Confidential
) -> None:
    response = clients["office"].get(url)
    assert response.status_code == 200, response.text[:300]
    marked = check_marks(response.json(), office=True)
    if url.startswith(("/api/v1/accounts", "/api/v1/tracking", "/api/v1/indicators")):
        assert marked > 0  # the office is told which cells are confidential …
        assert leaked(response.text, confidential)  # … and sees their values


def test_marked_cells_are_the_confidential_ones_and_none_is_recoverable(
    clients: dict[str, TestClient], confidential: Confidential
) -> None:
    """The cells computed here are marked; and among what a viewer gets, no sector total
    relation or row identity has exactly one hidden cell."""
    for frequency, period in (("year", None), ("month", "2023")):
        params = {"frequency": frequency} | ({"period": period} if period else {})
        got = {
            level: {
                role: clients[role].get("/api/v1/accounts", params={"level": level} | params).json()
                for role in ("office", "viewer")
            }
            for level in ("division", "sector")
        }
        for level in ("division", "sector"):
            for row in got[level]["office"]:
                for metric in SHOWN_METRICS:
                    if (level, row[level], row["period"], metric) in confidential.cells:
                        assert metric in row["confidential_reasons"], (level, row, metric)
                        assert row[metric] is not None
            for row in got[level]["viewer"]:
                for identity in (
                    ("energy_gross_tce", "energy_consumption_tce", "feedstock_energy_tce"),
                    (
                        "co2_net_t",
                        "co2_combustion_t",
                        "co2_process_t",
                        "co2_indirect_t",
                        "co2_captured_t",
                    ),
                ):
                    assert sum(row[m] is None for m in identity) != 1, (row, identity)
        divisions = {(r["division"], r["period"]): r for r in got["division"]["viewer"]}
        for (division, when), total in divisions.items():
            sectors = [
                r
                for r in got["sector"]["viewer"]
                if r["sector"][:2] == division and r["period"] == when
            ]
            for metric in SHOWN_METRICS:
                hidden = [total[metric] is None] + [r[metric] is None for r in sectors]
                assert sum(hidden) != 1, (division, when, metric)
    indicators = clients["viewer"].get("/api/v1/indicators").json()
    for row in indicators:
        if (row["indicator"], row["year"]) in confidential.indicators:
            assert row["value"] is None, row
            assert row["confidential"] is True


@pytest.mark.parametrize("url", PAGE_URLS)
def test_no_confidential_cell_reaches_a_non_office_role_on_the_pages(
    url: str, pages: dict[str, TestClient], confidential: Confidential, web_base: WebBase
) -> None:
    for role in NON_OFFICE:
        response = pages[role].get(url)
        assert response.status_code in (200, 303, 403), (role, url, response.status_code)
        own = web_base.own if role == "enterprise" else None
        assert leaked(response.text, confidential, own) == [], (role, url)
        if response.status_code == 200:
            assert 'data-confidential="office"' not in response.text
            assert not re.search(
                r'data-confidential="(few_contributors|dominance|comp)', response.text
            )


def test_pages_say_保密_and_the_office_is_told_why(
    pages: dict[str, TestClient], confidential: Confidential
) -> None:
    viewer = pages["viewer"].get("/energy?level=sector").text
    assert 'class="num confidential"' in viewer
    assert "保密" in viewer
    office = pages["office"].get("/energy?level=sector").text
    assert 'data-confidential="few_contributors"' in office
    assert leaked(office, confidential)  # the office sees the values themselves
    english = pages["viewer"]
    english.get("/lang?to=en&next=/energy")
    assert ">confidential<" in english.get("/energy?level=sector").text
    english.get("/lang?to=zh&next=/energy")
    overview = pages["viewer"].get("/").text
    assert "保密" in overview  # the cement and non-ferrous targets' values


# -- reports -------------------------------------------------------------------------------------

REPORTS = ("year=2023", "month=2024-06")


@pytest.mark.parametrize("which", REPORTS)
def test_base_report_editions(
    which: str,
    clients: dict[str, TestClient],
    pages: dict[str, TestClient],
    confidential: Confidential,
) -> None:
    for role in NON_OFFICE:  # the base's reports are the office's to download and publish
        assert clients[role].get(f"/api/v1/reports/base?{which}&format=xlsx").status_code in (
            401,
            403,
        )
        assert pages[role].get(f"/reports/download?{which}&format=xlsx").status_code in (303, 403)
    office = clients["office"].get(f"/api/v1/reports/base?{which}&format=xlsx")
    public = clients["office"].get(f"/api/v1/reports/base?{which}&format=xlsx&public=true")
    assert office.status_code == public.status_code == 200
    office_text, office_flags = _workbook_text(office.content)
    public_text, _ = _workbook_text(public.content)
    assert leaked(office_text, confidential)  # the office's edition keeps the values …
    assert any("企业数少于保密阈值" in flag for flag in office_flags)  # … and says which
    assert not any(re.search(r"[a-z]_[a-z]", flag) for flag in office_flags)  # by name
    assert leaked(public_text, confidential) == []
    assert "保密" in public_text
    page_public = pages["office"].get(f"/reports/download?{which}&format=xlsx&public=true")
    assert leaked(_workbook_text(page_public.content)[0], confidential) == []


def _workbook_text(content: bytes) -> tuple[str, list[str]]:
    """Every cell of a workbook as text (numbers in full precision), and the 保密 column."""
    book = load_workbook(io.BytesIO(content))
    cells: list[str] = []
    flags: list[str] = []
    for sheet in book.worksheets:
        header: tuple[Any, ...] = ()
        for row in sheet.iter_rows(values_only=True):
            cells.extend(repr(v) if isinstance(v, float) else str(v) for v in row if v is not None)
            if any(str(v).startswith("保密 ") for v in row if v is not None):
                header = row
            elif header and "保密 Confidential" in [str(h) for h in header]:
                flags.append(str(row[[str(h) for h in header].index("保密 Confidential")] or ""))
    return "\n".join(cells), flags


def test_an_enterprises_own_report_holds_no_one_elses_confidential_cell(
    clients: dict[str, TestClient], web_base: WebBase, confidential: Confidential
) -> None:
    response = clients["enterprise"].get(
        f"/api/v1/enterprises/{web_base.own}/report", params={"year": 2023, "format": "xlsx"}
    )
    assert response.status_code == 200
    text, _ = _workbook_text(response.content)
    assert leaked(text, confidential, web_base.own) == []


@pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="poppler-utils (pdftotext) not installed; CI installs it",
)
def test_the_public_pdf_withholds_the_confidential_cells(
    clients: dict[str, TestClient], confidential: Confidential, tmp_path: Path
) -> None:
    texts = {}
    for edition, extra in (("office", ""), ("public", "&public=true")):
        response = clients["office"].get(f"/api/v1/reports/base?year=2023&format=pdf{extra}")
        assert response.status_code == 200
        path = tmp_path / f"{edition}.pdf"
        path.write_bytes(response.content)
        texts[edition] = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    assert leaked(texts["office"], confidential)
    assert "保密" in texts["office"]
    assert leaked(texts["public"], confidential) == []
    assert "保密" in texts["public"]
    assert "公开版" in texts["public"]


def test_the_api_shape_is_documented() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "web.md").read_text(encoding="utf-8")
    for word in ("confidential_metrics", "confidential_reasons", "confidential_years", "保密"):
        assert word in docs


PROJECT_URLS = (
    "/api/v1/projects",
    "/api/v1/budget-pool",
    "/api/v1/two-high",
    "/api/v1/retrofits",
    "/projects",
    "/projects/register",
)


@pytest.mark.parametrize("url", PROJECT_URLS)
def test_the_project_routes_leak_no_confidential_cell(
    url: str,
    clients: dict[str, TestClient],
    pages: dict[str, TestClient],
    confidential: Confidential,
    web_base: WebBase,
) -> None:
    """The project library's lists are per project and facility, not aggregates, but they must
    not carry a confidential cell's value to a role other than the office either."""
    callers = clients if url.startswith("/api/") else pages
    for role in NON_OFFICE:
        response = callers[role].get(url)
        assert response.status_code in (200, 303, 401, 403), (role, url, response.status_code)
        own = web_base.own if role == "enterprise" else None
        assert leaked(response.text, confidential, own) == [], (role, url)
