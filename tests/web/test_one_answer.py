"""One answer: every target's status and value read the same in `carbonpeak track`, the API,
the overview page, the scenario API and the annual report's data, PDF and XLSX."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI
from openpyxl import load_workbook
from tests.web.conftest import WebBase, api_client, page_client
from typer.testing import CliRunner

from carbonpeak.cli import app
from carbonpeak.plan import PlanDocument
from carbonpeak.reports import render
from carbonpeak.reports.model import format_value
from carbonpeak.services import dashboard
from carbonpeak.services.reports import base_report
from carbonpeak.tracking import in_domain
from carbonpeak.tracking.method import assessment_date, status_label

ROW = re.compile(r'<tr data-target="(?P<id>[a-z0-9_]+)">(?P<cells>.*?)</tr>', re.S)


def _page_rows(html: str) -> dict[str, tuple[str, float | None]]:
    """Each target row of the overview: its status and the value it shows."""
    rows = {}
    for match in ROW.finditer(html):
        status = re.search(r'data-status="([a-z_]+)"', match["cells"])
        value = re.search(r'class="num"[^>]*data-value="([^"]+)"', match["cells"])
        assert status is not None
        rows[match["id"]] = (status.group(1), float(value.group(1)) if value else None)
    return rows


def _latest_year(web_base: WebBase, plan_document: PlanDocument) -> int:
    snap = dashboard.snapshot(web_base.engine, plan_document.plan)
    return max(v.year for v in snap.values if v.period is None)


def test_every_view_gives_the_same_status_and_value(
    web_base: WebBase,
    web_app: FastAPI,
    plan_document: PlanDocument,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan = plan_document.plan
    snap = dashboard.snapshot(web_base.engine, plan)
    expected = {t["id"]: (t["status"], t["value"]) for t in snap.targets}
    assert len(expected) == len(plan.targets)

    # The CLI, on the same store.
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", str(web_base.engine.url))
    monkeypatch.setenv("CARBONPEAK_DATA_DIR", str(web_base.root))
    result = CliRunner().invoke(app, ["track", "--format", "json"])
    assert result.exit_code == 0, result.output
    cli = {t["id"]: (t["status"], t["value"]) for t in json.loads(result.stdout)["targets"]}
    assert cli == expected

    # The API.
    office = api_client(web_app, web_base, "office")
    tracking = office.get("/api/v1/tracking").json()
    api = {t["id"]: (t["status"], t["current_value"]) for t in tracking["targets"]}
    assert api == expected

    # The overview page: the office's equals the snapshot; a viewer's equals the viewer's API,
    # where values a few enterprises make are taken out (test_confidentiality).
    assert _page_rows(page_client(web_app, "office").get("/").text) == {
        target: (status, None if value is None else pytest.approx(value))
        for target, (status, value) in expected.items()
    }
    viewer = api_client(web_app, web_base, "viewer").get("/api/v1/tracking").json()
    seen = {t["id"]: (t["status"], t["current_value"]) for t in viewer["targets"]}
    assert {k: s for k, (s, _) in seen.items()} == {k: s for k, (s, _) in expected.items()}
    assert _page_rows(page_client(web_app, "viewer").get("/").text) == {
        target: (status, None if value is None else pytest.approx(value))
        for target, (status, value) in seen.items()
    }

    # The scenario API: the same probability where a target is judged by the scenario.
    policy = office.get("/api/v1/scenarios/policy").json()
    probabilities = {row["target"]: row["probability"] for row in policy["targets"]}
    for row in snap.targets:
        if row["method"] == "scenario":
            assert row["probability"] == probabilities[row["id"]], row["id"]

    # The annual report of the latest year: its data, its workbook and its PDF.
    year = _latest_year(web_base, plan_document)
    report = base_report(web_base.engine, plan, year=year, current=snap)
    table = next(t for s in report.sections for t in s.tables if t.title_zh == "量化目标进展")
    assert [(r["status"], r["latest"]) for r in table.rows] == [
        (status_label(s), v) for s, v in expected.values()
    ]
    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    rows = list(book["量化目标进展"].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] and str(r[0]).startswith("条款"))
    sheet = [(r[6], r[4]) for r in rows[header + 1 : header + 1 + len(expected)]]
    # Excel keeps 15 significant digits.
    assert sheet == [
        (status_label(s), None if v is None else pytest.approx(v, rel=1e-12))
        for s, v in expected.values()
    ]
    if shutil.which("pdftotext") is not None:
        path = tmp_path / "annual.pdf"
        path.write_bytes(render(report, "pdf"))
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        section = text[text.index("量化目标进展") : text.index("能源消费与碳排放")]
        labels = "|".join(sorted({status_label(s) for s, _ in expected.values()}, key=len)[::-1])
        assert re.findall(labels, section) == [status_label(s) for s, _ in expected.values()]
        compact = "".join(section.split())
        for _, value in expected.values():
            if value is not None:
                assert format_value(float(value), 2) in compact, value


def test_no_tracked_value_outside_its_domain(
    web_base: WebBase, plan_document: PlanDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", str(web_base.engine.url))
    monkeypatch.setenv("CARBONPEAK_DATA_DIR", str(web_base.root))
    result = CliRunner().invoke(app, ["track", "--format", "json"])
    payload = json.loads(result.stdout)
    plan = plan_document.plan
    for row in payload["targets"]:
        indicator = plan.indicator(row["indicator"])
        numbers = [*row["series"].values(), row["latest_value"], row["extrapolated"]]
        if row["achieved_reduction_pct"] is None:
            numbers += [row["value"], row["scenario_median"]]
        for number in numbers:
            if number is not None:
                assert in_domain(indicator.domain, float(number)), (row["id"], number)
        as_of = date.fromisoformat(row["as_of"])
        if as_of > date(row["year"], 12, 31):  # its year has passed: achieved or missed
            allowed = {"achieved", "missed"}
            if as_of < assessment_date(row["year"]):
                allowed.add("awaiting_data")  # its value is not due yet
            assert row["status"] in allowed, row["id"]
            assert row["method"] == "target_year_value", row["id"]


def test_the_page_refuses_an_impossible_indicator_value(
    web_base: WebBase, plan_document: PlanDocument, tmp_path: Path
) -> None:
    from tests.web.conftest import copy_base

    app = copy_base(web_base, tmp_path).app(plan_document)
    client = page_client(app, "econ")
    page = client.get("/tasks").text
    assert 'id="indicator-report"' in page and "绿色工厂数量" in page
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/indicators/report",
        data={
            "indicator": "green_factory_count",
            "year": "2026",
            "value": "4.5",
            "csrf_token": csrf,
        },
    )
    assert response.status_code == 303
    shown = client.get(response.headers["location"]).text
    message = re.search(r'id="message">([^<]+)<', shown)
    assert message is not None
    assert "green_factory_count" in message.group(1)
    assert "whole number" in message.group(1) and "4.5" in message.group(1)


def test_the_api_refuses_an_impossible_indicator_value(web_base: WebBase, web_app: FastAPI) -> None:
    transport = api_client(web_app, web_base, "transport")
    response = transport.post(
        "/api/v1/indicators/rail_freight_share/reports",
        json={"year": 2026, "value": 150, "unit": "percent"},
    )
    assert response.status_code == 422
    text = json.dumps(response.json(), ensure_ascii=False)
    assert "rail_freight_share" in text and "0 to 100" in text and "150" in text
