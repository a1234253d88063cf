"""The caches of the web app: the overview and /api/v1/tracking kept per data version, language
and role (web/views.py, api/routers/tracking.py), and who a session belongs to kept a few
seconds (services/session_cache.py). A data change shows at once, no role gets another role's
view, and a sign-out or a deactivation ends the session at the next request."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
from fastapi.testclient import TestClient
from tests.web.conftest import WebBase, copy_base, page_client
from tests.web.disclosure_check import confidential_cells, leaked

from carbonpeak.plan import PlanDocument
from carbonpeak.services.accounts import principal_for_session
from carbonpeak.services.snapshots import snapshot
from carbonpeak.services.submissions import accept_all, ingest
from carbonpeak.web.views import overview_main

VERSION = re.compile(r'data-version="(\d+)"')
CHART = re.compile(r'id="overview-chart"><script type="application/json">(.*?)</script>', re.S)


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_an_accepted_report_changes_the_cached_overview_and_tracking(
    tmp_path: Path, web_base: WebBase, plan_document: PlanDocument
) -> None:
    base = copy_base(web_base, tmp_path)
    app = base.app(plan_document)
    office = page_client(app, "office")
    before = office.get("/").text
    tracked = office.get("/api/v1/tracking").json()
    assert office.get("/").text == before  # served from the cache: the same page
    report = "enterprise,period,item,role,quantity,unit\n"
    report += f"{base.own},2019-05,bituminous_coal,energy_input,5000,t\n"
    ingest(base.engine, pd.read_csv(io.StringIO(report), dtype=str), "r.csv", "office")
    assert accept_all(base.engine, "office") == 1
    after = office.get("/").text
    version_before, version_after = VERSION.search(before), VERSION.search(after)
    assert version_before is not None and version_after is not None
    assert int(version_after.group(1)) > int(version_before.group(1))
    chart_before, chart_after = CHART.search(before), CHART.search(after)
    assert chart_before is not None and chart_after is not None
    assert "2019" not in chart_before.group(1)
    assert "2019" in chart_after.group(1)  # the new year is in the base's totals
    retracked = office.get("/api/v1/tracking").json()
    assert retracked["data_version"] > tracked["data_version"]


def test_each_role_and_language_gets_its_own_cached_overview(
    tmp_path: Path, web_base: WebBase, plan_document: PlanDocument
) -> None:
    base = copy_base(web_base, tmp_path)  # a store of its own: nothing cached yet
    confidential = confidential_cells(base.engine)
    app = base.app(plan_document)
    office, viewer = page_client(app, "office"), page_client(app, "viewer")
    # The office first, so a cache keyed without the role would hand its view to the viewer.
    office_page = office.get("/").text
    viewer_page = viewer.get("/").text
    assert leaked(office_page, confidential)  # the office sees the confidential values
    assert 'data-confidential="office"' in office_page
    assert leaked(viewer_page, confidential) == []
    assert 'data-confidential="office"' not in viewer_page
    assert 'data-confidential="hidden"' in viewer_page
    # And the other way round, through the API.
    assert leaked(viewer.get("/api/v1/tracking").text, confidential) == []
    assert leaked(office.get("/api/v1/tracking").text, confidential)
    # Each page keeps its user's own name and CSRF token around the shared view.
    assert _csrf(office_page) != _csrf(viewer_page)
    viewer.get("/lang?to=en&next=/")
    english = viewer.get("/").text
    assert ">confidential<" in english
    assert leaked(english, confidential) == []
    assert 'data-confidential="office"' not in english


def test_the_overview_is_rendered_once_per_snapshot_role_and_language(
    web_base: WebBase, plan_document: PlanDocument
) -> None:
    client = page_client(web_base.app(plan_document), "office")
    signed = principal_for_session(web_base.engine, client.cookies["cp_session"])
    assert signed is not None
    current = snapshot(web_base.engine, plan_document.plan)
    first = overview_main(signed[0], current, "zh")
    assert overview_main(signed[0], current, "zh") is first  # sparklines and all, not redone
    assert overview_main(signed[0], current, "en") is not first


def test_a_sign_out_or_a_deactivation_ends_the_session_at_once(
    tmp_path: Path, web_base: WebBase, plan_document: PlanDocument
) -> None:
    base = copy_base(web_base, tmp_path)
    app = base.app(plan_document)
    viewer = page_client(app, "viewer")
    key = viewer.cookies["cp_session"]
    page = viewer.get("/").text  # the session is now remembered
    assert viewer.post("/logout", data={"csrf_token": _csrf(page)}).status_code == 303
    replay = TestClient(app, follow_redirects=False, cookies={"cp_session": key})
    assert replay.get("/").status_code == 303  # to the sign-in: the session is gone
    assert replay.get("/api/v1/tracking").status_code == 401

    viewer = page_client(app, "viewer")
    assert viewer.get("/").status_code == 200
    office = page_client(app, "office")
    answer = office.post(
        "/admin/active",
        data={"username": "viewer", "active": "false", "csrf_token": _csrf(office.get("/").text)},
    )
    assert answer.status_code == 303
    assert viewer.get("/").status_code == 303
    assert viewer.get("/api/v1/tracking").status_code == 401
