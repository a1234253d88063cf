"""The anonymous portal shows published values only: a value that changes after publication does
not move the portal until the office publishes again, as a new version with a reason; every
version stays readable; nothing confidential is ever published."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from fastapi.testclient import TestClient
from tests.web.disclosure_check import confidential_cells, leaked
from tests.web.portal_base import PortalBase, api_client, page_client
from typer.testing import CliRunner

from carbonpeak.cli import app as cli_app
from carbonpeak.plan import PlanDocument
from carbonpeak.services import dashboard
from carbonpeak.services.indicator_reports import report_indicator
from carbonpeak.services.portal import PUBLIC, public_content, published
from carbonpeak.services.scoped import indicators_for, tracking_for

INDICATOR, YEAR = "new_energy_capacity", 2021


def _portal_value(client: TestClient, **query: object) -> float:
    """The published value of INDICATOR in YEAR, as the portal's JSON download gives it."""
    rows = client.get("/portal/indicators.json", params={"indicator": INDICATOR, **query}).json()
    [row] = [r for r in rows if r["year"] == YEAR]
    return float(row["value"])


def _shown(client: TestClient, **query: object) -> str:
    page = client.get("/portal/indicators", params={"indicator": INDICATOR, **query})
    assert page.status_code == 200
    return page.text


def test_the_portal_moves_only_when_the_office_publishes(
    fresh: PortalBase, plan_document: PlanDocument
) -> None:
    app = fresh.app(plan_document)
    anonymous = page_client(app, "anonymous")
    office = api_client(app, fresh, "office")
    assert "nothing-published" in anonymous.get("/portal").text
    assert api_client(app, fresh, "anonymous").get("/api/v1/portal/targets").json() == []

    first = office.post("/api/v1/portal/publications", json={"period": YEAR})
    assert first.status_code == 201, first.text
    before = _portal_value(anonymous)
    assert f'data-value="{before}"' in _shown(anonymous)

    # A unit corrects the value: the signed-in pages see it at once, the portal does not.
    report_indicator(
        fresh.engine,
        plan_document.plan,
        INDICATOR,
        YEAR,
        before + 23.5,
        "万千瓦",
        "economic_development_bureau",
        "econ",
        reason="统计口径更正",
    )
    live = api_client(app, fresh, "office").get(
        "/api/v1/indicators", params={"indicator": INDICATOR, "year": YEAR}
    )
    assert live.json()[0]["value"] == before + 23.5
    assert _portal_value(anonymous) == before
    assert f'data-value="{before + 23.5}"' not in _shown(anonymous)
    api_rows = api_client(app, fresh, "anonymous").get("/api/v1/portal/indicators").json()
    assert [r["value"] for r in api_rows if (r["indicator"], r["year"]) == (INDICATOR, YEAR)] == [
        before
    ]

    # Publishing again needs a reason; then the portal moves, and the first version stays.
    refused = office.post("/api/v1/portal/publications", json={"period": YEAR})
    assert refused.status_code == 409
    second = office.post(
        "/api/v1/portal/publications", json={"period": YEAR, "reason": "新能源装机更正"}
    )
    assert second.status_code == 201, second.text
    assert (second.json()["version"], second.json()["supersedes_version"]) == (2, 1)
    assert _portal_value(anonymous) == before + 23.5
    assert f'data-value="{before + 23.5}"' in _shown(anonymous)
    assert _portal_value(anonymous, period=YEAR, version=1) == before
    old = _shown(anonymous, period=YEAR, version=1)
    assert f'data-value="{before}"' in old and "superseded" in old
    versions = anonymous.get("/portal/versions").text
    assert 'data-version="1"' in versions and "新能源装机更正" in versions
    # Publishing the same values again changes nothing and is refused.
    same = office.post("/api/v1/portal/publications", json={"period": YEAR, "reason": "再次"})
    assert same.status_code == 409


