"""The registry and the workspaces in a real browser (Playwright, Debian's chromium), on a copy
of the demo store: the office registers an enterprise and its account; the enterprise downloads
its template, uploads a report with an error and sees the row and field, fixes it and submits;
the office returns it with a note; the enterprise sees the note, amends with a reason and
resubmits; the office accepts, and the overview's totals move by the report's own account. A
unit attaches evidence to a task report and the office downloads the same bytes. Every new page
is saved per role as artifacts/screenshots/registry-*.png."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from openpyxl import load_workbook
from tests.services.registry_helpers import credit_code
from tests.web.conftest import PASSWORD, WebBase, copy_base

from carbonpeak.accounting.template import REPORT_SHEET
from carbonpeak.plan import PlanDocument

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not on PATH")
ARTIFACTS = Path(os.environ.get("CARBONPEAK_ARTIFACTS", Path(__file__).parents[2] / "artifacts"))
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CODE = "nd_new_chem"
USER = "newchem"
EVIDENCE = b"%PDF-1.4\n% task evidence\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live(
    web_base: WebBase, tmp_path_factory: pytest.TempPathFactory, plan_document: PlanDocument
) -> Iterator[str]:
    base = copy_base(web_base, tmp_path_factory.mktemp("registry-browser"))
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(base.app(plan_document), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def page(live: str) -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True
        )
        errors: list[str] = []
        opened = context.new_page()
        opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        yield opened
        # The refused upload (422) and the refused pages (403) are meant; nothing else may fail.
        expected = ("favicon", "status of 422", "status of 403")
        assert [e for e in errors if not any(x in e for x in expected)] == []
        browser.close()


def _sign_in(page: Any, url: str, username: str, password: str = PASSWORD) -> None:
    if page.locator("form[action='/logout'] button").count():
        page.click("form[action='/logout'] button")
        page.wait_for_url(url + "/login")
    page.goto(url + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(url + "/")


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"registry-{name}.png"), full_page=True)


def _energy_by_year(page: Any, url: str) -> dict[str, float]:
    """The overview chart's energy series (万tce per year), as the page draws it."""
    page.goto(url + "/")
    figure = json.loads(page.locator("#overview-chart script").text_content())
    energy = figure["data"][0]
    return {str(x).split(" ")[0]: y for x, y in zip(energy["x"], energy["y"], strict=True)}


def _fill_report(template: Path, target: Path, quantity: object) -> None:
    """Fill the downloaded template as a clerk would: coal burnt in the boiler in June 2024."""
    book = load_workbook(template)
    sheet = book[REPORT_SHEET]
    header = [c.value for c in sheet[1]]
    row = {h.split(" ")[0]: i + 1 for i, h in enumerate(header)}
    assert sheet.cell(2, row["企业代码"]).value == CODE
    assert sheet.cell(2, row["装置"]).value == "boiler"  # pre-filled from the registry
    sheet.cell(2, row["期间"]).value = "2024-06"
    sheet.cell(2, row["品种"]).value = "bituminous_coal"
    sheet.cell(2, row["类别"]).value = "energy_input"
    sheet.cell(2, row["用途"]).value = "fuel"
    sheet.cell(2, row["数量"]).value = quantity
    sheet.cell(2, row["单位"]).value = "t"
    book.save(target)


def _upload(page: Any, file: Path, reason: str = "") -> None:
    page.set_input_files("#upload-report input[name=file]", str(file))
    page.fill("#upload-report input[name=reason]", reason)
    page.click("#upload-report button[type=submit]")
    page.wait_for_load_state()


def test_register_report_return_amend_accept_and_evidence(
    live: str, page: Any, tmp_path: Path
) -> None:
    url = live
    # -- the office registers the enterprise, a facility and its account ---------------------
    _sign_in(page, url, "office")
    before = _energy_by_year(page, url)
    page.goto(url + "/registry")
    _shot(page, "office-registry")
    page.fill("#new-enterprise input[name=code]", CODE)
    page.fill("#new-enterprise input[name=credit_code]", credit_code("4242"))
    page.fill("#new-enterprise input[name=name_zh]", "宁东新材料化工有限公司")
    page.fill("#new-enterprise input[name=name_en]", "Ningdong New Materials Chemicals")
    page.select_option("#new-enterprise select[name=sector]", "2614")
    page.click("#new-enterprise button[type=submit]")
    page.wait_for_url(f"{url}/registry/{CODE}?*")
    page.click("#add-facility >> xpath=.. >> summary")
    page.fill("#add-facility input[name=code]", "boiler")
    page.fill("#add-facility input[name=name_zh]", "动力锅炉")
    page.fill("#add-facility input[name=capacity]", "220")
    page.fill("#add-facility input[name=capacity_unit]", "t/h")
    page.click("#add-facility button[type=submit]")
    page.wait_for_url(f"{url}/registry/{CODE}?*")
    assert page.locator('#facilities tr[data-facility="boiler"]').count() == 1
    page.fill("#create-user input[name=username]", USER)
    page.fill("#create-user input[name=password]", PASSWORD)
    page.click("#create-user button[type=submit]")
    page.wait_for_url(f"{url}/registry/{CODE}?*")
    assert USER in page.locator("#accounts").inner_text()
    assert page.locator('#history tr[data-event="opened"]').count() == 2
    _shot(page, "office-enterprise")

    # -- the enterprise: template, an upload with an error, the fix, submit --------------------
    _sign_in(page, url, USER)
    page.goto(url + "/workspace")
    assert page.locator("#this-month-state").get_attribute("data-state") == "missing"
    with page.expect_download() as download:
        page.click("#template-link")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    broken = tmp_path / "june-broken.xlsx"
    _fill_report(template, broken, "一千二百")
    _upload(page, broken)
    problem = page.locator("#problem-table tbody tr").first
    assert (problem.get_attribute("data-row"), problem.get_attribute("data-field")) == (
        "2",
        "quantity",
    )
    assert "一千二百" in problem.inner_text()
    assert page.locator("#reports tr[data-submission]").count() == 0  # nothing written
    _shot(page, "enterprise-upload-problems")
    fixed = tmp_path / "june.xlsx"
    _fill_report(template, fixed, 1200)
    _upload(page, fixed)
    assert page.locator("#message").inner_text().startswith("✓")
    page.click("#reports tr[data-state=draft] button.submit-draft")
    page.wait_for_load_state()
    assert page.locator("#reports tr[data-submission]").first.get_attribute("data-state") == (
        "submitted"
    )

    # -- the office returns it with a note ---------------------------------------------------
    _sign_in(page, url, "office")
    page.goto(url + "/review")
    row = page.locator(f'#queue tr[data-enterprise="{CODE}"]')
    assert row.get_attribute("data-state") == "submitted"
    page.fill("#decide input[name=note]", "燃煤量与入厂煤台账不符，请核对")
    page.click("#return-button")
    page.wait_for_url(f"{url}/review?*")
    _shot(page, "office-review")

    # -- the enterprise sees the note, amends with a reason and resubmits ---------------------
    _sign_in(page, url, USER)
    page.goto(url + "/workspace")
    assert "燃煤量与入厂煤台账不符" in page.locator("#returned .office-note").inner_text()
    assert "燃煤量与入厂煤台账不符" in page.locator("#notices").inner_text()
    _shot(page, "enterprise-workspace-returned")
    amended = tmp_path / "june-v2.xlsx"
    _fill_report(template, amended, 1300)
    _upload(page, amended, reason="按入厂煤台账更正")
    page.click("#reports tr[data-state=draft] button.submit-draft")
    page.wait_for_load_state()
    latest = page.locator("#reports tr[data-submission]").first
    assert latest.get_attribute("data-state") == "submitted"
    assert "按入厂煤台账更正" in latest.inner_text()

    # -- the office accepts; the overview's totals move by the report's own account ----------
    _sign_in(page, url, "office")
    page.goto(url + "/review")
    page.check(f'#queue tr[data-enterprise="{CODE}"] input[name=ids]')
    page.click("#bulk-accept button[type=submit]")
    page.wait_for_url(f"{url}/review?*")
    assert page.locator("#message").inner_text().endswith(": 1")
    after = _energy_by_year(page, url)
    account = page.request.get(f"{url}/api/v1/enterprises/{CODE}/accounts")
    assert account.ok, account.text()
    (year,) = account.json()
    assert year["period"] == "2024"
    assert after["2024"] - before["2024"] == pytest.approx(
        year["energy_consumption_tce"] / 1e4, rel=1e-9
    )
    assert year["energy_consumption_tce"] > 0
    assert {k: v for k, v in after.items() if k != "2024"} == {
        k: v for k, v in before.items() if k != "2024"
    }

    # -- a unit attaches evidence to a task report; the office downloads the same bytes ------
    _sign_in(page, url, "econ")
    page.goto(url + "/workspace")
    _shot(page, "unit-workspace")
    page.fill("#task-report input[name=percent_complete]", "40")
    page.fill("#task-report input[name=summary]", "光伏项目并网推进")
    evidence = tmp_path / "并网验收.pdf"
    evidence.write_bytes(EVIDENCE)
    page.set_input_files("#task-report input[name=evidence]", str(evidence))
    page.click("#task-report button[type=submit]")
    page.wait_for_url(f"{url}/workspace?*")
    link = page.locator("#progress-reports a.evidence").first
    assert link.inner_text() == "并网验收.pdf"
    _shot(page, "unit-workspace-evidence")
    _sign_in(page, url, "office")
    page.goto(url + "/review")
    with page.expect_download() as download:
        page.click("#evidence a.evidence >> nth=0")
    assert Path(download.value.path()).read_bytes() == EVIDENCE
    page.goto(url + "/workspace")
    _shot(page, "office-workspace")
    page.goto(url + "/lang?to=en&next=/registry")
    _shot(page, "office-registry-en")
    page.goto(url + "/lang?to=zh&next=/registry")


def test_a_viewer_and_an_enterprise_are_kept_out(live: str, page: Any) -> None:
    for username, path in (("viewer", "/workspace"), ("enterprise", "/registry")):
        _sign_in(page, live, username)
        response = page.goto(live + path)
        assert response is not None and response.status == 403, (username, path)