def test_published_content_is_the_one_answer_with_nothing_confidential(
    fresh: PortalBase, plan_document: PlanDocument
) -> None:
    plan = plan_document.plan
    content = public_content(fresh.engine, plan, YEAR)
    snap = dashboard.snapshot(fresh.engine, plan)
    # Values: exactly those a reader outside the office is shown, no confidential one.
    public = {
        (r["indicator"], r["year"]): r["value"]
        for r in indicators_for(PUBLIC, snap, None, None)
        if r["value"] is not None and r["year"] <= YEAR
    }
    assert {(r["indicator"], r["year"]): r["value"] for r in content["indicators"]} == public
    hidden = {
        (r["indicator"], r["year"])
        for r in indicators_for(PUBLIC, snap, None, None)
        if r["confidential"]
    }
    assert not hidden & {(r["indicator"], r["year"]) for r in content["indicators"]}
    # Statuses: the overview's (the snapshot's track_targets), not computed again.
    overview = {t["id"]: t["status"] for t in tracking_for(PUBLIC, snap)["targets"]}
    assert {t["id"]: t["status"] for t in content["targets"]} == overview
    for target in content["targets"]:
        assert all(int(year) <= YEAR for year in target["series"])


def test_no_confidential_cell_reaches_the_portal(
    fresh: PortalBase, plan_document: PlanDocument
) -> None:
    """Every page, download and API answer of a publication, searched for the value of every
    confidential cell in any form (computed without the services' disclosure module)."""
    confidential = confidential_cells(fresh.engine)
    assert confidential.indicators  # the small demo has confidential indicator values
    app = fresh.app(plan_document)
    assert (
        api_client(app, fresh, "office")
        .post("/api/v1/portal/publications", json={"period": YEAR})
        .status_code
        == 201
    )
    anonymous = page_client(app, "anonymous")
    urls = [f"/portal/{page}{suffix}" for page in ("targets", "indicators", "versions")
            for suffix in ("", ".csv", ".json")]  # fmt: skip
    urls += ["/portal", "/portal/home.csv", "/api/v1/portal/published"]
    urls += [f"/portal/indicators?indicator={name}" for name, _year in confidential.indicators]
    for url in urls:
        response = anonymous.get(url)
        assert response.status_code in (200, 404), url
        assert leaked(response.text, confidential) == [], url


def test_every_portal_page_is_public_with_csv_and_json(
    fresh: PortalBase, plan_document: PlanDocument
) -> None:
    app = fresh.app(plan_document)
    office = api_client(app, fresh, "office")
    assert office.post("/api/v1/portal/publications", json={"period": YEAR}).status_code == 201
    anonymous = page_client(app, "anonymous")
    for page in ("targets", "indicators", "plan", "versions"):
        html = anonymous.get(f"/portal/{page}")
        assert html.status_code == 200, page
        assert f'href="/portal/{page}.csv"' in html.text
        table = anonymous.get(f"/portal/{page}.csv")
        assert table.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(table.text.lstrip("\ufeff"))))
        assert rows == [
            {k: ("" if v is None else str(v)) for k, v in r.items()}
            for r in anonymous.get(f"/portal/{page}.json").json()
        ], page
        assert rows, page
    home = anonymous.get("/portal")
    assert "知情权" in home.text and 'data-status="' in home.text
    statuses = published(fresh.engine)
    assert statuses is not None and statuses["version"] == 1
    english = TestClient(app, headers={"Accept": "text/html"}, cookies={"cp_lang": "en"})
    assert "Targets and progress" in english.get("/portal/targets").text
    # Only the office publishes.
    for username, status in (("anonymous", 401), ("viewer", 403), ("econ", 403)):
        refused = api_client(app, fresh, username).post(
            "/api/v1/portal/publications", json={"period": YEAR, "reason": "x"}
        )
        assert refused.status_code == status, username
    assert anonymous.get("/portal?period=2019&version=9").status_code == 404


def test_the_cli_publishes_a_period(fresh: PortalBase, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {**os.environ, "CARBONPEAK_DATABASE_URL": f"sqlite:///{fresh.root / 'carbonpeak.db'}"}
    done = runner.invoke(cli_app, ["publish", "indicators", "--period", str(YEAR)], env=env)
    assert done.exit_code == 0, done.output
    assert f"{YEAR} v1 published" in done.output
    again = runner.invoke(cli_app, ["publish", "indicators", "--period", str(YEAR)], env=env)
    assert again.exit_code != 0
    future = runner.invoke(cli_app, ["publish", "indicators", "--period", "2030"], env=env)
    assert future.exit_code != 0 and "2030" in future.output
    listed = runner.invoke(cli_app, ["publish", "list", "--format", "json"], env=env)
    assert '"version": 1' in listed.output
    due = runner.invoke(
        cli_app, ["notices", "send-due", "--date", "2022-02-11", "--format", "json"], env=env
    )
    assert due.exit_code == 0, due.output
    notices = runner.invoke(cli_app, ["notices", "list", "--to", "office", "-f", "json"], env=env)
    assert "late_reporters" in notices.output
